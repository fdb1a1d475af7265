using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.PlanningTests;

/// <summary>The planner's second round: refinements (first=/last=, shard=, hpz=, offload=) around its best layouts and nearest misses.</summary>
public class PlannerRefinementTests
{
    private static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default;

    [Fact]
    public void Where_only_activations_overflow_the_planner_offloads_them_rather_than_recompute()
    {
        // Llama 3 70B at 32K tokens on 8 GB200s: without offload only full recompute fits.
        var job = new TrainingJob(Catalog.FindModel("llama3-70b"), 1e12, 64, 32768);
        var gb200 = Catalog.FindSystem("gb200-nvl72");
        var plan = Simulator.Plan(job, gb200, 8);
        var best = plan.Best!;
        Assert.True(best.Layout.OffloadLayers > 0, best.Layout.ToString());
        Assert.True(best.Memory.HostGb > 0);
        var firstRound = Simulator.EstimatorFor(gb200).CandidateLayouts(job, gb200, 8)
            .Select(l => Simulator.Estimate(job, gb200, 8, l, EconomicAssumptions.Default)).Where(e => e.Feasible).ToArray();
        Assert.All(firstRound, e => Assert.Equal(Recompute.Full, e.Layout.Recompute));
        Assert.True(best.StepTimeS < firstRound.Min(e => e.StepTimeS));
    }

    [Fact]
    public void Llama3_405b_on_16384_h100s_gets_lighter_end_stages_and_the_refinements_stay_few()
    {
        var job = new TrainingJob(Catalog.FindModel("llama3-405b"), 15.6e12, 2048, 8192);
        var h100 = Catalog.FindSystem("dgx-h100");
        var firstRound = Simulator.EstimatorFor(h100).CandidateLayouts(job, h100, 16384).Count();
        var plan = Simulator.Plan(job, h100, 16384);
        Assert.True(plan.Best!.Layout.UnevenStages, plan.Best.Layout.ToString());
        // At most RefinedSeeds × 2 seeds × 6 refinements each on top of the first round.
        Assert.InRange(plan.Evaluated - firstRound, 1, Planner.RefinedSeeds * 2 * 6);
    }
}
