namespace WaferNotebooks.Core.Results;

/// <summary>
/// The words of one estimate: its bottleneck, assumptions and the descriptions of its parts, in
/// breakdown order. <see cref="Assumptions"/> are what the job, its layout and its memory rest on;
/// <see cref="RunAssumptions"/> what only the figures of a run rest on (MFU, power, energy, price,
/// carbon, evaluation, goodput), which a job that does not fit has none of.
/// </summary>
public sealed record EstimateWords(
    string Bottleneck,
    IReadOnlyList<string> Assumptions,
    IReadOnlyList<string> StepDescriptions,
    IReadOnlyList<string> MemoryDescriptions)
{
    public IReadOnlyList<string> RunAssumptions { get; init; } = [];

    /// <summary>The assumptions that apply: all of them for a job that runs, those of the job and its memory for one that does not fit.</summary>
    public IReadOnlyList<string> Applying(bool feasible) => feasible ? [.. Assumptions, .. RunAssumptions] : Assumptions;
}

/// <summary>
/// Writes the words of an estimate from the inputs it was computed from, on first read, and then
/// keeps them. Estimators hand one to each estimate instead of formatting ~25 strings that the
/// planner and sweeps never read. Two threads reading at once may both write the words; they are
/// the same, so either copy serves.
/// </summary>
public abstract class EstimateText
{
    private EstimateWords? _words;

    /// <summary>Every description of the estimate, as the estimator words it.</summary>
    public EstimateWords Words => _words ??= Describe();

    /// <summary>Writes every description of the estimate.</summary>
    protected abstract EstimateWords Describe();

    /// <summary>Why the estimate is infeasible, from its numbers (called only when it is).</summary>
    public abstract string? Reason(Estimate estimate);

    /// <summary>
    /// The kind of <see cref="Reason"/>, without writing it: infeasible estimates of equal kinds have
    /// reasons that differ at most in their numbers. Null when the text cannot tell without writing.
    /// A plan groups thousands of infeasible layouts by it and writes the reasons of a few.
    /// </summary>
    internal virtual InfeasibilityKind? ReasonKind(Estimate estimate) => null;
}
