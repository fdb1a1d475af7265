using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Validation;

namespace WaferNotebooks.Core.Tests.ValidationTests;

/// <summary>Predictions come from the schema's columns: never from notes; old files keep working with documented defaults; bad values are per-row reasons.</summary>
public class SchemaInputsTests
{
    /// <summary>The CSV with one column's cells replaced (the header kept).</summary>
    static string WithColumn(string csv, string column, Func<string, string> replace)
    {
        var records = CsvReader.Parse(csv);
        int index = records[0].Fields.ToList().IndexOf(column);
        Assert.True(index >= 0, $"no column {column}");
        return string.Join("\n", records.Select((r, i) => string.Join(",",
            r.Fields.Select((f, j) => Quote(i > 0 && j == index ? replace(f) : f))))) + "\n";
    }

    /// <summary>The CSV without the named columns.</summary>
    static string Without(string csv, IReadOnlyCollection<string> columns)
    {
        var records = CsvReader.Parse(csv);
        var keep = records[0].Fields.Select((name, j) => (name, j)).Where(x => !columns.Contains(x.name)).Select(x => x.j).ToArray();
        return string.Join("\n", records.Select(r => string.Join(",", keep.Select(j => Quote(r.Fields[j]))))) + "\n";
    }

    static string Quote(string field) => field.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    static IEnumerable<(string Id, double? Predicted, string Layout)> Predictions(ValidationReport r) =>
        r.Rows.Select(x => (x.Id, x.Predicted, x.Layout));

    public static TheoryData<string> Files => new() { "runs.csv", "megatron-bridge/runs.csv", "wafer/runs.csv", "published/runs.csv" };

    [Theory]
    [MemberData(nameof(Files))]
    public void BlankNotesChangeNoPrediction(string file)
    {
        string csv = File.ReadAllText(Path.Combine(DataFiles.Dir, file));
        int notes = CsvReader.Parse(csv)[0].Fields.ToList().IndexOf("notes");
        Assert.Contains(CsvReader.Parse(csv).Skip(1), r => r.Fields[notes].Length > 20);
        var blanked = WithColumn(csv, "notes", _ => "");
        var scrambled = WithColumn(csv, "notes", n => "FSDP; DeepSpeed; interleaved schedule; flash attention; no dropout; head dim 64; 2M tokens; gradients reduced in bf16; tensor parallelism; " + n);
        var run = new ValidationRun();
        var expected = Predictions(run.Run(csv, file)).ToList();
        Assert.Equal(expected, Predictions(run.Run(blanked, file)));
        Assert.Equal(expected, Predictions(run.Run(scrambled, file)));
    }

    [Fact]
    public void A_power_cap_column_slows_the_row_and_an_impossible_cap_is_a_reason()
    {
        // Megatron-Bridge's H100 8B row: at the TDP (empty cell) as published; capped at 500 W the clock falls (docs/gpu-model.md §3.6).
        string csv = File.ReadAllText(DataFiles.MegatronBridgeCsv);
        var records = CsvReader.Parse(csv);
        int id = records[0].Fields.ToList().IndexOf("id");
        string row = "mbridge-25.11-llama3-8b-h100-8-fp8-cs-gbs128";
        string Only(string text) => string.Join("\n", text.Split('\n').Where((line, i) => i == 0 || line.StartsWith(row + ","))) + "\n";
        var run = new ValidationRun();
        double Predicted(string cap)
        {
            var r = Assert.Single(run.Run(Only(WithColumn(csv, "power_cap_w", _ => cap)), "capped").Rows);
            Assert.False(r.Skipped, r.Reason);
            return r.Predicted!.Value;
        }
        Assert.True(Predicted("500") < Predicted(""), "a 500 W cap on H100 (700 W TDP) must lower the predicted throughput");
        var above = Assert.Single(run.Run(Only(WithColumn(csv, "power_cap_w", _ => "900")), "capped").Rows);
        Assert.True(above.Skipped);
        Assert.Contains("power_cap_w 900 W", above.Reason);
    }

    [Fact]
    public void VTrainCasesIgnoreTheirNotes()
    {
        var cases = VTrainData.Load(DataFiles.VTrain("multi"), "multi").Take(20).ToList();
        var run = new ValidationRun();
        Assert.Equal(Predictions(run.Run(cases, "multi")), Predictions(run.Run(cases.Select(c => c with { Notes = "" }), "multi")));
    }

    [Fact]
    public void TheOldSchemaStillValidatesWithTodaysMainstreamStack()
    {
        string csv = File.ReadAllText(DataFiles.RunsCsv);
        var old = new ValidationRun().Run(Without(csv, CaseInputs.Columns), "old.csv");
        // Rows whose batch was only in tokens now run with the default batch as nominal.
        Assert.All(old.Rows, r => Assert.False(r.Skipped, $"{r.Id}: {r.Reason}"));
        var stack = Assert.Single(old.Rows, r => r.Id == "megatron21-t1-1.7b").Notes!;
        Assert.Contains(GpuSoftware.Modern.Describe(), stack);
    }

    [Fact]
    public void TheEraDecidesTheStackWhenNoFrameworkIsNamed()
    {
        Assert.Equal(TrainingFramework.MegatronLm, TrainingFramework.Mainstream(new DateOnly(2021, 4, 1)));
        Assert.Equal(TrainingFramework.MegatronCore, TrainingFramework.Mainstream(new DateOnly(2024, 1, 1)));
        Assert.Equal(TrainingFramework.MegatronCore, TrainingFramework.Mainstream(null));
        Assert.Equal(GpuSoftware.Megatron2021, TrainingFramework.MegatronLm.SoftwareAt(new DateOnly(2022, 5, 1)));
        Assert.Equal(GpuSoftware.Modern, TrainingFramework.MegatronLm.SoftwareAt(new DateOnly(2024, 7, 1)));
        Assert.Equal(GpuSoftware.Modern.WithCrossEntropy(CrossEntropyKernel.MegatronUnfused2022), TrainingFramework.MegatronLm.SoftwareAt(new DateOnly(2024, 5, 1)));
        Assert.False(TrainingFramework.DeepSpeed.SoftwareAt(null).InterleavedSchedule);
        Assert.Equal(3, TrainingFramework.Parse("FSDP").PreferredZeroStage);
        Assert.Same(TrainingFramework.Nemo, TrainingFramework.Parse("nemo"));
    }

    const string Header = "id,model,params_b,layers,hidden,ffn_hidden,heads,kv_heads,vocab,seq_len,global_batch_seqs,micro_batch,moe_experts,moe_active,system,devices,tp,pp,dp,cp,ep,vpp,zero_stage,recompute,sequence_parallel,precision,tokens_b,metric,value,framework,software_date,attention,interleaved,batch_tokens,source,notes";
    const string Good = "ok,GPT,,24,2048,8192,16,16,51200,2048,512,1,,,dgx-a100-80gb,64,1,1,64,1,,1,1,full,0,bf16,,hfu_tflops_per_device,150,megatron-lm,2021-04,,,,src,";

    [Theory]
    [InlineData("unknown-fw,GPT,,24,2048,8192,16,16,51200,2048,512,1,,,dgx-a100-80gb,64,1,1,64,1,,1,1,full,0,bf16,,hfu_tflops_per_device,150,colossal,,,,,src,", "unknown framework 'colossal'; known: megatron-lm")]
    [InlineData("bad-date,GPT,,24,2048,8192,16,16,51200,2048,512,1,,,dgx-a100-80gb,64,1,1,64,1,,1,1,full,0,bf16,,hfu_tflops_per_device,150,deepspeed,April 2021,,,,src,", "software_date must be a year and month")]
    [InlineData("bad-attn,GPT,,24,2048,8192,16,16,51200,2048,512,1,,,dgx-a100-80gb,64,1,1,64,1,,1,1,full,0,bf16,,hfu_tflops_per_device,150,,,flash,,,src,", "attention must be fused or unfused")]
    [InlineData("layout,GPT,,24,2048,8192,16,16,51200,2048,512,1,,,dgx-a100-80gb,64,2,2,32,1,,1,1,full,0,bf16,,hfu_tflops_per_device,150,,,,,,src,", "tp·pp·dp·cp = 2·2·32·1 = 128 but devices = 64")]
    [InlineData("vpp,GPT,,24,2048,8192,16,16,51200,2048,512,1,,,dgx-a100-80gb,64,1,1,64,1,,2,1,full,0,bf16,,hfu_tflops_per_device,150,,,,,,src,", "interleaving needs a pipeline")]
    [InlineData("batch,GPT,,24,2048,8192,16,16,51200,2048,512,1,,,dgx-a100-80gb,64,1,1,64,1,,1,1,full,0,bf16,,hfu_tflops_per_device,150,,,,,4M,src,", "disagree")]
    public void ABadValueIsAReasonForItsRowAndTheRestStillValidates(string row, string reason)
    {
        var report = new ValidationRun().Run($"{Header}\n{Good}\n{row}\n", "inline");
        Assert.False(report.Rows[0].Skipped, report.Rows[0].Reason);
        Assert.True(report.Rows[1].Skipped);
        Assert.Contains("line 3", report.Rows[1].Reason);
        Assert.Contains(reason, report.Rows[1].Reason);
    }

    [Fact]
    public void ExplicitColumnsOverrideTheFrameworkProfile()
    {
        var c = ValidationCase.From(CsvReader.Parse($"{Header}\n{Good}\n")[1],
            CsvReader.Parse(Header)[0].Fields.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i));
        var system = SimulatorCatalog.Default.FindSystem("dgx-a100-80gb");
        Assert.False(ValidationRun.SoftwareFor(c, system).FusedAttention);
        Assert.True(ValidationRun.SoftwareFor(c with { Inputs = c.Inputs with { FusedAttention = true } }, system).FusedAttention);
        Assert.False(ValidationRun.SoftwareFor(c with { Inputs = c.Inputs with { GradientsInFp32 = false } }, system).GradientsInFp32);
        Assert.Equal(Fp8ScalingRecipe.Delayed, ValidationRun.SoftwareFor(c, system).MoeDispatch.Recipe);
        Assert.Equal(Fp8ScalingRecipe.Mxfp8, ValidationRun.SoftwareFor(c with { Inputs = c.Inputs with { Fp8Recipe = Fp8ScalingRecipe.Mxfp8 } }, system).MoeDispatch.Recipe);
        Assert.Equal(MoeCudaGraphScope.Attention, ValidationRun.SoftwareFor(c with { Inputs = c.Inputs with { CudaGraphScope = MoeCudaGraphScope.Attention } }, system).MoeDispatch.Graphs);
    }

    const string ProfileHeader = "id,model,layers,hidden,ffn_hidden,heads,seq_len,global_batch_seqs,micro_batch,system,devices,tp,pp,dp,vpp,zero_stage,recompute,sequence_parallel,precision,metric,value,framework,software_date,tp_comm_overlap,fp8_param_gather,source,notes";

    /// <summary>A 40B-class row (8k sequences: GEMMs long enough that the host does not set the pace) with the given layout and profile cells, as predicted.</summary>
    static ValidationRow Row(string layout, string framework, string date, string tpOverlap = "", string fp8Gather = "", string precision = "bf16") =>
        Assert.Single(new ValidationRun().Run(
            $"{ProfileHeader}\nr,GPT,24,12288,49152,96,8192,512,1,dgx-h100,64,{layout},full,,{precision},hfu_tflops_per_device,300,{framework},{date},{tpOverlap},{fp8Gather},src,\n", "inline").Rows);

    [Fact]
    public void The_software_profiles_are_selected_per_row_by_columns_and_by_framework_and_date()
    {
        // tp_comm_overlap = 1: the tensor-parallel collectives pipelined with the GEMMs, so a tp = 8 row runs faster.
        string tp8 = "8,1,8,1,1";
        var overlapped = Row(tp8, "megatron-core", "2025-11", tpOverlap: "1");
        Assert.False(overlapped.Skipped, overlapped.Reason);
        Assert.Contains("tp_comm_overlap", string.Join(";", overlapped.Notes!));
        Assert.True(overlapped.Predicted > Row(tp8, "megatron-core", "2025-11", tpOverlap: "0").Predicted, $"{overlapped.Predicted} vs {Row(tp8, "megatron-core", "2025-11", tpOverlap: "0").Predicted}");
        Assert.True(overlapped.Predicted > Row(tp8, "megatron-core", "2025-11", tpOverlap: "0").Predicted);
        Assert.Equal(Row(tp8, "megatron-core", "2025-11").Predicted, Row(tp8, "megatron-core", "2025-11", tpOverlap: "0").Predicted);
        // fp8_param_gather = 1 with FP8 GEMMs: parameters gathered at 1 byte, said in the row's stack.
        Assert.Contains("fp8_param_gather", string.Join(";", Row(tp8, "megatron-core", "2025-11", fp8Gather: "1", precision: "fp8").Notes!));
        // DeepSpeed before 2021-10 gathered ZeRO-3 parameters one tensor at a time, not prefetched: slower than the same layout a year later.
        string zero3 = "1,1,64,1,3";
        var ds2021 = Row(zero3, "deepspeed", "2021-06");
        Assert.Contains("one synchronised gather per parameter tensor", string.Join(";", ds2021.Notes!));
        Assert.True(ds2021.Predicted < Row(zero3, "deepspeed", "2022-06").Predicted);
        Assert.Equal(GpuSoftware.Modern.WithDeepSpeed2021Zero3().Zero3SyncPerTensorS, TrainingFramework.DeepSpeed.SoftwareAt(new DateOnly(2021, 9, 1)).Zero3SyncPerTensorS);
        Assert.Equal(0, TrainingFramework.DeepSpeed.SoftwareAt(new DateOnly(2021, 10, 1)).Zero3SyncPerTensorS);
        // fp8_recipe names the FP8 scaling recipe of an MoE model's expert GEMMs; a name outside the four is a reason for that row.
        var mx = new ValidationRun().Run($"{ProfileHeader},fp8_recipe\nr,GPT,24,12288,49152,96,8192,512,1,dgx-h100,64,{tp8},full,,fp8,hfu_tflops_per_device,300,megatron-core,2025-11,,,src,,mxfp8\n", "inline").Rows[0];
        Assert.False(mx.Skipped, mx.Reason);
        var nv = new ValidationRun().Run($"{ProfileHeader},fp8_recipe\nr,GPT,24,12288,49152,96,8192,512,1,dgx-h100,64,{tp8},full,,fp8,hfu_tflops_per_device,300,megatron-core,2025-11,,,src,,nvfp4\n", "inline").Rows[0];
        Assert.True(nv.Skipped);
        Assert.Contains("column fp8_recipe must be one of delayed, current, mxfp8, blockwise, not 'nvfp4'", nv.Reason);
        var scope = new ValidationRun().Run($"{ProfileHeader},fp8_recipe,cuda_graph_scope\nr,GPT,24,12288,49152,96,8192,512,1,dgx-h100,64,{tp8},full,,fp8,hfu_tflops_per_device,300,megatron-core,2025-11,,,src,,,moe_preprocess\n", "inline").Rows[0];
        Assert.True(scope.Skipped);
        Assert.Contains("column cuda_graph_scope: moe_preprocess is captured only with moe_router", scope.Reason);
        // A value outside 0/1 is a reason for that row.
        var bad = Row(tp8, "megatron-core", "2025-11", tpOverlap: "yes");
        Assert.True(bad.Skipped);
        Assert.Contains("tp_comm_overlap", bad.Reason);
    }
}
