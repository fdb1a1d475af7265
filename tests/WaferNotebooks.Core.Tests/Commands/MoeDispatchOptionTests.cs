using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Core.Tests.Commands;

/// <summary>--moe-dispatch: node limit, FP8 dispatch and DualPipe on top of the framework's defaults.</summary>
public class MoeDispatchOptionTests
{
    private static EstimateRequest Estimate(params (string Name, string Value)[] extra) =>
        (EstimateRequest)RequestParser.Default.Parse("estimate",
            new[] { ("--model", "deepseek-v3"), ("--on", "hgx-h800:2048") }.Concat(extra)
                .ToDictionary(o => o.Item1, o => (IReadOnlyList<string>)[o.Item2]));

    [Fact]
    public void Keys_given_override_the_framework_and_keys_left_out_keep_it()
    {
        Assert.Null(Estimate().Job.Software);
        Assert.Equal(new MoeDispatch(NodeLimit: 4), Estimate(("--moe-dispatch", "nodes=4")).Job.Software!.MoeDispatch);
        Assert.Equal(new MoeDispatch(NodeLimit: 4, Fp8: false, Overlap: true, GroupedKernel: true, HostSync: false),
            Estimate(("--framework", "hai-llm"), ("--moe-dispatch", "fp8=off")).Job.Software!.MoeDispatch);
        Assert.Equal(MoeDispatch.DeepSeekV3 with { GroupedKernel = false }, Estimate(("--framework", "hai-llm"), ("--moe-dispatch", "gemm=loop")).Job.Software!.MoeDispatch);
        Assert.Equal(MoeDispatch.Flat with { GroupedKernel = true }, Estimate(("--moe-dispatch", "gemm=grouped")).Job.Software!.MoeDispatch);
        Assert.Equal(MoeDispatch.Flat with { Overlap = true }, Estimate(("--framework", "megatron-core"), ("--moe-dispatch", "overlap=on")).Job.Software!.MoeDispatch);
        Assert.Equal(MoeDispatch.DeepSeekV3, Estimate(("--framework", "deepseek")).Job.Software!.MoeDispatch);
        Assert.Equal(MoeDispatch.Flat with { Recipe = Fp8ScalingRecipe.Current }, Estimate(("--moe-dispatch", "recipe=current")).Job.Software!.MoeDispatch);
        Assert.Equal(Fp8ScalingRecipe.Delayed, MoeDispatch.Flat.Recipe);
        Assert.Equal(MoeDispatch.Flat with { Graphs = MoeCudaGraphScope.Router | MoeCudaGraphScope.Preprocess },
            Estimate(("--moe-dispatch", "graphs=moe_router+moe_preprocess")).Job.Software!.MoeDispatch);
    }

    [Theory]
    [InlineData("nodes=-1", "from 0 (no limit: a flat all-to-all) to 4096")]
    [InlineData("nodes=four", "expected a whole number of nodes")]
    [InlineData("fp8=yes", "fp8=yes: expected on or off")]
    [InlineData("nodes=4,nodes=2", "nodes is given twice")]
    [InlineData("dualpipe=on", "unknown key 'dualpipe'; expected nodes, fp8, overlap, gemm, imbalance")]
    [InlineData("gemm=fast", "gemm=fast: expected grouped (one grouped GEMM kernel for a rank's experts) or loop")]
    [InlineData("overlap", "is not KEY=VALUE")]
    [InlineData("graphs=moe_preprocess", "graphs=moe_preprocess: moe_preprocess is captured only with moe_router")]
    [InlineData("recipe=nvfp4", "recipe=nvfp4: expected the FP8 scaling recipe of the expert GEMMs, one of delayed, current, mxfp8, blockwise")]
    [InlineData(",", "give at least one of nodes, fp8, overlap")]
    public void Bad_values_say_what_was_wrong_and_what_would_be_right(string value, string message) =>
        Assert.Contains(message, Assert.Throws<WaferInputException>(() => Estimate(("--moe-dispatch", value))).Message);
}

/// <summary>--eval-interval and --eval-iters reach the estimate's evaluation assumptions.</summary>
public class EvaluationOptionTests
{
    private static EstimateRequest Estimate(params (string Name, string Value)[] extra) =>
        (EstimateRequest)RequestParser.Default.Parse("estimate",
            new[] { ("--model", "llama2-7b"), ("--on", "dgx-h100:64") }.Concat(extra)
                .ToDictionary(o => o.Item1, o => (IReadOnlyList<string>)[o.Item2]));

    [Fact]
    public void The_options_override_megatron_defaults_and_bad_values_are_refused()
    {
        Assert.Null(Estimate().Economics.Evaluation);
        Assert.Equal(1000, Estimate().Economics.Evaluations.IntervalSteps.Value);
        var e = Estimate(("--eval-interval", "500"), ("--eval-iters", "50")).Economics.Evaluations;
        Assert.Equal((500.0, 50.0), (e.IntervalSteps.Value, e.Iterations.Value));
        Assert.Equal(0.0, Estimate(("--eval-iters", "0")).Economics.Evaluations.Iterations.Value);
        // An interval beside --eval-iters 0 (evaluation off) would do nothing, so it is refused.
        Assert.Contains("--eval-iters 0 turns evaluation off", Assert.Throws<WaferInputException>(() => Estimate(("--eval-interval", "500"), ("--eval-iters", "0"))).Message);
        Assert.Contains("must be at least 1", Assert.Throws<WaferInputException>(() => Estimate(("--eval-interval", "0"))).Message);
        Assert.Contains("must not be negative", Assert.Throws<WaferInputException>(() => Estimate(("--eval-iters", "-5"))).Message);
    }
}

/// <summary>--moe-dispatch on a layout with ep=1: the estimate says the option changed nothing, and why.</summary>
public class MoeDispatchNoEffectTests
{
    private static Results.Estimate Run(string layout, string dispatch) =>
        CommandExecutor.Default.Execute(RequestParser.Default.Parse("estimate", new Dictionary<string, IReadOnlyList<string>>
        {
            ["--model"] = ["mixtral-8x7b"], ["--on"] = ["dgx-h100:64"], ["--tokens"] = ["100B"], ["--layout"] = [layout], ["--moe-dispatch"] = [dispatch],
        })).Shared<Results.Estimate>();

    [Fact]
    public void With_ep_1_the_assumptions_say_the_option_had_no_effect_and_why()
    {
        var e = Run("tp=2,pp=4,dp=8,ep=1", "nodes=2,fp8=on,imbalance=1.3");
        Assert.Contains(e.Assumptions, a => a.StartsWith("--moe-dispatch had no effect: the layout has ep=1") && a.Contains("no token crosses devices"));
    }

    [Fact]
    public void With_ep_above_1_or_a_key_that_acts_at_ep_1_there_is_no_such_note()
    {
        Assert.DoesNotContain(Run("tp=2,pp=4,dp=8,ep=8", "fp8=on,overlap=on").Assumptions, a => a.Contains("had no effect"));
        // overlap=on brings the DualPipe schedule, which acts with ep=1 too.
        Assert.DoesNotContain(Run("tp=2,pp=4,dp=8,ep=1", "overlap=on").Assumptions, a => a.Contains("had no effect"));
    }
}
