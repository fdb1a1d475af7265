using System.Text.RegularExpressions;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Planning;

/// <summary>
/// Searches the layouts an estimator proposes for a job on a device count: estimates every
/// candidate once (closed form, no uncertainty analysis), then ranks them by an objective and
/// extracts the time-vs-energy Pareto front.
/// </summary>
public static partial class Planner
{
    public const int DefaultTopK = 10;

    /// <summary>How many kinds of infeasibility a plan reports.</summary>
    public const int ReasonsShown = 5;

    /// <summary>Below this many candidates a plain loop beats Parallel.For's start-up cost.</summary>
    private const int ParallelThreshold = 64;

    /// <summary>Plans with the estimator registered for the system (<see cref="Simulator.EstimatorFor"/>).</summary>
    public static PlanResult Plan(
        TrainingJob job, SystemSpec system, int devices, EconomicAssumptions? economics = null,
        Objective objective = Objective.Time, int topK = DefaultTopK,
        IProgress<double>? progress = null, CancellationToken ct = default) =>
        Plan(Simulator.EstimatorFor(system), job, system, devices, economics, objective, topK, progress, ct);

    /// <summary>Plans with the given estimator.</summary>
    public static PlanResult Plan(
        IEstimator estimator, TrainingJob job, SystemSpec system, int devices, EconomicAssumptions? economics = null,
        Objective objective = Objective.Time, int topK = DefaultTopK,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        Simulator.CheckRun(job, system, devices);
        if (topK < 1)
            throw new WaferInputException($"top k must be at least 1, got {topK}.");
        var econ = economics ?? EconomicAssumptions.Default;

        var candidates = estimator.CandidateLayouts(job, system, devices).ToArray();
        if (candidates.Length == 0)
            throw new WaferInputException(
                $"There is no parallel layout of {job.Model.Id} on {devices} {system.DeviceNoun}(s) of {system.Id} to try; " +
                "try a device count with more small factors (a power of two, for example).");

        var estimates = EstimateAll(estimator, job, system, devices, econ, candidates, progress, ct);
        return Rank(job, system, devices, objective, topK, estimates);
    }

    private static Estimate[] EstimateAll(
        IEstimator estimator, TrainingJob job, SystemSpec system, int devices, EconomicAssumptions econ,
        Layout[] candidates, IProgress<double>? progress, CancellationToken ct)
    {
        var n = candidates.Length;
        var estimates = new Estimate[n];
        // Report about a hundred times, whatever n is.
        var every = Math.Max(1, n / 100);
        var done = 0;
        void Step()
        {
            var d = Interlocked.Increment(ref done);
            if (progress is not null && (d % every == 0 || d == n)) progress.Report((double)d / n);
        }

        if (n < ParallelThreshold)
        {
            for (var i = 0; i < n; i++)
            {
                ct.ThrowIfCancellationRequested();
                estimates[i] = estimator.Estimate(job, system, devices, candidates[i], econ);
                Step();
            }
        }
        else
        {
            System.Threading.Tasks.Parallel.For(0, n, new ParallelOptions { CancellationToken = ct }, i =>
            {
                estimates[i] = estimator.Estimate(job, system, devices, candidates[i], econ);
                Step();
            });
        }
        return estimates;
    }

    private static PlanResult Rank(TrainingJob job, SystemSpec system, int devices, Objective objective, int topK, Estimate[] estimates)
    {
        var feasible = new List<int>(estimates.Length);
        var infeasible = new List<int>();
        for (var i = 0; i < estimates.Length; i++)
            (Usable(estimates[i]) ? feasible : infeasible).Add(i);

        // Ties fall back to enumeration order, so the same inputs always give the same plan.
        var byObjective = feasible.ToArray();
        Array.Sort(byObjective, (a, b) => objective.Compare(estimates[a], estimates[b]) is var c && c != 0 ? c : a.CompareTo(b));
        var top = byObjective.Take(topK).Select(i => estimates[i]).ToArray();

        var front = ParetoFront(estimates, feasible);
        var onFront = new HashSet<int>(front);
        var points = feasible.Select(i => PlanPoint.From(estimates[i], onFront.Contains(i))).ToArray();

        return new PlanResult(
            job, system.Id, devices, objective,
            top.FirstOrDefault(), top, front.Select(i => estimates[i]).ToArray(), points,
            estimates.Length, infeasible.Count, Reasons(estimates, infeasible), NearestMiss(estimates, infeasible));
    }

    /// <summary>Feasible with finite metrics: a NaN must never win a comparison.</summary>
    private static bool Usable(Estimate e) =>
        e.Feasible && double.IsFinite(e.TimeToTrainDays) && double.IsFinite(e.StepTimeS) &&
        double.IsFinite(e.EnergyMwh) && double.IsFinite(e.CostUsd);

    /// <summary>
    /// Indices of the non-dominated layouts on (time to train, energy), fastest first. A layout is
    /// dominated when another is no worse on both and strictly better on one; exact ties of two
    /// front layouts are both kept.
    /// </summary>
    private static List<int> ParetoFront(Estimate[] estimates, List<int> feasible)
    {
        var sorted = feasible.ToArray();
        Array.Sort(sorted, (a, b) =>
        {
            var c = estimates[a].TimeToTrainDays.CompareTo(estimates[b].TimeToTrainDays);
            if (c != 0) return c;
            c = estimates[a].EnergyMwh.CompareTo(estimates[b].EnergyMwh);
            return c != 0 ? c : a.CompareTo(b);
        });
        var front = new List<int>();
        double minEnergy = double.PositiveInfinity, timeAtMin = double.NaN;
        foreach (var i in sorted)
        {
            var (t, e) = (estimates[i].TimeToTrainDays, estimates[i].EnergyMwh);
            if (e < minEnergy || (e == minEnergy && t == timeAtMin))
            {
                front.Add(i);
                (minEnergy, timeAtMin) = (e, t);
            }
        }
        return front;
    }

    /// <summary>Groups failure messages that differ only in their numbers, most frequent first.</summary>
    private static InfeasibilityReason[] Reasons(Estimate[] estimates, List<int> infeasible) =>
        infeasible
            .Select(i => (Estimate: estimates[i], Text: estimates[i].Reason ?? NonFinite))
            .GroupBy(x => Numbers().Replace(x.Text, "#"))
            .Select(g => new InfeasibilityReason(g.First().Text, g.Count(), g.First().Estimate.Layout))
            .OrderByDescending(r => r.Count)
            .Take(ReasonsShown)
            .ToArray();

    private const string NonFinite = "the estimator returned a non-finite time, energy or cost";

    /// <summary>The infeasible layout whose memory is the smallest share of capacity: the one to show when nothing fits.</summary>
    private static Estimate? NearestMiss(Estimate[] estimates, List<int> infeasible) =>
        infeasible.Count == 0 ? null :
        estimates[infeasible.MinBy(i => estimates[i].Memory.CapacityGb > 0 ? estimates[i].Memory.TotalGb / estimates[i].Memory.CapacityGb : double.PositiveInfinity)];

    [GeneratedRegex(@"\d+(?:[.,]\d+)*")]
    private static partial Regex Numbers();
}
