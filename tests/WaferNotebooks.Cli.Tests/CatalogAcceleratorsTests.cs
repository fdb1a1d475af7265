using System.Text.Json;

namespace WaferNotebooks.Cli.Tests;

/// <summary><c>wafer catalog accelerators</c> shows each device's architecture and whether a measured clock/power curve backs --power-cap.</summary>
public class CatalogAcceleratorsTests
{
    [Fact]
    public void The_json_rows_carry_the_architecture_and_the_clock_power_points()
    {
        var run = CliRunner.Run("catalog", "accelerators", "--json");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Err);
        var rows = JsonDocument.Parse(run.Out).RootElement.GetProperty("accelerators").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal("ampere", rows["a100-80gb"].GetProperty("architecture").GetString());
        Assert.Equal("tpu-v5p", rows["tpu-v5p"].GetProperty("architecture").GetString());
        Assert.Equal(9, rows["a100-80gb"].GetProperty("clock_power_curve_points").GetInt32());
        // The H100's five points are shares of its 700 W clock under MLPerf capped runs (docs/gpu-model.md §3.6); the H200 has none.
        Assert.Equal(5, rows["h100-sxm"].GetProperty("clock_power_curve_points").GetInt32());
        Assert.Equal(JsonValueKind.Null, rows["h200"].GetProperty("clock_power_curve_points").ValueKind);
    }

    [Fact]
    public void The_text_table_has_both_columns()
    {
        var run = CliRunner.Run("catalog", "accelerators");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Err);
        Assert.Contains("architecture", run.Out);
        Assert.Contains("clock/power points", run.Out);
        Assert.Matches(@"(?m)^h100-sxm .* hopper ", run.Out);
    }
}
