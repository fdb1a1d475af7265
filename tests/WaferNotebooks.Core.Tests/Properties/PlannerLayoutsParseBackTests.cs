using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Simulation;

namespace WaferNotebooks.Core.Tests.Properties;

/// <summary>
/// One layout rulebook: every layout the planner proposes, for dense, GQA and MoE models on GPU
/// and wafer-scale systems, is accepted when written back as --layout and estimates to the same
/// result. (Before LayoutRules, --layout refused ep with cp &gt; 1 that the planner proposed,
/// and accepted cp splits the estimators then refused.)
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
        var candidates = estimator.CandidateLayouts(job, system, devices).ToList();
        Assert.NotEmpty(candidates);
        var step = Math.Max(1, candidates.Count / Sample);
        var checkedLayouts = 0;
        for (var i = 0; i < candidates.Count; i += step)
        {
            var layout = candidates[i];
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
        Assert.True(checkedLayouts >= Math.Min(candidates.Count, Sample / 2));
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
