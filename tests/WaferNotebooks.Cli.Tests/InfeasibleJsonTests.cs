using System.Text.Json.Nodes;

namespace WaferNotebooks.Cli.Tests;

/// <summary>In JSON, a job that does not fit has no time, throughput, energy or cost: null, never zero, with the reason and the part that overflows.</summary>
public class InfeasibleJsonTests
{
    private static readonly string[] RunFigures =
    [
        "step_time_s", "tokens_per_s", "tokens_per_s_per_device", "model_tflops_per_device", "hardware_tflops_per_device", "mfu", "hfu",
        "time_to_train_days", "expected_interruptions", "goodput", "time_to_train_days_with_downtime", "device_hours", "average_power_kw",
        "energy_mwh", "cost_usd", "co2_t", "breakdown", "bottleneck",
    ];

    private static void AssertNoRunFigures(JsonNode estimate, string reasonStart, string overflowingPart)
    {
        Assert.False(estimate["feasible"]!.GetValue<bool>());
        Assert.StartsWith(reasonStart, estimate["reason"]!.GetValue<string>());
        foreach (var key in RunFigures)
        {
            Assert.True(estimate.AsObject().ContainsKey(key), key);
            Assert.Null(estimate[key]);
        }
        Assert.Null(estimate["range"]);
        Assert.Null(estimate["sensitivities"]);
        // What overflows stays: the memory per device and its largest part, with hints for that part.
        Assert.True(estimate["memory_per_device_gb"]!.GetValue<double>() > estimate["memory_capacity_gb"]!.GetValue<double>());
        Assert.Equal(overflowingPart, estimate["overflowing_part"]!.GetValue<string>());
        Assert.NotEmpty(estimate["hints"]!.AsArray());
    }

    [Fact]
    public void An_estimate_that_does_not_fit_has_null_figures_the_reason_and_the_overflowing_part()
    {
        var run = CliRunner.Run("estimate", "--model", "llama3-405b", "--on", "dgx-h100:8", "--tokens", "1T", "--layout", "tp=8,zero=1", "--json");
        Assert.Equal(ExitCodes.Infeasible, run.ExitCode);
        var estimate = JsonNode.Parse(run.Out)!;
        AssertNoRunFigures(estimate, "needs ", "optimizer");
        // tp=8 on 8 devices leaves one data-parallel rank: ZeRO has nothing to shard over, so the hint is data parallelism first.
        Assert.Contains(estimate["hints"]!.AsArray(), h => h!.GetValue<string>().StartsWith("data parallelism (dp > 1)", StringComparison.Ordinal));
        Assert.DoesNotContain(estimate["hints"]!.AsArray(), h => h!.GetValue<string>().StartsWith("zero=", StringComparison.Ordinal));
    }

    [Fact]
    public void The_assumptions_of_a_job_that_does_not_fit_are_only_those_that_applied()
    {
        // Goodput, evaluation, power, price and carbon describe a run; a job that does not fit has none.
        string[] runOnly = ["goodput ", "evaluation: ", "device power ", "power: ", "price: ", "carbon: ", "MFU and HFU "];
        static string[] Assumptions(params string[] args) =>
            [.. JsonNode.Parse(CliRunner.Run(["estimate", .. args, "--json"]).Out)!["assumptions"]!.AsArray().Select(a => a!.GetValue<string>())];

        var misfit = Assumptions("--model", "llama3-405b", "--on", "dgx-h100:8", "--tokens", "1T", "--layout", "tp=8,zero=1");
        Assert.Contains(misfit, a => a.StartsWith("gradients ", StringComparison.Ordinal));
        foreach (var start in runOnly)
            Assert.DoesNotContain(misfit, a => a.StartsWith(start, StringComparison.Ordinal));
        // The same job on enough devices runs, and every one of them applies.
        var fits = Assumptions("--model", "llama3-405b", "--on", "dgx-h100:1024", "--tokens", "1T");
        foreach (var start in runOnly)
            Assert.Contains(fits, a => a.StartsWith(start, StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_and_sweep_points_that_do_not_fit_have_null_figures_beside_those_that_do()
    {
        // No layout fits 8 devices: the estimate shown is the planner's nearest miss, with why none fits.
        var compare = JsonNode.Parse(CliRunner.Run("compare", "--model", "llama3-405b", "--tokens", "1T",
            "--on", "dgx-h100:8", "--on", "dgx-h100:1024", "--json").Out)!["estimates"]!.AsArray();
        var part = compare[0]!["overflowing_part"]?.GetValue<string>() ?? "";
        AssertNoRunFigures(compare[0]!, "None of the ", part);
        Assert.Contains(part, new[] { "weights", "gradients", "optimizer", "activations" });
        Assert.True(compare[1]!["time_to_train_days"]!.GetValue<double>() > 0);

        var points = JsonNode.Parse(CliRunner.Run("sweep", "--model", "llama3-405b", "--on", "dgx-h100", "--counts", "8,1024", "--tokens", "1T",
            "--json").Out)!["points"]!.AsArray();
        AssertNoRunFigures(points[0]!, "None of the ", part);
        Assert.Null(points[0]!["scaling_efficiency"]);
        Assert.True(points[1]!["energy_mwh"]!.GetValue<double>() > 0);
    }
}
