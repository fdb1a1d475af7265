using System.Text.Json.Nodes;

namespace WaferNotebooks.Cli.Tests;

/// <summary>`wafer calibrate` and `wafer validate --cv` from the terminal.</summary>
public sealed class CliCalibrateTests : IDisposable
{
    private static readonly string Bridge = Path.Combine(CliRunner.RepoRoot, "data", "validation", "megatron-bridge", "runs.csv");
    private const string BlackwellRows = "mbridge-25.11-llama3-8b-b200-*,mbridge-25.11-llama3-8b-gb200-*,mbridge-26.02-llama3-70b-gb200-64-mxfp8-*";

    private readonly string directory = Directory.CreateTempSubdirectory("wafer-calibrate-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Calibrate_writes_an_overlay_that_catalog_loads_and_says_what_it_fitted()
    {
        var overlay = Path.Combine(directory, "blackwell.json");
        var run = CliRunner.Run("calibrate", "--data", Bridge, "--rows", BlackwellRows, "--fit", "sustained_matmul_share", "--out", overlay);
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Err);
        Assert.Contains("blackwell", run.Out);
        Assert.Contains("mbridge-25.11-llama3-8b-b200-8-fp8-cs-gbs128", run.Out);
        Assert.Contains("|error| mean before", run.Out);
        Assert.Contains($"written: {overlay}", run.Out);

        var json = JsonNode.Parse(CliRunner.Run("calibrate", "--data", Bridge, "--rows", BlackwellRows, "--fit", "sustained_matmul_share", "--json").Out)!;
        var value = json["fit"]!["values"]!.AsArray().Single()!;
        Assert.Equal("blackwell", value["accelerator"]!.GetValue<string>());
        Assert.Equal(3, value["rows"]!.AsArray().Count);
        Assert.True(value["after"]!["rms_log_error"]!.GetValue<double>() <= value["before"]!["rms_log_error"]!.GetValue<double>());
        Assert.Null(json["written"]);

        // Fitted to the B200 row alone, the share differs from the shipped one, and estimates with the overlay follow it
        // (with zero=1, so the job fits: one that does not fit has no step time).
        var b200 = Path.Combine(directory, "b200.json");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("calibrate", "--data", Bridge, "--rows", "mbridge-25.11-llama3-8b-b200-*", "--fit", "sustained_matmul_share", "--out", b200).ExitCode);
        double StepTime(params string[] extra) =>
            JsonNode.Parse(CliRunner.Run(["estimate", "--model", "llama3-8b", "--on", "dgx-b200:8", "--layout", "dp=8,zero=1", "--json", .. extra]).Out)!["step_time_s"]!.GetValue<double>();
        Assert.NotEqual(StepTime(), StepTime("--catalog", b200));
    }

    [Fact]
    public void Calibrate_weight_paper_is_recorded_and_the_band_is_shown_and_written()
    {
        var runs = Path.Combine(CliRunner.RepoRoot, "data", "validation", "runs.csv");
        var overlay = Path.Combine(directory, "a100.json");
        // Narayanan's 10 rows and Korthikanti's 4, each paper weighing once.
        var run = CliRunner.Run("calibrate", "--data", runs, "--rows", "megatron21-*,korthikanti22-*", "--fit", "sustained_matmul_share", "--weight", "paper", "--out", overlay);
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Err);
        Assert.Contains("each of the paper weighing once", run.Out);
        Assert.Contains("band (rows 10-90%)", run.Out);
        var fit = JsonNode.Parse(File.ReadAllText(overlay))!["calibrations"]!.AsArray().Single()!;
        Assert.Equal("paper", fit["weight"]!.GetValue<string>());
        Assert.Contains("--weight paper", fit["command"]!.GetValue<string>());
        var value = fit["values"]!.AsArray().Single()!;
        double low = value["low"]!.GetValue<double>(), high = value["high"]!.GetValue<double>(), share = value["value"]!.GetValue<double>();
        Assert.True(low < share && share < high, $"band {low}–{high} around {share}");
        // Weighted by rows, Narayanan's ten rows pull harder: another value.
        var byRows = JsonNode.Parse(CliRunner.Run("calibrate", "--data", runs, "--rows", "megatron21-*,korthikanti22-*", "--fit", "sustained_matmul_share", "--json").Out)!;
        Assert.NotEqual(share, byRows["fit"]!["values"]!.AsArray().Single()!["value"]!.GetValue<double>());
        Assert.Null(byRows["fit"]!["weight"]);
        var bad = CliRunner.Run("calibrate", "--data", runs, "--fit", "sustained_matmul_share", "--weight", "model");
        Assert.NotEqual(ExitCodes.Ok, bad.ExitCode);
        Assert.Contains("rows, paper, source", bad.Err + bad.Out);
    }

    [Fact]
    public void Validate_cv_reports_in_sample_and_cross_validated_errors_per_row()
    {
        var text = CliRunner.Run("validate", "--data", Bridge, "--cv", "system");
        Assert.True(text.ExitCode == ExitCodes.Ok, text.Err);
        Assert.Contains("cross-validated leaving out one system at a time", text.Out);
        Assert.Contains("throughput rows, cross-validated:", text.Out);
        Assert.Contains("gb200-nvl72", text.Out);

        var json = JsonNode.Parse(CliRunner.Run("validate", "--data", Bridge, "--cv", "system", "--json").Out)!;
        Assert.Equal("system", json["cv_by"]!.GetValue<string>());
        foreach (var key in new[] { "cv_summary", "throughput_cv_summary", "folds" })
            Assert.NotNull(json[key]);
        var row = json["rows"]!.AsArray().First(r => !r!["skipped"]!.GetValue<bool>())!;
        Assert.NotNull(row["cv_predicted"]);
        Assert.NotNull(row["group"]);
    }

    [Fact]
    public void Bad_calibrate_input_is_refused_with_what_would_be_right()
    {
        CliRunner.AssertRefused(CliRunner.Run("calibrate", "--data", Bridge, "--fit", "share"), "--fit 'share': did you mean sustained_matmul_share? expected one of sustained_matmul_share, launch_s");
        CliRunner.AssertRefused(CliRunner.Run("validate", "--data", Bridge, "--cv", "row"), "--cv");
    }
}
