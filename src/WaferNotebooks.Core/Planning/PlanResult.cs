using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Planning;

/// <summary>
/// The outcome of searching the parallel layouts of one job on one system and device count.
/// <see cref="Best"/> is null when no layout is feasible; <see cref="Why"/> then says why, and
/// <see cref="NearestMiss"/> is the infeasible layout that came closest to fitting in memory.
/// </summary>
public sealed record PlanResult(
    TrainingJob Job,
    string SystemId,
    int Devices,
    Objective Objective,
    Estimate? Best,
    /// <summary>The best feasible layouts by the objective, best first.</summary>
    IReadOnlyList<Estimate> TopK,
    /// <summary>Feasible layouts no other layout beats on both time to train and energy, fastest first.</summary>
    IReadOnlyList<Estimate> ParetoFront,
    /// <summary>Every feasible layout, in the estimator's enumeration order, then the refinements'.</summary>
    IReadOnlyList<PlanPoint> Points,
    int Evaluated,
    int Infeasible,
    /// <summary>The most common reasons layouts did not fit, most frequent first.</summary>
    IReadOnlyList<InfeasibilityReason> InfeasibilityReasons,
    Estimate? NearestMiss)
{
    public int FeasibleCount => Evaluated - Infeasible;

    /// <summary>
    /// Why nothing fits; null when a layout does. It leads with the nearest miss and its own
    /// numbers, then each kind of failure quoted by the nearest layout of that kind, so no figure
    /// in it contradicts another.
    /// </summary>
    public string? Why => Best is not null ? null :
        FormattableString.Invariant($"None of the {Evaluated:N0} layouts of {Job.Model.Id} on {Devices:N0} × {SystemId} is feasible") +
        (NearestMiss is { Reason: { } nearest } miss ? $"; the nearest, {miss.Layout}, {nearest}" : "") +
        ". By kind of failure: " + string.Join("; ", InfeasibilityReasons) + ".";
}
