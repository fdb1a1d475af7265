using WaferNotebooks.Core;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli.Tests.Commands;

/// <summary>--power-cap on every subcommand that estimates: it becomes the device's power limit on GPU-class systems.</summary>
public class PowerCapOptionTests
{
    private static CommandRequest Parse(string subcommand, params (string Name, string[] Values)[] options) =>
        RequestParser.Default.Parse(subcommand, options.ToDictionary(o => o.Name, o => (IReadOnlyList<string>)o.Values));

    private static string Fails(string subcommand, params (string Name, string[] Values)[] options) =>
        Assert.ThrowsAny<WaferInputException>(() => Parse(subcommand, options)).Message;

    private static double? Limit(SystemSpec s) => ((GpuCluster)s).Device.PowerLimitW?.Value;

    [Fact]
    public void The_cap_reaches_the_device_of_every_estimating_subcommand()
    {
        var model = ("--model", new[] { "llama2-7b" });
        var cap = ("--power-cap", new[] { "500" });
        Assert.Equal(500, Limit(((EstimateRequest)Parse("estimate", model, ("--on", ["dgx-h100:64"]), cap)).Target.System));
        Assert.Equal(500, Limit(((TimelineRequest)Parse("timeline", model, ("--on", ["dgx-h100:64"]), cap)).Target.System));
        Assert.Equal(500, Limit(((PlanRequest)Parse("plan", model, ("--on", ["dgx-h100:64"]), cap)).Target.System));
        Assert.Equal(500, Limit(((SweepRequest)Parse("sweep", model, ("--on", ["dgx-h100"]), ("--counts", ["8,16"]), cap)).System));
        var compare = (CompareRequest)Parse("compare", model, ("--on", ["dgx-h100:64", "cs-3:1"]), cap);
        Assert.Equal(500, Limit(compare.Targets[0].System));
        Assert.IsNotType<GpuCluster>(compare.Targets[1].System);
    }

    [Fact]
    public void Without_the_option_the_limit_is_the_tdp()
    {
        var r = (EstimateRequest)Parse("estimate", ("--model", ["llama2-7b"]), ("--on", ["dgx-h100:64"]));
        var device = ((GpuCluster)r.Target.System).Device;
        Assert.Null(device.PowerLimitW);
        Assert.Equal(device.TdpW.Value, device.PowerLimit);
    }

    [Theory]
    [InlineData("dgx-h100:64", "800", "at most at its TDP of 700 W")]
    [InlineData("dgx-h100:64", "50", "give a value between 90 and 700")]
    [InlineData("dgx-h100:64", "lots", "expected a number")]
    [InlineData("cs-3:1", "500", "cs-3 is a wafer-scale system without a user power limit")]
    public void A_bad_cap_says_what_would_be_right(string on, string cap, string message) =>
        Assert.Contains(message, Fails("estimate", ("--model", ["llama2-7b"]), ("--on", [on]), ("--power-cap", [cap])));

    [Fact]
    public void Compare_needs_a_gpu_class_system_for_a_cap() =>
        Assert.Contains("none of the compared systems is GPU-class",
            Fails("compare", ("--model", ["llama2-7b"]), ("--on", ["cs-3:1", "cs-2:1"]), ("--power-cap", ["500"])));

    /// <summary>
    /// --power-cap 100 on an H100 was costed at 8% of the TDP clock, "measured clock/power curve",
    /// though the lowest measured point is 300 W: below it the clock is the curve's straight line to
    /// idle, an extrapolation the estimate did not name.
    /// </summary>
    [Fact]
    public void A_cap_below_the_measured_curve_is_named_an_extrapolation()
    {
        var run = CliRunner.Run("estimate", "--model", "llama2-7b", "--on", "dgx-h100:64", "--power-cap", "100");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("note: --power-cap 100 lies below the lowest point of the NVIDIA H100 SXM5 80GB's measured clock/power curve (300 W): " +
            "the clock there (8 % of the 700 W clock) is extrapolated in a straight line to the idle power (75 W), not measured", run.Out);
        Assert.DoesNotContain("extrapolated", CliRunner.Run("estimate", "--model", "llama2-7b", "--on", "dgx-h100:64", "--power-cap", "300").Out);
        // A device without a curve says so in its assumptions already (an assumed cubic law): no note.
        Assert.DoesNotContain("lowest point", CliRunner.Run("estimate", "--model", "llama2-7b", "--on", "mi300x-node:64", "--power-cap", "300").Out);
    }

    /// <summary>--power-cap 700 on an H100 is its TDP, the limit it has without the option: accepted without a word though it changed nothing.</summary>
    [Fact]
    public void A_cap_at_the_tdp_says_it_changed_nothing()
    {
        string[] job = ["estimate", "--model", "llama2-7b", "--on", "dgx-h100:64"];
        var run = CliRunner.Run([.. job, "--power-cap", "700"]);
        Assert.Contains("note: --power-cap 700 is the NVIDIA H100 SXM5 80GB's TDP, its default power limit, so it changed nothing: the estimate is the same without it", run.Out);
        Assert.Equal(CliRunner.Run(job).Out.Split('\n')[2], run.Out.Split('\n')[2]);
        Assert.DoesNotContain("changed nothing", CliRunner.Run([.. job, "--power-cap", "699"]).Out);
    }
}
