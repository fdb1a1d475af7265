using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Validation;

namespace WaferNotebooks.Core.Tests.ValidationTests;

/// <summary>A row predicted at a layout the memory model says does not fit says so, in its row and in the summary, and still counts in the errors.</summary>
public class DoesNotFitRowTests
{
    const string Row = "torchtitan-h100-8b-8x-fsdp-eager";

    static string PublishedCsv => Path.Combine(DataFiles.Dir, "published", "runs.csv");

    /// <summary>The header and torchtitan's Llama 3.1 8B eager FSDP row (8 GPUs), with micro-batch <paramref name="microBatch"/> and the global batch 8 of them.</summary>
    static string Only(int microBatch)
    {
        var lines = File.ReadAllLines(PublishedCsv);
        var header = lines[0].Split(',');
        int mb = Array.IndexOf(header, "micro_batch"), gbs = Array.IndexOf(header, "global_batch_seqs");
        var fields = Assert.Single(lines, l => l.StartsWith(Row + ",")).Split(',', Math.Max(mb, gbs) + 2);
        fields[mb] = microBatch.ToString();
        fields[gbs] = (8 * microBatch).ToString();
        return lines[0] + "\n" + string.Join(',', fields) + "\n";
    }

    [Fact]
    public void The_torchtitan_eager_row_fits_with_its_policys_activations()
    {
        // torchtitan reports 82.4 GiB on the 96 GB part; Megatron's selective figure made it 124.9 GB.
        var r = Assert.Single(new ValidationRun().Run(Only(2), "published").Rows);
        Assert.False(r.Skipped, r.Reason);
        Assert.Null(r.DoesNotFit);
        Assert.Equal(0, new ValidationReport("published", [r]).Summary.DoesNotFit);
    }

    [Fact]
    public void A_row_whose_layout_does_not_fit_is_flagged_predicted_and_counted()
    {
        // Micro-batch 4 of 8192 tokens: twice the activations and logits of the published run.
        var report = new ValidationRun().Run(Only(4), "published");
        var r = Assert.Single(report.Rows);
        Assert.False(r.Skipped);
        Assert.NotNull(r.Predicted);
        Assert.Contains("per device of 96 GB", r.DoesNotFit);
        var summary = report.Summary;
        Assert.Equal(1, summary.DoesNotFit);
        // Still in the error figures.
        Assert.Equal(r.AbsError!.Value, summary.MeanAbsError, 12);

        var view = ValidateCommand.Instance.View(new ValidateResult(report, null));
        var row = Assert.IsType<ViewRecord>(Assert.Single(Assert.IsType<ViewArray>(view.Record["rows"]).Items));
        Assert.Equal(r.DoesNotFit, row["does_not_fit"]?.ToString());
        Assert.Equal("no", view.Tables[0].Rows[0][^1]);
        Assert.Contains(view.Lists, l => l.Title == "predicted although the layout does not fit" && l.Items.Single().StartsWith(Row + ": needs"));
        Assert.Contains(view.Notes, n => n.Text.Contains("1 predicted although the memory model says their layout does not fit"));
    }
}
