using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Comparisons;

/// <summary>
/// One job on several (system, device count) pairs, in the order given, with the winner on each
/// metric among the feasible ones (null when none is feasible).
/// </summary>
public sealed record Comparison(TrainingJob Job, Objective Objective, IReadOnlyList<Estimate> Estimates)
{
    private IEnumerable<Estimate> FeasibleEstimates => Estimates.Where(e => e.Feasible);

    public Estimate? Fastest => FeasibleEstimates.MinBy(e => e.TimeToTrainDays);
    public Estimate? LeastEnergy => FeasibleEstimates.MinBy(e => e.EnergyMwh);
    public Estimate? Cheapest => FeasibleEstimates.MinBy(e => e.CostUsd);
    public Estimate? LeastCo2 => FeasibleEstimates.MinBy(e => e.Co2Tonnes);
    public Estimate? HighestMfu => FeasibleEstimates.MaxBy(e => e.Mfu);
    public Estimate? HighestThroughputPerDevice => FeasibleEstimates.MaxBy(e => e.TokensPerSPerDevice);

    /// <summary>The winner by an objective, ties broken as the planner breaks them.</summary>
    public Estimate? Best(Objective objective) =>
        FeasibleEstimates.Aggregate((Estimate?)null, (best, e) => best is null || objective.Compare(e, best) < 0 ? e : best);

    /// <summary>Estimates the job on every target; targets without a layout get the planner's best for <paramref name="objective"/>.</summary>
    public static Comparison Run(
        TrainingJob job, IReadOnlyList<ComparisonTarget> targets, EconomicAssumptions? economics = null,
        Objective objective = Objective.Time, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        if (targets.Count == 0)
            throw new WaferInputException("A comparison needs at least one system, for example --on dgx-h100:512 --on cs-3:16.");
        var estimates = new Estimate[targets.Count];
        for (var i = 0; i < targets.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var t = targets[i];
            estimates[i] = Simulator.Estimate(job, t.System, t.Devices, t.Layout, economics, objective);
            progress?.Report((double)(i + 1) / targets.Count);
        }
        return new Comparison(job, objective, estimates);
    }
}
