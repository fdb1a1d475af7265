namespace WaferNotebooks.Core.Results;

/// <summary>The words of one estimate: its bottleneck, assumptions and the descriptions of its parts, in breakdown order.</summary>
public sealed record EstimateWords(
    string Bottleneck,
    IReadOnlyList<string> Assumptions,
    IReadOnlyList<string> StepDescriptions,
    IReadOnlyList<string> MemoryDescriptions);

/// <summary>
/// Writes the words of an estimate from the inputs it was computed from. Estimators hand one to
/// each estimate instead of formatting ~25 strings that the planner and sweeps never read.
/// </summary>
public interface IEstimateDescriber
{
    /// <summary>Every description of the estimate, as the estimator words it.</summary>
    EstimateWords Describe();

    /// <summary>Why the estimate is infeasible, from its numbers (called only when it is).</summary>
    string? Reason(Estimate estimate);
}

/// <summary>
/// An estimate's words, made on first read and then kept. Two threads reading at once may both
/// write them; the words are the same, so either copy serves.
/// </summary>
public sealed class EstimateText(IEstimateDescriber describer)
{
    private EstimateWords? _words;

    public EstimateWords Words => _words ??= describer.Describe();

    public string? Reason(Estimate estimate) => describer.Reason(estimate);
}
