using System.Text.RegularExpressions;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Planning;

/// <summary>
/// Searches the layouts an estimator proposes for a job on a device count: estimates every
/// candidate once (closed form, no uncertainty analysis), then, in a second round, the
/// estimator's refinements of the <see cref="RefinedSeeds"/> best candidates and of the
/// <see cref="RefinedSeeds"/> fastest that do not fit only for their activations (uneven stages, hybrid sharding, hpZ,
/// activation offload on GPUs), then ranks them all by an objective and extracts the
/// time-vs-energy Pareto front.
/// </summary>
public static partial class Planner
{
    public const int DefaultTopK = 10;

    /// <summary>How many kinds of infeasibility a plan reports.</summary>
    public const int ReasonsShown = 5;

    /// <summary>
    /// Parallel.For ran the 2,868 candidates of llama3-405b on 16,384 H100s 2–5× faster in wall
    /// time than a plain loop on a 2-core machine (stopwatch, Release); below a few dozen
    /// candidates (well under a millisecond of work) its start-up is not worth it.
    /// </summary>
    private const int ParallelThreshold = 64;

    /// <summary>
    /// Candidates of each kind (best by the objective; fastest of those that do not fit) whose
    /// refinements the second round estimates: about 200 more estimates on top of thousands, so the
    /// second round costs a few percent of the plan while reaching the layouts a refinement can improve.
    /// </summary>
    public const int RefinedSeeds = 16;

    /// <summary>Plans with the given estimator.</summary>
    public static PlanResult Plan(
        IEstimator estimator, TrainingJob job, SystemSpec system, int devices, EconomicAssumptions? economics = null,
        Objective objective = Objective.Time, int topK = DefaultTopK,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        EstimatorInput.Check(job, system, devices);
        if (topK < 1)
            throw new WaferInputException($"top k must be at least 1, got {topK}.");
        objective.Pick(0, 0, 0); // rejects an undefined objective before any work
        var econ = economics ?? EconomicAssumptions.Default;

        var candidates = estimator.CandidateLayouts(job, system, devices).ToArray();
        if (candidates.Length == 0)
            throw new WaferInputException(
                $"There is no parallel layout of {job.Model.Id} on {devices:N0} {system.DeviceNoun}(s) of {system.Id} to try: no split of the devices " +
                $"suits the model and a global batch of {job.GlobalBatchSeqs} sequences; try a device count with more small factors " +
                "(a power of two, for example) or a global batch that more numbers divide.");

        var scores = ScoreAll(estimator, job, system, devices, econ, candidates, progress, ct);
        var refined = Refine(estimator, job, system, devices, objective, candidates, scores);
        if (refined.Length > 0)
        {
            candidates = [.. candidates, .. refined];
            scores = [.. scores, .. ScoreAll(estimator, job, system, devices, econ, refined, null, ct)];
        }
        return Rank(estimator, job, system, devices, econ, objective, topK, candidates, scores);
    }

    /// <summary>
    /// What the ranking needs of one candidate. Full estimates are not kept: holding thousands of
    /// them pushes them into older GC generations; the few that the result returns are estimated
    /// again at the end (estimators are pure functions of their inputs). <see cref="Failure"/> is
    /// null for a usable candidate and the kind of its reason for another (<see cref="FailureOf"/>).
    /// </summary>
    private readonly record struct Score(
        double StepTimeS, double TimeToTrainDays, double EnergyMwh, double CostUsd,
        double TokensPerS, double Mfu, double MemoryGb, double MemoryShare, InfeasibilityKind? Failure, bool ActivationsOverflow)
    {
        public static Score Of(Estimate e) => new(
            e.StepTimeS, e.TimeToTrainDays, e.EnergyMwh, e.CostUsd, e.TokensPerS, e.Mfu, e.Memory.TotalGb,
            e.Memory.CapacityGb > 0 ? e.Memory.TotalGb / e.Memory.CapacityGb : double.PositiveInfinity,
            FailureOf(e),
            !e.Memory.Fits && e.Memory.TotalGb - e.Memory["activations"] <= e.Memory.CapacityGb);

        /// <summary>Feasible with finite metrics: a NaN must never win a comparison.</summary>
        public bool Usable => Failure is null;

        /// <summary>The whole run's time, energy and cost, as the objective compares them.</summary>
        public (double Days, double Mwh, double Usd) Run => (TimeToTrainDays, EnergyMwh, CostUsd);

        public double Key(Objective objective) => objective.Pick(TimeToTrainDays, EnergyMwh, CostUsd);
    }

    /// <summary>
    /// Why a candidate is unusable, as the plan groups it: the kind of its reason when the estimator
    /// tells it without writing it (<see cref="Estimate.ReasonKind"/>), else the reason as written.
    /// Null when the estimate is feasible with a finite time, energy and cost. A plan shows a few
    /// reasons of thousands of candidates that do not fit, so the rest are never written.
    /// </summary>
    private static InfeasibilityKind? FailureOf(Estimate e) =>
        !e.Feasible ? e.ReasonKind ?? new WrittenReason(e.Reason ?? NoReason)
        : double.IsFinite(e.TimeToTrainDays) && double.IsFinite(e.StepTimeS) && double.IsFinite(e.EnergyMwh) && double.IsFinite(e.CostUsd)
            ? null : NonFinite;

    /// <summary>A reason the estimator wrote out: its words are its kind.</summary>
    private sealed record WrittenReason(string Text) : InfeasibilityKind;

    private static readonly WrittenReason NonFinite = new("the estimator returned a non-finite time, energy or cost");

    private const string NoReason = "no reason given";

    private static Score[] ScoreAll(
        IEstimator estimator, TrainingJob job, SystemSpec system, int devices, EconomicAssumptions econ,
        Layout[] candidates, IProgress<double>? progress, CancellationToken ct)
    {
        var n = candidates.Length;
        var scores = new Score[n];
        // Report about a hundred times, whatever n is.
        var every = Math.Max(1, n / 100);
        var done = 0;
        void One(int i)
        {
            scores[i] = Score.Of(estimator.Estimate(job, system, devices, candidates[i], econ));
            var d = Interlocked.Increment(ref done);
            if (progress is not null && (d % every == 0 || d == n)) progress.Report((double)d / n);
        }

        if (n < ParallelThreshold)
        {
            for (var i = 0; i < n; i++)
            {
                ct.ThrowIfCancellationRequested();
                One(i);
            }
        }
        else
        {
            System.Threading.Tasks.Parallel.For(0, n, new ParallelOptions { CancellationToken = ct }, One);
        }
        return scores;
    }

    /// <summary>
    /// The refinements of the best candidates by the objective and of the fastest that do not fit
    /// only because of their activations (what offload can move), each once (never a first-round
    /// candidate: <see cref="IEstimator.Refinements"/> promises that).
    /// </summary>
    private static Layout[] Refine(IEstimator estimator, TrainingJob job, SystemSpec system, int devices, Objective objective, Layout[] candidates, Score[] scores)
    {
        var best = new List<int>();
        var misses = new List<int>();
        for (var i = 0; i < scores.Length; i++)
            if (scores[i].Usable) best.Add(i);
            else if (scores[i].ActivationsOverflow && scores[i].StepTimeS > 0) misses.Add(i);
        best.Sort((a, b) => scores[a].Key(objective).CompareTo(scores[b].Key(objective)) is var c && c != 0 ? c : a.CompareTo(b));
        misses.Sort((a, b) => scores[a].StepTimeS.CompareTo(scores[b].StepTimeS) is var c && c != 0 ? c : a.CompareTo(b));
        var seen = new HashSet<Layout>();
        var refined = new List<Layout>();
        foreach (var i in best.Take(RefinedSeeds).Concat(misses.Take(RefinedSeeds)))
            foreach (var layout in estimator.Refinements(job, system, devices, candidates[i]))
                if (seen.Add(layout)) refined.Add(layout);
        return [.. refined];
    }

    private static PlanResult Rank(
        IEstimator estimator, TrainingJob job, SystemSpec system, int devices, EconomicAssumptions econ,
        Objective objective, int topK, Layout[] candidates, Score[] scores)
    {
        var feasible = new List<int>(scores.Length);
        var infeasible = new List<int>();
        for (var i = 0; i < scores.Length; i++)
            (scores[i].Usable ? feasible : infeasible).Add(i);
        // The result's estimates, each made once: the best layouts are on the front too, and the
        // nearest miss quotes the reason of its kind of failure.
        var estimated = new Dictionary<int, Estimate>();
        Estimate Again(int i)
        {
            if (!estimated.TryGetValue(i, out var e))
                estimated[i] = e = estimator.Estimate(job, system, devices, candidates[i], econ);
            return e;
        }

        // The objective, then time, energy and cost, then enumeration order: the same inputs always give the same plan.
        var byObjective = feasible.ToArray();
        Array.Sort(byObjective, (a, b) =>
        {
            var c = objective.Compare(scores[a].Run, scores[b].Run);
            return c != 0 ? c : a.CompareTo(b);
        });
        var top = byObjective.Take(topK).Select(Again).ToArray();

        var front = ParetoFront(scores, feasible);
        var onFront = new HashSet<int>(front);
        var points = feasible.Select(i =>
        {
            var s = scores[i];
            return new PlanPoint(candidates[i], s.StepTimeS, s.TimeToTrainDays, s.EnergyMwh, s.CostUsd, s.TokensPerS, s.Mfu, s.MemoryGb, onFront.Contains(i));
        }).ToArray();

        return new PlanResult(
            job, system.Id, devices, objective,
            top.FirstOrDefault(), top, front.Select(Again).ToArray(), points,
            scores.Length, infeasible.Count, Reasons(candidates, scores, infeasible, Again),
            infeasible.Count == 0 ? null : Again(infeasible.MinBy(i => scores[i].MemoryShare)));
    }

    /// <summary>
    /// Indices of the non-dominated layouts on (time to train, energy), fastest first. A layout is
    /// dominated when another is no worse on both and strictly better on one; exact ties of two
    /// front layouts are both kept.
    /// </summary>
    private static List<int> ParetoFront(Score[] scores, List<int> feasible)
    {
        var sorted = feasible.ToArray();
        Array.Sort(sorted, (a, b) =>
        {
            var c = scores[a].TimeToTrainDays.CompareTo(scores[b].TimeToTrainDays);
            if (c != 0) return c;
            c = scores[a].EnergyMwh.CompareTo(scores[b].EnergyMwh);
            return c != 0 ? c : a.CompareTo(b);
        });
        var front = new List<int>();
        double minEnergy = double.PositiveInfinity, timeAtMin = double.NaN;
        foreach (var i in sorted)
        {
            var (t, e) = (scores[i].TimeToTrainDays, scores[i].EnergyMwh);
            if (e < minEnergy || (e == minEnergy && t == timeAtMin))
            {
                front.Add(i);
                (minEnergy, timeAtMin) = (e, t);
            }
        }
        return front;
    }

    /// <summary>
    /// Groups failure messages that differ only in their numbers, most frequent first. The
    /// candidates are grouped by their kinds of reason first; kinds whose reasons differ only in
    /// their numbers are merged, so the groups are those of the written reasons. Each group is
    /// quoted by its nearest layout (the smallest share of memory, as <see cref="PlanResult.NearestMiss"/>
    /// is chosen), estimated again for its words: a group's "needs N GB" is then the least any of
    /// its layouts needs, and the group holding the nearest miss quotes the nearest miss's own number.
    /// </summary>
    private static InfeasibilityReason[] Reasons(Layout[] candidates, Score[] scores, List<int> infeasible, Func<int, Estimate> again)
    {
        string TextOf(int i) => scores[i].Failure is WrittenReason written ? written.Text : again(i).Reason ?? NoReason;
        return infeasible
            .GroupBy(i => scores[i].Failure!)
            .GroupBy(kind => Numbers().Replace(TextOf(kind.First()), "#"))
            .Select(g => g.SelectMany(kind => kind).ToArray())
            .OrderByDescending(members => members.Length)
            .Take(ReasonsShown)
            .Select(members =>
            {
                var nearest = members.MinBy(i => scores[i].MemoryShare);
                return new InfeasibilityReason(TextOf(nearest), members.Length, candidates[nearest]);
            })
            .ToArray();
    }

    [GeneratedRegex(@"\d+(?:[.,]\d+)*")]
    private static partial Regex Numbers();
}
