using System.Text.Json.Nodes;
using WaferNotebooks.Core;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli.Tests.Commands;

/// <summary>--release on wafer-scale systems: the Cerebras software release era whose measured utilisation is costed; and `wafer validate` on the measured wafer logs.</summary>
public class ReleaseOptionTests
{
    private static CommandRequest Parse(string subcommand, params (string Name, string[] Values)[] options) =>
        RequestParser.Default.Parse(subcommand, options.ToDictionary(o => o.Name, o => (IReadOnlyList<string>)o.Values));

    private static string Fails(string subcommand, params (string Name, string[] Values)[] options) =>
        Assert.ThrowsAny<WaferInputException>(() => Parse(subcommand, options)).Message;

    private static readonly (string, string[]) Model = ("--model", ["llama2-7b"]);

    [Fact]
    public void The_release_reaches_every_estimating_subcommand_and_the_default_is_the_newest()
    {
        var release = ("--release", new[] { "R2.0.3" });
        static string? Era(SystemSpec s) => ((WaferCluster)s).Release;
        Assert.Equal("R2.0", Era(((EstimateRequest)Parse("estimate", Model, ("--on", ["cs-2:2"]), release)).Target.System));
        Assert.Equal("R2.0", Era(((TimelineRequest)Parse("timeline", Model, ("--on", ["cs-2:2"]), release)).Target.System));
        Assert.Equal("R2.0", Era(((PlanRequest)Parse("plan", Model, ("--on", ["cs-2:2"]), release)).Target.System));
        Assert.Equal("R2.0", Era(((SweepRequest)Parse("sweep", Model, ("--on", ["cs-2"]), ("--counts", ["1,2"]), release)).System));
        var compare = (CompareRequest)Parse("compare", Model, ("--on", ["dgx-h100:64", "cs-3:1"]), release);
        Assert.IsType<GpuCluster>(compare.Targets[0].System);
        Assert.Equal("R2.0", Era(compare.Targets[1].System));
        var newest = SimulatorCatalog.Default.Systems.OfType<WaferCluster>().First().NewestEra!.Release;
        Assert.Equal(newest, Era(((EstimateRequest)Parse("estimate", Model, ("--on", ["cs-3:1"]))).Target.System));
    }

    [Fact]
    public void An_older_release_is_slower()
    {
        var now = CliRunner.Run("estimate", "--model", "llama2-7b", "--on", "cs-2:2", "--json");
        var then = CliRunner.Run("estimate", "--model", "llama2-7b", "--on", "cs-2:2", "--release", "R1.7", "--json");
        Assert.Equal(ExitCodes.Ok, then.ExitCode);
        double Rate(string json) => JsonNode.Parse(json)!["tokens_per_s"]!.GetValue<double>();
        Assert.True(Rate(then.Out) < 0.6 * Rate(now.Out), $"{Rate(then.Out)} vs {Rate(now.Out)}");
    }

    [Theory]
    [InlineData("dgx-h100:64", "R2.0", "dgx-h100 is not a wafer-scale system; GPU-class systems take --framework")]
    [InlineData("cs-3:1", "R1.2", "--release 'R1.2': older than every measured release")]
    [InlineData("cs-3:1", "newest", "expected a Cerebras software release such as R2.5")]
    [InlineData("cs-3:1", "2020-01", "no measured Cerebras log dates from before")]
    public void A_bad_release_says_what_would_be_right(string on, string release, string message) =>
        Assert.Contains(message, Fails("estimate", Model, ("--on", [on]), ("--release", [release])));

    [Fact]
    public void Compare_needs_a_wafer_scale_system_for_a_release() =>
        Assert.Contains("none of the compared systems is wafer-scale",
            Fails("compare", Model, ("--on", ["dgx-h100:64", "dgx-a100-80gb:64"]), ("--release", ["R2.5"])));

    [Fact]
    public void Validate_reports_every_measured_wafer_log_inside_its_range()
    {
        var run = CliRunner.Run("validate", "--data", Path.Combine(CliRunner.RepoRoot, "data", "validation", "wafer", "runs.csv"), "--json");
        Assert.True(run.ExitCode == ExitCodes.Ok, $"exit {run.ExitCode}: {run.Err}");
        var json = JsonNode.Parse(run.Out)!.AsObject();
        var rows = json["rows"]!.AsArray();
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.True(r!["inside_range"]!.GetValue<bool>(), r["id"]!.GetValue<string>()));
        Assert.Equal(1.0, json["summary"]!["coverage"]!.GetValue<double>());
        Assert.True(json["summary"]!["mean_abs_error"]!.GetValue<double>() < 0.12);
    }
}
