using System.Text.Json.Nodes;

namespace WaferNotebooks.Cli.Tests;

/// <summary>`wafer validate` on the shipped published runs and on CSV files it has never seen.</summary>
public sealed class CliValidateTests : IDisposable
{
    private static readonly string RunsCsv = Path.Combine(CliRunner.RepoRoot, "data", "validation", "runs.csv");

    private readonly string directory = Directory.CreateTempSubdirectory("wafer-validate-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static readonly string[] RowKeys = ["id", "metric", "measured", "predicted", "error", "predicted_low", "predicted_high", "inside_range", "assumed", "skipped", "reason", "does_not_fit"];
    private static readonly string[] SummaryKeys = ["count", "skipped", "mean_abs_error", "median_abs_error", "p90_abs_error", "max_abs_error", "coverage", "median_relative_width", "max_outside_range", "does_not_fit"];

    private static JsonObject Validate(string path)
    {
        var run = CliRunner.Run("validate", "--data", path, "--json");
        Assert.True(run.ExitCode == ExitCodes.Ok, $"exit {run.ExitCode}: {run.Err}");
        var json = JsonNode.Parse(run.Out)!.AsObject();
        foreach (var row in json["rows"]!.AsArray())
            foreach (var key in RowKeys)
                Assert.True(row!.AsObject().ContainsKey(key), $"row lacks '{key}'");
        foreach (var key in SummaryKeys)
            Assert.True(json["summary"]!.AsObject().ContainsKey(key), $"summary lacks '{key}'");
        return json;
    }

    [Fact]
    public void The_published_runs_are_all_reported()
    {
        var json = Validate(RunsCsv);
        var rows = json["rows"]!.AsArray();
        Assert.Equal(json["summary"]!["count"]!.GetValue<int>(), rows.Count);
        Assert.True(rows.Count >= 30, $"only {rows.Count} rows");
        Assert.Contains(rows, r => r!["id"]!.GetValue<string>() == "megatron21-t1-1.7b");
        foreach (var r in rows.Where(r => !r!["skipped"]!.GetValue<bool>()))
        {
            var measured = r!["measured"]!.GetValue<double>();
            var predicted = r["predicted"]!.GetValue<double>();
            Assert.Equal((predicted - measured) / measured, r["error"]!.GetValue<double>(), 9);
        }

        var text = CliRunner.Run("validate", "--data", RunsCsv);
        Assert.Contains("throughput rows:", text.Out);
        Assert.Contains("megatron21-t1-1.7b", text.Out);
    }

    /// <summary>A GPT-3-style 6.7B model on 64 A100s with its layout published, written for these tests in the schema.</summary>
    private const string FixedLayoutRow =
        "test-6.7b-fixed,GPT 6.7B test,6.7,32,4096,16384,32,32,51200,2048,512,1,,,dgx-a100-80gb,64,2,1,32,1,,1,1,selective,1,bf16,,tokens_per_s_per_device,3000,test,written by the test";

    /// <summary>The schema's header before the optional columns (framework, batch_tokens, ...) existed: such files still validate.</summary>
    private const string OldHeader =
        "id,model,params_b,layers,hidden,ffn_hidden,heads,kv_heads,vocab,seq_len,global_batch_seqs,micro_batch,moe_experts,moe_active,system,devices,tp,pp,dp,cp,ep,vpp,zero_stage,recompute,sequence_parallel,precision,tokens_b,metric,value,source,notes";

    /// <summary>A CSV in the directory of this test: the old schema's header, then <paramref name="rows"/>.</summary>
    private string WriteCsv(string name, params string[] rows)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllLines(path, [OldHeader, .. rows]);
        return path;
    }

    [Fact]
    public void A_csv_it_has_never_seen_is_predicted()
    {
        // The second row leaves the layout to the search.
        var path = WriteCsv("new-runs.csv", FixedLayoutRow,
            "test-6.7b-search,GPT 6.7B test,6.7,32,4096,16384,32,32,51200,2048,512,,,,dgx-a100-80gb,64,,,,,,,,,,bf16,,mfu_percent,45,test,layout left to the search");
        var json = Validate(path);
        var rows = json["rows"]!.AsArray();
        Assert.Equal(["test-6.7b-fixed", "test-6.7b-search"], rows.Select(r => r!["id"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.False(r!["skipped"]!.GetValue<bool>(), r["reason"]?.ToString()));
        Assert.All(rows, r => Assert.True(r!["predicted"]!.GetValue<double>() > 0));
        Assert.Equal(0, json["summary"]!["skipped"]!.GetValue<int>());
        // The searched row's open knobs are listed and its range brackets the nominal.
        var searched = rows[1]!;
        Assert.Contains("tp", searched["assumed"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.InRange(searched["predicted"]!.GetValue<double>(), searched["predicted_low"]!.GetValue<double>(), searched["predicted_high"]!.GetValue<double>());
    }

    /// <summary>A misspelt column (framwork) was read by nothing: its rows were predicted with the default framework and no word said so.</summary>
    [Fact]
    public void A_column_validation_does_not_read_is_refused_with_the_close_name()
    {
        var path = Path.Combine(directory, "misspelt.csv");
        File.WriteAllLines(path, [OldHeader + ",framwork", FixedLayoutRow + ",deepspeed"]);
        var run = CliRunner.Run("validate", "--data", path);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("line 1: column 'framwork' is not one validation reads, so its values would be ignored; did you mean framework?", run.Err);
        Assert.Contains("known columns: id, model,", run.Err);

        File.WriteAllLines(path, [OldHeader + ",tp", FixedLayoutRow + ",4"]);
        run = CliRunner.Run("validate", "--data", path);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("column 'tp' appears 2 times; give each column once", run.Err);
    }

    [Fact]
    public void A_malformed_row_is_reported_with_its_line_and_fails_the_run()
    {
        var path = WriteCsv("bad.csv", FixedLayoutRow, "test-short,GPT 6.7B test,6.7,32");
        var run = CliRunner.Run("validate", "--data", path);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("line 3", run.Err);
        Assert.Contains("malformed", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.Contains("test-6.7b-fixed", run.Out);
    }

    /// <summary>With no row predicted, the summary said "|error| mean 0.0% ... coverage 0.0%": a perfect and an empty file read alike.</summary>
    [Fact]
    public void A_summary_of_no_predicted_rows_has_no_errors_rather_than_zero_ones()
    {
        var path = WriteCsv("all-bad.csv", "test-short,GPT 6.7B test,6.7,32");
        var run = CliRunner.Run("validate", "--data", path, "--json");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        var summary = JsonNode.Parse(run.Out)!["summary"]!.AsObject();
        Assert.Equal((1, 1), (summary["count"]!.GetValue<int>(), summary["skipped"]!.GetValue<int>()));
        foreach (var key in new[] { "mean_abs_error", "median_abs_error", "p90_abs_error", "max_abs_error", "coverage", "median_relative_width", "max_outside_range" })
            Assert.True(summary.ContainsKey(key) && summary[key] is null, $"{key}: {summary[key]}");
        var text = CliRunner.Run("validate", "--data", path).Out;
        Assert.Contains("all rows: 0 predicted, 1 skipped; no row was predicted, so there is no error to summarise", text);
        Assert.Contains("throughput rows: 0 predicted, 0 skipped; no row was predicted, so there is no error to summarise", text);
        Assert.DoesNotContain("mean 0.0%", text);

        // A file of predicted rows keeps its figures.
        var good = Validate(WriteCsv("good.csv", FixedLayoutRow))["summary"]!;
        Assert.True(good["mean_abs_error"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void A_file_without_the_schema_header_is_refused()
    {
        var path = Path.Combine(directory, "not-runs.csv");
        File.WriteAllText(path, "name,value\nx,1\n");
        var run = CliRunner.Run("validate", "--data", path);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("line 1", run.Err);
        Assert.Contains("header", run.Err);
    }
}
