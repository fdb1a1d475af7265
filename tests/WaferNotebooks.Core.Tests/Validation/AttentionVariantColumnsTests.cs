using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Validation.Calibration;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.ValidationTests;

/// <summary>The attention-variant columns of the published rows build the same models as the catalog entries.</summary>
public class AttentionVariantColumnsTests
{
    static ModelSpec Row(string id) => CaseModel.Build(
        ValidationData.Load(Path.Combine(DataFiles.Dir, "published", "runs.csv"), "--data").Rows.Single(r => r.Case.Id == id).Case);

    [Theory]
    [InlineData("deepseek-v3-pretrain-gpu-hours", "deepseek-v3")]
    [InlineData("mbridge-2511-moe-dsv3-gb200-256-bf16", "deepseek-v3")]
    [InlineData("deepseek-v2-gpu-hours-per-t", "deepseek-v2")]
    [InlineData("mbridge-2511-moe-gptoss-h100-64-bf16", "gpt-oss-120b")]
    public void Rows_carry_the_catalog_models_attention(string row, string model)
    {
        var fromRow = Row(row);
        var catalog = SimulatorCatalog.Default.FindModel(model);
        Assert.Equal(catalog.Mla, fromRow.Mla);
        Assert.Equal(catalog.Window, fromRow.Window);
        Assert.Equal(catalog.MtpLayers, fromRow.MtpLayers);
        // Column expert_bias (GPT-OSS's routed experts add an output bias, docs/gpu-model.md §4.6) against the catalog's field.
        Assert.Equal(catalog.ExpertBias, fromRow.ExpertBias);
        Assert.Equal(model == "gpt-oss-120b", fromRow.ExpertBias);
        Assert.Equal(TransformerArithmetic.Parameters(catalog).Total, TransformerArithmetic.Parameters(fromRow).Total);
    }

    [Fact]
    public void A_row_may_stop_before_trailing_optional_columns_but_not_run_past_the_header()
    {
        const string header = "id,model,layers,hidden,heads,seq_len,system,metric,value,sliding_window,mtp_layers\n";
        var shortRow = new ValidationRun().Run(header + "short,x,4,512,8,1024,dgx-h100,tokens_per_s_per_device,1000\n", "short.csv").Rows.Single();
        Assert.False(shortRow.Skipped);
        var longRow = new ValidationRun().Run(header + "long,x,4,512,8,1024,dgx-h100,tokens_per_s_per_device,1000,,1,7\n", "long.csv").Rows.Single();
        Assert.Contains("has 12 fields, the header has 11", longRow.Reason);
        // A row that stops before a required column is still refused.
        var cut = new ValidationRun().Run("id,model,layers,hidden,heads,seq_len,system,metric,value\ncut,x,4,512,8,1024,dgx-h100,tokens_per_s_per_device\n", "cut.csv").Rows.Single();
        Assert.Contains("has 8 fields, the header has 9", cut.Reason);
    }

    [Fact]
    public void A_latent_rank_without_its_rotary_width_is_refused()
    {
        string csv = "id,model,layers,hidden,heads,seq_len,system,metric,value,kv_lora_rank\n"
                   + "bad,x,4,512,8,1024,dgx-h100,tokens_per_s_per_device,1000,64\n";
        var report = new ValidationRun().Run(csv, "bad.csv");
        var row = report.Rows.Single();
        Assert.True(row.Skipped);
        Assert.Contains("qk_rope_head_dim", row.Reason);
    }
}
