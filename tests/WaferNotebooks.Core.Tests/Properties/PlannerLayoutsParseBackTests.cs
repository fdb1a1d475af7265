using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Simulation;

namespace WaferNotebooks.Core.Tests.Properties;

/// <summary>
/// One layout rulebook: every layout the planner proposes, for dense, GQA and MoE models on GPU
/// and wafer-scale systems, is accepted when written back as --layout and estimates to the same
/// result. (Before LayoutRules, --layout refused ep with cp &gt; 1 that the planner proposed,
/// and accepted cp splits the estimators then refused.) The planner's second round, the
/// refinements (first=/last=, shard=, hpz=, offload=), is held to the same.
/// </summary>
public class PlannerLayoutsParseBackTests
{
    public static TheoryData<string, string, string> Jobs => new()
    {
        { "llama2-7b", "dgx-h100:64", "" },            // dense, multi-head attention
        { "llama3-70b", "dgx-h100:256", "8K" },        // GQA, long enough for context parallelism
        { "mixtral-8x7b", "dgx-h100:128", "8K" },      // MoE: expert parallelism, with cp
        { "llama2-7b", "mi300x-node:32", "" },         // another GPU family
        { "llama2-70b", "cs-3:4", "" },                // wafer-scale
    };

    /// <summary>At most this many candidates per job, spread over the whole enumeration.</summary>
    private const int Sample = 150;

    [Theory]
    [MemberData(nameof(Jobs))]
    public void Every_proposed_layout_parses_back_and_estimates_the_same(string model, string on, string seq)
    {
        var values = new Dictionary<string, IReadOnlyList<string>> { ["model"] = [model], ["on"] = [on], ["tokens"] = ["1T"] };
        if (seq.Length > 0) values["seq"] = [seq];
        var request = (EstimateRequest)RequestParser.Default.Parse("estimate", values);
        var (job, system, devices) = (request.Job, request.Target.System, request.Target.Devices);
        var estimator = Simulator.EstimatorFor(system);
        var firstRound = estimator.CandidateLayouts(job, system, devices).ToList();
        Assert.NotEmpty(firstRound);
        var candidates = Spread(firstRound, Sample)
            .Concat(Spread(firstRound, Sample / 10).SelectMany(l => estimator.Refinements(job, system, devices, l)))
            .ToList();
        var checkedLayouts = 0;
        foreach (var layout in candidates)
        {
            Assert.True(LayoutRules.Allows(job, system, devices, layout), $"{layout}: {LayoutRules.Violation(job, system, devices, layout)}");
            var parsed = (EstimateRequest)RequestParser.Default.Parse("estimate",
                new Dictionary<string, IReadOnlyList<string>>(values) { ["layout"] = [layout.ToString()] });
            Assert.Equal(layout, parsed.Layout);
            var direct = estimator.Estimate(job, system, devices, layout, request.Economics);
            var viaLayout = Simulator.Estimate(parsed.Job, parsed.Target.System, parsed.Target.Devices, parsed.Layout, parsed.Economics);
            Assert.Equal(direct.Feasible, viaLayout.Feasible);
            Assert.Equal(direct.StepTimeS, viaLayout.StepTimeS);
            Assert.Equal(direct.TimeToTrainDays, viaLayout.TimeToTrainDays);
            Assert.Equal(direct.Memory.TotalGb, viaLayout.Memory.TotalGb);
            checkedLayouts++;
        }
        Assert.True(checkedLayouts >= Math.Min(firstRound.Count, Sample / 2));
    }

    /// <summary>At most <paramref name="count"/> items spread over the whole list.</summary>
    private static IEnumerable<Layout> Spread(List<Layout> all, int count)
    {
        var step = Math.Max(1, all.Count / count);
        for (var i = 0; i < all.Count; i += step) yield return all[i];
    }

    [Fact]
    public void Refinements_reach_every_new_key_and_every_one_parses_back()
    {
        var values = new Dictionary<string, IReadOnlyList<string>> { ["model"] = ["llama3-70b"], ["on"] = ["dgx-h100:256"], ["tokens"] = ["1T"], ["seq"] = ["8K"] };
        var request = (EstimateRequest)RequestParser.Default.Parse("estimate", values);
        var (job, system, devices) = (request.Job, request.Target.System, request.Target.Devices);
        var estimator = Simulator.EstimatorFor(system);
        var firstRound = estimator.CandidateLayouts(job, system, devices).ToList();
        var refined = firstRound.SelectMany(l => estimator.Refinements(job, system, devices, l)).Distinct().ToList();
        Assert.Empty(refined.Intersect(firstRound));
        Assert.Contains(refined, l => l.UnevenStages);
        Assert.Contains(refined, l => l.ShardGroup > 0);
        Assert.Contains(refined, l => l.SecondaryShard > 0);
        Assert.Contains(refined, l => l.OffloadLayers > 0);
        foreach (var layout in Spread(refined, Sample))
        {
            var parsed = (EstimateRequest)RequestParser.Default.Parse("estimate",
                new Dictionary<string, IReadOnlyList<string>>(values) { ["layout"] = [layout.ToString()] });
            Assert.Equal(layout, parsed.Layout);
        }
    }

    [Theory]
    [InlineData("4098", "cp=2", "cp=2 needs the sequence length 4098 divisible by 2·cp = 4")]
    [InlineData("", "tp=2", "a wafer-scale cluster runs pure data parallelism")]
    public void A_layout_the_rules_refuse_is_bad_input_at_parse_time(string seq, string layout, string message)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>
        {
            ["model"] = ["llama2-7b"], ["on"] = [seq.Length > 0 ? "dgx-h100:64" : "cs-3:4"], ["layout"] = [layout],
        };
        if (seq.Length > 0) values["seq"] = [seq];
        var ex = Assert.Throws<WaferInputException>(() => RequestParser.Default.Parse("estimate", values));
        Assert.Contains(message, ex.Message);
    }
}
