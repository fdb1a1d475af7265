using System.Text.Json.Nodes;
using WaferNotebooks.Core;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Reliability;

namespace WaferNotebooks.Cli.Tests.Commands;

/// <summary>--mtbf, --checkpoint-bandwidth and --restart-min, and the goodput keys of the estimate JSON.</summary>
public class ReliabilityOptionTests
{
    private static CommandRequest Parse(params (string Name, string[] Values)[] options) =>
        RequestParser.Default.Parse("estimate", new[] { ("--model", new[] { "llama2-7b" }), ("--on", new[] { "dgx-h100:64" }) }
            .Concat(options).ToDictionary(o => o.Item1, o => (IReadOnlyList<string>)o.Item2));

    [Fact]
    public void The_options_replace_the_defaults_and_leave_the_others()
    {
        var r = (EstimateRequest)Parse(("--mtbf", ["20000"]), ("--restart-min", ["30"]));
        var failures = r.Economics.Failures;
        Assert.Equal(20000, failures.MtbfDeviceHours.Value);
        Assert.Equal(30, failures.RestartMinutes.Value);
        Assert.Equal(ReliabilityAssumptions.Default.CheckpointGBpsPerDevice, failures.CheckpointGBpsPerDevice);
        Assert.Same(ReliabilityAssumptions.Default, ((EstimateRequest)Parse()).Economics.Failures);
    }

    [Theory]
    [InlineData("--mtbf", "0", "must be positive")]
    [InlineData("--checkpoint-bandwidth", "-1", "must not be negative")]
    [InlineData("--restart-min", "soon", "expected a number")]
    public void A_bad_value_says_what_would_be_right(string option, string value, string message) =>
        Assert.Contains(message, Assert.ThrowsAny<WaferInputException>(() => Parse((option, [value]))).Message);

    [Fact]
    public void An_eval_interval_with_evaluation_off_is_refused_saying_what_would_count()
    {
        var e = Assert.Throws<WaferInputException>(() => Parse(("--eval-iters", ["0"]), ("--eval-interval", ["5"])));
        Assert.Contains("--eval-interval 5: --eval-iters 0 turns evaluation off", e.Message);
        Assert.Contains("leave --eval-interval out, or give --eval-iters 1 or more", e.Message);
        // Each alone still counts: evaluation off, or evaluation every 5 steps at the default size.
        Assert.Equal(0, ((EstimateRequest)Parse(("--eval-iters", ["0"]))).Economics.Evaluations.Iterations.Value);
        Assert.Equal(5, ((EstimateRequest)Parse(("--eval-interval", ["5"]))).Economics.Evaluations.IntervalSteps.Value);
    }

    [Fact]
    public void Estimate_json_has_goodput_next_to_the_failure_free_days()
    {
        // Without evaluation the wall days are the training days over the goodput plus one initialisation (the 10-minute restart).
        var result = CommandExecutor.Default.Execute(Parse(("--mtbf", ["20000"]), ("--eval-iters", ["0"])));
        var json = JsonNode.Parse(ViewJson.Serialize(result.View))!;
        double days = json["time_to_train_days"]!.GetValue<double>();
        double goodput = json["goodput"]!.GetValue<double>();
        Assert.InRange(goodput, 0.5, 1);
        Assert.Equal(days / goodput + 600.0 / 86400, json["time_to_train_days_with_downtime"]!.GetValue<double>(), 1e-9);
        Assert.True(json["expected_interruptions"]!.GetValue<double>() > 0);
        Assert.Equal(20000, json["reliability"]!["mtbf_device_hours"]!.GetValue<double>());
        Assert.Equal(0, json["evaluation_days"]!.GetValue<double>());
    }

    [Fact]
    public void Estimate_json_has_the_evaluation_days_counted_in_the_wall_days()
    {
        // With evaluation the wall days are (training + evaluation days) / goodput + the initialisation.
        var result = CommandExecutor.Default.Execute(Parse(("--mtbf", ["20000"])));
        var json = JsonNode.Parse(ViewJson.Serialize(result.View))!;
        double evaluation = json["evaluation_days"]!.GetValue<double>();
        Assert.True(evaluation > 0);
        double days = json["time_to_train_days"]!.GetValue<double>(), goodput = json["goodput"]!.GetValue<double>();
        Assert.Equal((days + evaluation) / goodput + 600.0 / 86400, json["time_to_train_days_with_downtime"]!.GetValue<double>(), 1e-9);
    }
}
