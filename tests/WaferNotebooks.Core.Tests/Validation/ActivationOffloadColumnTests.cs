using WaferNotebooks.Core.Validation;

namespace WaferNotebooks.Core.Tests.ValidationTests;

/// <summary>The <c>activation_offload</c> column is applied to the row's layout as <c>offload=N</c>.</summary>
public class ActivationOffloadColumnTests
{
    const string Row = "mbridge-26.02-llama3-70b-gb200-64-fp8-gbs256";

    /// <summary>The header and the GB200 Llama 3 70B FSDP row of the Megatron-Bridge file, with <paramref name="edit"/> applied to the row.</summary>
    static string Only(Func<string, string>? edit = null)
    {
        var lines = File.ReadAllLines(DataFiles.MegatronBridgeCsv);
        string row = Assert.Single(lines, l => l.StartsWith(Row + ","));
        return lines[0] + "\n" + (edit ?? (l => l))(row) + "\n";
    }

    /// <summary>The row with its cell in <paramref name="column"/> replaced (the columns before notes hold no quoted commas).</summary>
    static string WithCell(string line, string column, string value)
    {
        int index = Array.IndexOf(File.ReadLines(DataFiles.MegatronBridgeCsv).First().Split(','), column);
        var fields = line.Split(',', index + 2);
        fields[index] = value;
        return string.Join(',', fields);
    }

    [Fact]
    public void The_recipes_offload_runs_as_offload_n_and_fits_without_recompute()
    {
        // NVIDIA's recipe: Megatron FSDP, mb=2, 40 of 80 layers' activations in Grace memory, no
        // recompute. With the logits as Transformer Engine's cross entropy holds them and FP8 gathers,
        // the layout fits the GB200's 186 GB as it does in the recipe.
        var r = Assert.Single(new ValidationRun().Run(Only(), "bridge").Rows);
        Assert.False(r.Skipped, r.Reason);
        Assert.Contains("offload=40", r.Layout);
        Assert.Contains("recompute=none", r.Layout);
        Assert.DoesNotContain(r.Notes!, n => n.Contains("does not fit"));
        Assert.Contains(r.Notes!, n => n.StartsWith("activation_offload = 40 layers per stage"));
    }

    [Fact]
    public void Without_the_column_the_row_needs_recompute_instead()
    {
        var r = Assert.Single(new ValidationRun().Run(Only(l => WithCell(l, "activation_offload", "")), "bridge").Rows);
        Assert.DoesNotContain("offload=", r.Layout);
        Assert.DoesNotContain("recompute=none", r.Layout);
    }

    [Fact]
    public void Offload_beside_published_full_recompute_is_a_contradiction_on_its_line()
    {
        var r = Assert.Single(new ValidationRun().Run(Only(l => WithCell(l, "recompute", "full")), "bridge").Rows);
        Assert.True(r.Skipped);
        Assert.Contains("activation_offload = 40 with recompute = full", r.Reason);
    }
}
