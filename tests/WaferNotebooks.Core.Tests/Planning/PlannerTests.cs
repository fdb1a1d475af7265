using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;

namespace WaferNotebooks.Core.Tests.PlanningTests;

public class PlannerTests
{
    private static readonly FakeSystem System = new("fake-a");
    private readonly FakeEstimator fake = FakeEstimator.Registered;

    private Estimate[] AllFeasible(int devices) =>
        fake.CandidateLayouts(FakeEstimator.Job(), System, devices)
            .Select(l => fake.Estimate(FakeEstimator.Job(), System, devices, l, EconomicAssumptions.Default))
            .Where(e => e.Feasible).ToArray();

    [Theory]
    [InlineData(Objective.Time)]
    [InlineData(Objective.Energy)]
    [InlineData(Objective.Cost)]
    public void Best_is_the_true_minimum_of_the_objective_over_all_candidates(Objective objective)
    {
        var plan = Simulator.Plan(FakeEstimator.Job(), System, 256, objective: objective);
        var truth = AllFeasible(256).Min(e => objective.Key(e));
        Assert.NotNull(plan.Best);
        Assert.Equal(truth, objective.Key(plan.Best!));
    }

    [Fact]
    public void Objectives_disagree_and_each_picks_its_own_winner()
    {
        var job = FakeEstimator.Job();
        var time = Simulator.Plan(job, System, 256, objective: Objective.Time).Best!;
        var energy = Simulator.Plan(job, System, 256, objective: Objective.Energy).Best!;
        var cost = Simulator.Plan(job, System, 256, objective: Objective.Cost).Best!;

        Assert.NotEqual(time.Layout, energy.Layout);
        Assert.NotEqual(time.Layout, cost.Layout);
        Assert.True(energy.EnergyMwh < time.EnergyMwh);
        Assert.True(time.StepTimeS < energy.StepTimeS);
        Assert.True(cost.CostUsd < time.CostUsd);
    }

    [Fact]
    public void Top_k_is_ordered_by_the_objective_and_holds_the_k_best()
    {
        var plan = Simulator.Plan(FakeEstimator.Job(), System, 256, objective: Objective.Energy, topK: 7);
        Assert.Equal(7, plan.TopK.Count);
        Assert.Same(plan.Best, plan.TopK[0]);
        for (var i = 1; i < plan.TopK.Count; i++)
            Assert.True(Objective.Energy.Compare(plan.TopK[i - 1], plan.TopK[i]) <= 0);
        var seventh = plan.TopK[^1].EnergyMwh;
        var better = AllFeasible(256).Count(e => e.EnergyMwh < seventh);
        Assert.True(better <= 6, $"{better} layouts beat the 7th of the top k");
    }

    [Fact]
    public void Top_k_larger_than_the_feasible_set_returns_all_feasible()
    {
        var plan = Simulator.Plan(FakeEstimator.Job(), System, 8, topK: 1000);
        Assert.Equal(plan.FeasibleCount, plan.TopK.Count);
        Assert.Equal(plan.Points.Count, plan.TopK.Count);
    }

    [Fact]
    public void Pareto_front_is_non_dominated_and_complete()
    {
        var plan = Simulator.Plan(FakeEstimator.Job(), System, 256);
        var all = AllFeasible(256);
        static bool Dominates(Estimate a, Estimate b) =>
            a.TimeToTrainDays <= b.TimeToTrainDays && a.EnergyMwh <= b.EnergyMwh &&
            (a.TimeToTrainDays < b.TimeToTrainDays || a.EnergyMwh < b.EnergyMwh);

        Assert.True(plan.ParetoFront.Count >= 2, "the fake is built so time and energy trade off");
        foreach (var f in plan.ParetoFront)
            Assert.DoesNotContain(all, e => Dominates(e, f));
        var frontLayouts = plan.ParetoFront.Select(e => e.Layout).ToHashSet();
        foreach (var e in all.Where(e => !all.Any(o => Dominates(o, e))))
            Assert.Contains(e.Layout, frontLayouts);
        Assert.Equal(frontLayouts, plan.Points.Where(p => p.OnParetoFront).Select(p => p.Layout).ToHashSet());
        for (var i = 1; i < plan.ParetoFront.Count; i++)
            Assert.True(plan.ParetoFront[i - 1].TimeToTrainDays <= plan.ParetoFront[i].TimeToTrainDays);
    }

    [Fact]
    public void Counts_points_and_infeasibility_reasons_add_up()
    {
        // A 70B-class model: tp·pp below 2 cannot hold its weights in 80 GB.
        var job = FakeEstimator.Job(FakeEstimator.Model(layers: 80, hidden: 8192));
        var plan = Simulator.Plan(job, System, 64);
        var candidates = fake.CandidateLayouts(job, System, 64).Count();

        Assert.Equal(candidates, plan.Evaluated);
        Assert.True(plan.Infeasible > 0 && plan.FeasibleCount > 0);
        Assert.Equal(plan.FeasibleCount, plan.Points.Count);
        // Every failure says "needs N GB of 80 GB": the numbers differ, the reason is one.
        var reason = Assert.Single(plan.InfeasibilityReasons);
        Assert.Equal(plan.Infeasible, reason.Count);
        Assert.StartsWith("needs ", reason.Reason);
        Assert.Null(plan.Why);
        Assert.Equal(plan.Points.Count, plan.Points.Select(p => p.Layout).Distinct().Count());
    }

    [Fact]
    public void When_nothing_fits_best_is_null_and_the_reason_says_why()
    {
        var tiny = new FakeSystem("fake-tiny", CapacityGb: 0.5);
        var plan = Simulator.Plan(FakeEstimator.Job(), tiny, 16);

        Assert.Null(plan.Best);
        Assert.Empty(plan.TopK);
        Assert.Empty(plan.ParetoFront);
        Assert.Equal(plan.Evaluated, plan.Infeasible);
        Assert.Contains($"None of the {plan.Evaluated} layouts", plan.Why);
        Assert.Contains("needs ", plan.Why);
        // The nearest miss splits the weights most: tp·pp as large as 16 devices allow.
        Assert.Equal(16, plan.NearestMiss!.Layout.Tp * plan.NearestMiss.Layout.Pp);
    }

    [Fact]
    public void Progress_reaches_one_and_cancellation_stops_the_plan()
    {
        var reports = new List<double>();
        var progress = new SynchronousProgress(reports);
        Simulator.Plan(FakeEstimator.Job(), System, 1024, progress: progress);
        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports.Max());

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Simulator.Plan(FakeEstimator.Job(), System, 1024, ct: cts.Token));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Bad_top_k_is_an_input_error(int topK)
    {
        var ex = Assert.Throws<WaferInputException>(() => Simulator.Plan(FakeEstimator.Job(), System, 8, topK: topK));
        Assert.Contains("top k", ex.Message);
    }

    [Fact]
    public void The_same_inputs_give_the_same_plan()
    {
        var a = Simulator.Plan(FakeEstimator.Job(), System, 512);
        var b = Simulator.Plan(FakeEstimator.Job(), System, 512);
        Assert.Equal(a.TopK.Select(e => e.Layout), b.TopK.Select(e => e.Layout));
        Assert.Equal(a.ParetoFront.Select(e => e.Layout), b.ParetoFront.Select(e => e.Layout));
        Assert.Equal(a.Points, b.Points);
    }

    [Fact]
    public void Each_layout_the_plan_returns_is_estimated_once_more_however_many_lists_name_it()
    {
        // Scoring estimates every candidate once; the result's estimates are made again, once per
        // layout: the best is also the fastest on the Pareto front, and the nearest miss is returned too.
        var counting = new FakeEstimator();
        var job = FakeEstimator.Job(FakeEstimator.Model(layers: 80, hidden: 8192));
        var plan = Planner.Plan(counting, job, System, 64);

        Assert.NotNull(plan.NearestMiss);
        Assert.Contains(plan.Best!.Layout, plan.ParetoFront.Select(e => e.Layout));
        var returned = plan.TopK.Concat(plan.ParetoFront).Append(plan.NearestMiss!).Select(e => e.Layout).Distinct().Count();
        Assert.Equal(plan.Evaluated + returned, counting.Calls);
    }

    [Fact]
    public void An_estimator_with_no_candidates_gives_an_input_error_that_suggests_a_fix()
    {
        var ex = Assert.Throws<WaferInputException>(() => Planner.Plan(new NoCandidates(), FakeEstimator.Job(), System, 8));
        Assert.Contains("no parallel layout of fake-7b on 8 device(s)", ex.Message);
        Assert.Contains("power of two", ex.Message);
    }

    /// <summary>Delegates to the fake but proposes nothing.</summary>
    private sealed class NoCandidates : IEstimator
    {
        public bool Supports(SystemSpec system) => FakeEstimator.Registered.Supports(system);
        public Estimate Estimate(TrainingJob job, SystemSpec system, int devices, Layout layout, EconomicAssumptions economics) =>
            FakeEstimator.Registered.Estimate(job, system, devices, layout, economics);
        public IEnumerable<Layout> CandidateLayouts(TrainingJob job, SystemSpec system, int devices) => [];
    }

    /// <summary>Progress&lt;T&gt; posts to a context; tests need the reports before Plan returns.</summary>
    private sealed class SynchronousProgress(List<double> reports) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
