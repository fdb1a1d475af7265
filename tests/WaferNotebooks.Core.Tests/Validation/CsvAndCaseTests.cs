using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Validation;

namespace WaferNotebooks.Core.Tests.ValidationTests;

public class CsvAndCaseTests
{
    const string Header = "id,model,params_b,layers,hidden,ffn_hidden,heads,kv_heads,vocab,seq_len,global_batch_seqs,micro_batch,moe_experts,moe_active,system,devices,tp,pp,dp,cp,ep,vpp,zero_stage,recompute,sequence_parallel,precision,tokens_b,metric,value,source,notes";

    [Fact]
    public void QuotedFieldsWithCommasQuotesAndNewlines()
    {
        var r = CsvReader.Parse("a,\"b, c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",2,3\n");
        Assert.Equal(2, r.Count);
        Assert.Equal(["a", "b, c", "say \"hi\""], r[0].Fields);
        Assert.Equal("multi\nline", r[1].Fields[0]);
        Assert.Equal(2, r[1].Line);
    }

    [Fact]
    public void UnclosedQuoteNamesItsLine()
    {
        var e = Assert.Throws<FormatException>(() => CsvReader.Parse("a,b\n\"open,c\n"));
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void MalformedRowsAreSkippedWithTheirLine()
    {
        string csv = Header + "\n"
            + "ok,GPT 1.3B,,24,2048,,16,,51200,2048,512,4,,,dgx-a100-80gb,64,1,1,64,1,,1,1,full,0,bf16,,hfu_tflops_per_device,150,src,\"note, with comma\"\n"
            + "bad,GPT,,24,two thousand,,16,,51200,2048,512,4,,,dgx-a100-80gb,64,1,1,64,1,,1,1,full,0,bf16,,hfu_tflops_per_device,150,src,\n"
            + "short,GPT,1\n"
            + "nosys,GPT,,24,2048,,16,,51200,2048,512,4,,,no-such-system,64,1,1,64,1,,1,1,full,0,bf16,,mfu_percent,40,src,\n";
        var report = new ValidationRun().Run(csv, "inline");
        Assert.Equal(4, report.Rows.Count);
        Assert.False(report.Rows[0].Skipped, report.Rows[0].Reason);
        Assert.InRange(report.Rows[0].Predicted!.Value, 50, 280);
        Assert.Contains("line 3", report.Rows[1].Reason);
        Assert.Contains("hidden", report.Rows[1].Reason);
        Assert.Contains("line 4", report.Rows[2].Reason);
        Assert.Contains("not in the catalog", report.Rows[3].Reason);
        Assert.Equal(3, report.Summary.Skipped);
    }

    [Fact]
    public void AnMfuOutsideOneToAHundredPercentOrAMistypedMetricIsRefusedWithWhatWouldBeRight()
    {
        string Row(string metric, string value) =>
            $"{metric}-{value},GPT 1.3B,,24,2048,,16,,51200,2048,512,4,,,dgx-a100-80gb,64,1,1,64,1,,1,1,full,0,bf16,,{metric},{value},src,\n";
        var report = new ValidationRun().Run(Header + "\n" + Row("mfu_percent", "0.45") + Row("mfu_percent", "450") + Row("mfu", "45") + Row("mfu_percent", "45"), "inline");
        Assert.Contains("looks like a fraction", report.Rows[0].Reason);
        Assert.Contains("write 45 for 45%", report.Rows[0].Reason);
        Assert.Contains("above 100", report.Rows[1].Reason);
        Assert.Contains("did you mean mfu_percent", report.Rows[2].Reason);
        Assert.False(report.Rows[3].Skipped, report.Rows[3].Reason);
    }

    [Fact]
    public void MissingHeaderColumnsAreBadInput()
    {
        var e = Assert.Throws<WaferInputException>(() => new ValidationRun().Run("id,model\nx,y\n", "x.csv"));
        Assert.Contains("layers", e.Message);
    }

    [Fact]
    public void GatingAndTyingFollowThePublishedParameterCount()
    {
        var c = new ValidationCase("llama", 2, "LLaMA-65B", 65.2, 80, 8192, 22016, 64, 64, 32000, 2048, 2048, null, null, null,
            "dgx-a100-80gb", 2048, null, null, null, null, null, null, null, null, null, WaferNotebooks.Core.Catalog.Precision.Bf16, null, "mfu_percent", 40, "");
        var m = CaseModel.Build(c);
        Assert.Equal(FfnKind.SwiGlu, m.Ffn);
        Assert.False(m.TiedEmbeddings);
        var palm = c with { ParamsB = 540.35, Layers = 118, Hidden = 18432, FfnHidden = 73728, Heads = 48, KvHeads = 1, Vocab = 256000, Inputs = new() { HeadDim = 256 } };
        var pm = CaseModel.Build(palm);
        Assert.Equal(256, pm.HeadDim);
        Assert.Equal(FfnKind.SwiGlu, pm.Ffn);
        Assert.True(pm.TiedEmbeddings);
    }

    [Fact]
    public void SummaryStatistics()
    {
        var rows = new[] { 0.1, -0.2, 0.3, 0.05 }.Select((e, i) => new ValidationRow($"r{i}", i, "iteration_s", 1, 1 + e, e, false, null))
            .Append(ValidationRow.Skip("s", 9, "iteration_s", 1, "why")).ToArray();
        var s = ValidationSummary.Of(rows);
        Assert.Equal(5, s.Count);
        Assert.Equal(1, s.Skipped);
        Assert.Equal(0.1625, s.MeanAbsError, 1e-12);
        Assert.Equal(0.15, s.MedianAbsError, 1e-12);
        Assert.Equal(0.3, s.MaxAbsError, 1e-12);
        Assert.Equal(0.27, s.P90AbsError, 1e-12);
    }
}
