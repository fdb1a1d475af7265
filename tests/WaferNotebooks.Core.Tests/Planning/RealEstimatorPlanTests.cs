using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Wafer;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.PlanningTests;

/// <summary>The planner, sweeper and facade on the built-in estimators and the embedded catalog.</summary>
public class RealEstimatorPlanTests
{
    private static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default;
    private static readonly SystemSpec DgxH100 = Catalog.FindSystem("dgx-h100");
    private static readonly SystemSpec Cs3 = Catalog.FindSystem("cs-3");
    private static readonly TrainingJob Llama7b = new(Catalog.FindModel("llama2-7b"), 2e12, 1024, 4096);
    private static readonly TrainingJob Gpt13b = new(Catalog.FindModel("gpt3-13b"), 260e9, 720, 2048);

    public static TheoryData<string, int> Runs => new() { { "dgx-h100", 64 }, { "cs-3", 4 } };

    private static (TrainingJob Job, SystemSpec System) Run(string system) =>
        system == "cs-3" ? (Gpt13b, Cs3) : (Llama7b, DgxH100);

    private static Estimate[] Feasible(TrainingJob job, SystemSpec system, int devices)
    {
        var estimator = Simulator.EstimatorFor(system);
        return estimator.CandidateLayouts(job, system, devices)
            .Select(l => estimator.Estimate(job, system, devices, l, EconomicAssumptions.Default))
            .Where(e => e.Feasible).ToArray();
    }

    /// <summary>Every feasible layout the plan tried, estimated again: the first round's and its refinements'.</summary>
    private static Estimate[] Tried(PlanResult plan, TrainingJob job, SystemSpec system, int devices)
    {
        var estimator = Simulator.EstimatorFor(system);
        return plan.Points.Select(p => estimator.Estimate(job, system, devices, p.Layout, EconomicAssumptions.Default)).ToArray();
    }

    [Fact]
    public void The_facade_picks_the_estimator_by_kind_of_system()
    {
        Assert.IsType<GpuEstimator>(Simulator.EstimatorFor(DgxH100));
        Assert.IsType<WaferEstimator>(Simulator.EstimatorFor(Cs3));
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Best_and_top_k_match_a_brute_force_ranking(string systemId, int devices)
    {
        var (job, system) = Run(systemId);
        var firstRound = Feasible(job, system, devices);
        Assert.NotEmpty(firstRound);
        foreach (var objective in Enum.GetValues<Objective>())
        {
            var plan = Simulator.Plan(job, system, devices, objective: objective, topK: 5);
            // The plan tried every feasible first-round layout and maybe refinements of the best; its
            // ranking is the brute-force ranking of all it tried, and never worse than the first round's best.
            var all = Tried(plan, job, system, devices);
            Assert.Subset(plan.Points.Select(p => p.Layout).ToHashSet(), firstRound.Select(e => e.Layout).ToHashSet());
            var ranked = all.Order(Comparer<Estimate>.Create((a, b) => objective.Compare(a, b))).Take(5).ToArray();
            Assert.Equal(all.Length, plan.FeasibleCount);
            Assert.True(objective.Key(plan.Best!) <= firstRound.Min(e => objective.Key(e)));
            Assert.Equal(ranked.Select(e => objective.Key(e)), plan.TopK.Select(e => objective.Key(e)));
            Assert.Equal(objective.Key(ranked[0]), objective.Key(plan.Best!));
        }
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Pareto_front_is_non_dominated_and_complete(string systemId, int devices)
    {
        var (job, system) = Run(systemId);
        var plan = Simulator.Plan(job, system, devices);
        var all = Tried(plan, job, system, devices);
        static bool Dominates(Estimate a, Estimate b) =>
            a.TimeToTrainDays <= b.TimeToTrainDays && a.EnergyMwh <= b.EnergyMwh &&
            (a.TimeToTrainDays < b.TimeToTrainDays || a.EnergyMwh < b.EnergyMwh);

        var expected = all.Where(e => !all.Any(o => Dominates(o, e))).Select(e => (e.TimeToTrainDays, e.EnergyMwh)).Order().ToArray();
        Assert.Equal(expected, plan.ParetoFront.Select(e => (e.TimeToTrainDays, e.EnergyMwh)).Order());
        // Each single-objective best is on the front: it cannot be beaten on time and energy at once.
        foreach (var objective in new[] { Objective.Time, Objective.Energy })
        {
            var best = Simulator.Plan(job, system, devices, objective: objective).Best!;
            Assert.Contains(plan.ParetoFront, f => f.TimeToTrainDays == best.TimeToTrainDays && f.EnergyMwh == best.EnergyMwh);
        }
    }

    [Fact]
    public void Cost_follows_time_when_price_is_per_device_hour_and_energy_trades_time_for_power()
    {
        var time = Simulator.Plan(Llama7b, DgxH100, 64, objective: Objective.Time).Best!;
        var cost = Simulator.Plan(Llama7b, DgxH100, 64, objective: Objective.Cost).Best!;
        var energy = Simulator.Plan(Llama7b, DgxH100, 64, objective: Objective.Energy).Best!;
        // Same devices, same price: cost is proportional to time, so the choice must not move.
        Assert.Equal(time.Layout, cost.Layout);
        Assert.True(energy.EnergyMwh <= time.EnergyMwh);
        Assert.True(time.TimeToTrainDays <= energy.TimeToTrainDays);
    }

    /// <summary>Records every layout the planner estimates, with the estimate's reason written out.</summary>
    private sealed class Recording(IEstimator inner) : IEstimator
    {
        public readonly System.Collections.Concurrent.ConcurrentDictionary<Layout, string?> Reasons = new();
        public readonly System.Collections.Concurrent.ConcurrentDictionary<Layout, double> MemoryShare = new();
        public bool Supports(SystemSpec system) => inner.Supports(system);
        public IEnumerable<Layout> CandidateLayouts(TrainingJob job, SystemSpec system, int devices) => inner.CandidateLayouts(job, system, devices);
        public IEnumerable<Layout> Refinements(TrainingJob job, SystemSpec system, int devices, Layout layout) => inner.Refinements(job, system, devices, layout);
        public Estimate Estimate(TrainingJob job, SystemSpec system, int devices, Layout layout, EconomicAssumptions economics)
        {
            var e = inner.Estimate(job, system, devices, layout, economics);
            Reasons[layout] = e.Feasible ? null : e.Reason;
            MemoryShare[layout] = e.Memory.TotalGb / e.Memory.CapacityGb;
            return e;
        }
    }

    /// <summary>
    /// The plan writes the reasons of a few kinds of failure, not of every layout that does not
    /// fit; its groups must still be those of the written reasons with their numbers masked.
    /// </summary>
    [Theory]
    [InlineData("llama3-405b", 1024)]
    [InlineData("llama3-405b", 8)]
    [InlineData("llama2-70b", 64)]
    [InlineData("mixtral-8x7b", 64)]
    public void Infeasibility_reasons_group_the_written_reasons_of_every_layout_that_does_not_fit(string model, int devices)
    {
        var job = new TrainingJob(Catalog.FindModel(model), 1e12, 1024, 4096);
        var recording = new Recording(Simulator.EstimatorFor(DgxH100));
        var plan = Planner.Plan(recording, job, DgxH100, devices);
        var numbers = new System.Text.RegularExpressions.Regex(@"\d+(?:[.,]\d+)*");
        var groups = recording.Reasons.Values.Where(r => r is not null)
            .GroupBy(r => numbers.Replace(r!, "#")).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(recording.Reasons.Count(r => r.Value is not null), plan.Infeasible);
        Assert.NotEmpty(plan.InfeasibilityReasons);
        Assert.Equal(groups.Values.OrderDescending().Take(Planner.ReasonsShown), plan.InfeasibilityReasons.Select(r => r.Count));
        foreach (var r in plan.InfeasibilityReasons)
        {
            Assert.Equal(groups[numbers.Replace(r.Reason, "#")], r.Count);
            Assert.Equal(r.Reason, recording.Reasons[r.Example]);
            // Quoted by its nearest layout: no layout of the group needs less than the figure quoted.
            var group = recording.Reasons.Where(kv => kv.Value is not null && numbers.Replace(kv.Value, "#") == numbers.Replace(r.Reason, "#"));
            Assert.Equal(group.Min(kv => recording.MemoryShare[kv.Key]), recording.MemoryShare[r.Example]);
        }
    }

    /// <summary>
    /// The review's contradiction: the tally quoted one group's first layout ("needs 1565.3 GB")
    /// while the overflow line quoted the nearest miss ("922 GB") for the same kind of failure.
    /// The group holding the nearest miss now quotes it, and the sentence leads with it.
    /// </summary>
    [Fact]
    public void When_nothing_fits_the_group_of_the_nearest_miss_quotes_the_nearest_miss()
    {
        var plan = Planner.Plan(Simulator.EstimatorFor(DgxH100), new TrainingJob(Catalog.FindModel("llama3-405b"), 1e12, 1024, 4096), DgxH100, 8);
        var nearest = plan.NearestMiss!;
        var group = Assert.Single(plan.InfeasibilityReasons, r => r.Example == nearest.Layout);
        Assert.Equal(nearest.Reason, group.Reason);
        Assert.StartsWith($"None of the {plan.Evaluated:N0} layouts of llama3-405b on 8 × dgx-h100 is feasible; the nearest, {nearest.Layout}, {nearest.Reason}. By kind", plan.Why);
    }

    [Fact]
    public void A_model_too_large_for_the_devices_explains_why_nothing_fits()
    {
        var job = new TrainingJob(Catalog.FindModel("llama3-405b"), 15.6e12, 2048, 8192);
        var plan = Simulator.Plan(job, DgxH100, 8);
        Assert.Null(plan.Best);
        Assert.Contains("GB per device of 80 GB", plan.Why);
        var estimate = Simulator.Estimate(job, DgxH100, 8);
        Assert.False(estimate.Feasible);
        Assert.Equal(plan.Why, estimate.Reason);
    }

    [Fact]
    public void A_sweep_on_the_gpu_estimator_starts_at_efficiency_one_and_plans_every_count()
    {
        var sweep = Sweeper.Sweep(Llama7b, DgxH100, [8, 32, 128]);
        Assert.Equal(1.0, sweep.Points[0].ScalingEfficiency);
        Assert.All(sweep.Points, p => Assert.True(p.Estimate.Feasible, p.Estimate.Reason));
        Assert.All(sweep.Points, p => Assert.Equal(Simulator.Plan(Llama7b, DgxH100, p.Devices).Best!.Layout, p.Estimate.Layout));
        Assert.All(sweep.Points.Skip(1), p => Assert.InRange(p.ScalingEfficiency!.Value, 0.3, 1.2));
    }

    [Fact]
    public void A_comparison_spans_gpu_and_wafer_systems()
    {
        var cmp = Comparison.Run(Gpt13b, [new ComparisonTarget(DgxH100, 64), new ComparisonTarget(Cs3, 4)]);
        Assert.Equal(Results.ExecutionMode.ThreeDParallel, cmp.Estimates[0].ExecutionMode);
        Assert.Equal(Results.ExecutionMode.WeightStreaming, cmp.Estimates[1].ExecutionMode);
        Assert.Contains(cmp.Fastest, cmp.Estimates);
    }
}
