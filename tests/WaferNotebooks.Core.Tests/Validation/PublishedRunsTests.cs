using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Validation.Calibration;
using Xunit.Abstractions;

namespace WaferNotebooks.Core.Tests.ValidationTests;

/// <summary>
/// data/validation/published/: measurements collected from public sources that the model was not
/// built with (llm-foundry FSDP tables, torchtitan, MaxText on TPU, Intel Gaudi 2, whole runs).
/// The levels asserted are the ones REACHED, cross-validated by source, so that a regression shows;
/// the issue's aim on unseen published runs (issue 9) is a mean |error| under 15% with at least 70%
/// of measurements inside the reported range, and it is NOT met (see the README beside the data).
/// </summary>
public class PublishedRunsTests(ITestOutputHelper output)
{
    static string PublishedCsv => Path.Combine(DataFiles.Dir, "published", "runs.csv");

    static readonly HashSet<string> WholeRunMetrics = ["device_hours", "wall_days", "energy_mwh", "time_to_train_min"];

    /// <summary>The rows of the recorded wafer calibrate fits in calibrations.json that use this file.</summary>
    static bool InAFit(string id) =>
        SimulatorCatalog.Default.Calibrations.SelectMany(f => f.Data).Where(d => d.File == "data/validation/published/runs.csv").Any(d => d.Rows.Contains(id));

    /// <summary>The published runs cross-validated by source (every calibrated constant refitted without the row's source).</summary>
    internal static CrossValidationReport CrossValidated() =>
        CrossValidation.Run(SimulatorCatalog.Default, ValidationData.Load(PublishedCsv, "--data"), CrossValidation.BySource);

    void Report(string what, IReadOnlyList<ValidationRow> rows)
    {
        var s = ValidationSummary.Of(rows);
        output.WriteLine($"{what}: {s.Count - s.Skipped} predicted, mean {s.MeanAbsError:P1}, median {s.MedianAbsError:P1}, p90 {s.P90AbsError:P1}, coverage {s.Coverage:P1}");
    }

    [Fact]
    public void Every_row_is_new_evidence_with_a_locator_and_predicts_or_says_why_not()
    {
        var data = ValidationData.Load(PublishedCsv, "--data");
        Assert.Empty(data.Malformed);
        Assert.True(data.Rows.Count >= 105, $"{data.Rows.Count} rows");
        Assert.Equal(data.Rows.Count, data.Rows.Select(r => r.Case.Id).Distinct().Count());
        // A source names a repository at a commit, a paper with its arXiv id, or a vendor page.
        Assert.All(data.Rows, r => Assert.Matches(@"@[0-9a-f]{7,40}|arXiv:\d{4}\.\d{4,5}|intel\.com|model card|MODEL_CARD|MosaicML 2023|README\.md", r.Case.Source));

        // Nothing here repeats a measurement the model was built or scored with.
        var seen = new[] { DataFiles.RunsCsv, DataFiles.MegatronBridgeCsv }
            .SelectMany(f => ValidationData.Load(f, "--data").Rows)
            .Select(r => (r.Case.SystemId, r.Case.Metric, r.Case.Value)).ToHashSet();
        Assert.DoesNotContain(data.Rows, r => seen.Contains((r.Case.SystemId, r.Case.Metric, r.Case.Value)));

        // Every row is predicted: the multi-slice TPU v5e runs cross the data-centre network between 256-chip
        // slices, and the TPU v3 multipod (4,096 chips on ICI) is inside the catalog's tpu-v3-pod.
        var report = new ValidationRun().Run(File.ReadAllText(PublishedCsv), "published/runs.csv");
        var skipped = report.Rows.Where(r => r.Skipped).ToList();
        Assert.True(skipped.Count == 0, string.Join("; ", skipped.Select(r => $"{r.Id}: {r.Reason}")));
    }

    [Fact]
    public void Levels_reached_on_unseen_published_runs_cross_validated_by_source()
    {
        var cv = CrossValidated();
        var throughput = cv.OutOfGroup.Throughput;
        Report("throughput rows, cross-validated by source", throughput.Rows);
        var s = throughput.Summary;
        // Target (issue 9): mean < 15% and coverage >= 70%, asserted as asked: MET this round (11.4%, 78.9%).
        // History of the level reached (mean / median / coverage): 31.5% / 19.3% / 25.3% over 91 rows when the data were
        // collected; 20.0% / 14.9% / 56.3% over 103 after the calibration bands, eager kernels, multi-slice v5e, MLPerf v5.1,
        // the MoE expert loop and attention by kernel generation; 16.6% / 8.0% / 69.7% over 109 after torchtitan's op-level
        // recompute, the LUMI rows, the MoE recipes' settings and loss kernels. This round (docs/gpu-model.md): the PyTorch-native
        // H100 share (§8.1, cross-validated by paper: llm-foundry from torchtitan's fit and the reverse), the H100's measured
        // clock/power table at torchtitan's 500 W (§3.6), the MoE FP8 recipes' quantize launches and CUDA graph scopes (§4.6), and
        // the MaxText rows with the model, batch and remat policy of the commit that produced their tables (§3.8, §5.2: all 21
        // now fit, so their ranges are no longer collapsed; v5e, uncalibrated, went from 6.0% to 11.7%): 11.9% / 5.5% / 80.7%.
        // The Megatron-family H100 share (§8, fitted to NeMo 24.07 and Megatron-Bridge's dense H100 rows): NeMo 18.2% -> 14.3%,
        // whose rows now carry the fitted band instead of the uncalibrated span: 11.4% / 5.3% / 78.9% over 109. With the 11
        // Megatron-Core r0.8.0 16-bit H100 rows, held out (MegatronCoreH100Bf16Tests, 13.3%): 11.5% / 5.7% / 80.0% over 120.
        // With the 3 H200 and 3 MI325X rows: 11.7% / 6.0% / 80.2% over 126. With the 3 held-out TPU v6e rows (tpurecipes-v6e-*,
        // uncalibrated, +23% to +45%, their ranges collapsed because the memory model does not fit them): 12.2% / 6.3% / 78.3% over 129.
        // Merged with Megatron's loss counted op by op (§3.7; Megatron-family H100 share refitted 0.889 -> 0.914), NeMo 24.07 held to
        // ZeRO-1, H200 in the H100's calibration group, the GPT-OSS rows at their recipes' EP 64 / micro-batch 1 and the expert
        // biases (§4.6): 11.0% / 6.7% / 77.5% over 129 (10.5% / 6.4% / 79.4% over the 126 without the v6e rows).
        Assert.True(s.MeanAbsError < 0.15, $"mean |error| {s.MeanAbsError:P1} (target < 15%; reached 11.0%)");
        Assert.True(s.Coverage >= 0.70, $"coverage {s.Coverage:P1} (target >= 70%; reached 77.5%)");
        // Regression guards at the levels reached (the bounds were 11.6% / 5.8% / 79.5% over 120 before the held-out H200, MI325X and v6e rows).
        Assert.True(s.MeanAbsError <= 0.111, $"mean |error| {s.MeanAbsError:P1} (reached 11.0%)");
        Assert.True(s.MedianAbsError <= 0.068, $"median |error| {s.MedianAbsError:P1} (reached 6.7%; 6.3% before Megatron's loss was counted op by op and its share refitted)");
        Assert.True(s.Coverage >= 0.775, $"coverage {s.Coverage:P1} (reached 77.5%; 78.3% before Megatron's loss was counted op by op; 80.2% over 126 before the TPU v6e rows; 80.7% over 109 before the Megatron-family H100 share narrowed NeMo's ranges to its band)");
        Assert.True(s.Count - s.Skipped >= 129, $"{s.Count - s.Skipped} throughput rows predicted");

        // MoE rows (Megatron-Bridge MoE recipes, DeepSeek-V2/V3 GPU-hours): the class furthest off. Reached: mean 35.1% with the
        // dispatcher's host sync (docs/gpu-model.md §4.6, MoeHostSync); 36.7% before it; 35.6% with the
        // per-expert GEMM loop and the permutation copies alone (docs/gpu-model.md §4.6), before cuDNN attention on H100 was costed at
        // its measured rate (§3.3), which makes the two H100 MoE rows, already too fast, faster still; 65.8% before both, 71.4% before
        // the DeepSeek-V3 row named its framework. Issue 10's attention variants (§2.1) moved it from 36.7% to 39.6%: MLA's
        // low-rank projections have 60% fewer weights than the 128-head stand-in, which brings the GB200 DeepSeek-V3 rows to
        // -2.5% and +7.8% (from -26.6% and -10.8%) but makes the B200 one, already too fast, faster (+37.4% -> +57.0%); GPT-OSS's
        // 128-token windows in half its layers make its three rows, already too fast, faster (+24.5/+55.0/+24.5% ->
        // +44.3/+59.5/+29.8%). The physics is the published architecture; what the rows still lack is named in
        // data/validation/published/README.md (router and dispatcher host time, attention sinks, unpublished recipe settings).
        var moe = ValidationData.Load(PublishedCsv, "--data").Rows.Where(r => r.Case.MoeExperts is > 1).Select(r => r.Case.Id).ToHashSet();
        var moeRows = cv.OutOfGroup.Rows.Where(r => moe.Contains(r.Id) && !r.Skipped).ToList();
        Report("MoE rows, cross-validated by source", moeRows);
        Assert.Equal(13, moeRows.Count);
        // Re-set from 38% (reached 37.9%) when the rows took their recipes' settings (above): 45.9%. GPT-OSS on B200 runs without recompute
        // (its recipe lists recompute_modules but leaves recompute_granularity unset, under which Megatron-Core recomputes nothing) and bf16
        // gradients: +59% -> +125%; on H100 +30% -> +66%. The settings are the runs'; the B200/H100 mechanism they expose is open (issue 10 §6).
        // 44.3% with the MTP module, MLA's FP8 cast widths (§2.1) and the loss kernels' logits (§5) merged in.
        // 37.5% with the backward's per-expert weight-gradient hand-back (§4.6, MoeHostSync: 2 host operations per expert weight).
        // 35.7% with the FP8 recipes' per-expert quantize launches (§4.6, MoeQuantizeLaunches; the rows' fp8_recipe column), 36.0% with the
        // recipes' CUDA graph scopes (column cuda_graph_scope), which make Qwen3-30B on B200, already too fast, faster.
        // 34.9% when Megatron's loss was counted op by op (§3.7) and the Megatron-family H100 share refitted with it (0.889 -> 0.914)
        // made the two H100 MoE rows, already too fast, faster (H100 class 75.7% -> 77.9%).
        // 26.1% with the GPT-OSS rows at their recipes' EP 64 (B200) and micro-batch 1 (H100), and GPT-OSS's per-expert output biases (§4.6).
        Assert.True(moeRows.Average(r => r.AbsError!.Value) <= 0.262, $"MoE mean |error| {moeRows.Average(r => r.AbsError!.Value):P1} (reached 26.1% with the GPT-OSS recipes' fields and expert biases; 34.9% with Megatron's loss counted op by op; 34.6% with the Megatron-family H100 share; 36.0% 35.7% before the CUDA graph scopes; 37.5% before the per-expert FP8 quantize launches; 44.3% before the expert gradient hand-back; 45.9% with the recipes' settings alone; 37.9% with the open-knob prior's recompute; 35.1% before MLA and sliding windows, §2.1, made rows already too fast faster)");
        // The Megatron-Bridge rows by class (B200 and H100 recipes are the ones still far off). Reached: GB200 14.5%, B200 55.7%, H100 82.3%
        // with MLA from its ranks and GPT-OSS's windowed layers (§2.1), which made the DeepSeek-V3 and GPT-OSS rows faster; GB200 16.1%,
        // B200 49.8%, H100 79.7% with the dispatcher's host sync (§4.6) before them; 16.5%, 53.9%, 81.2% before that (H100 73.7% before §3.3).
        double Class(string system) => moeRows.Where(r => r.Id.StartsWith("mbridge-") && r.SystemId == system).Average(r => r.AbsError!.Value);
        // With the recipes' settings (above): GB200 14.7%, B200 72.8% (re-set from 56%), H100 100.3% (re-set from 83%); the prior's recompute
        // had given 14.5%, 55.7%, 82.3%.
        // With the MTP module and MLA's widths merged in (§2.1): GB200 13.5%, B200 69.0% (DeepSeek-V3 on B200 +58.6% -> +43.4%).
        // With the backward's per-expert weight-gradient hand-back (§4.6): GB200 11.4%, B200 55.6%, H100 90.3% (Qwen3-30B on B200
        // +52.9% -> +26.0%, on GB200 +18.2% -> +6.9%, on H100 +135% -> +115%; Qwen3-235B on B200 +55.1% -> +34.1%).
        // With the FP8 recipes' per-expert quantize launches (§4.6): GB200 11.0%, B200 52.9%, H100 85.0% (Qwen3-30B on H100 +115% -> +104%,
        // on B200 +26.0% -> +21.7%; Qwen3-235B on B200 +34.1% -> +30.6%; DeepSeek-V3 on B200 +37.6% -> +34.9%). With the recipes' CUDA graph
        // scopes: B200 54.1% (Qwen3-30B on B200 +21.7% -> +26.4%; the others unchanged).
        Assert.True(Class("gb200-nvl72") <= 0.101, $"GB200 MoE {Class("gb200-nvl72"):P1} (reached 10.0% with GPT-OSS's expert biases; 11.0% 11.4% before the quantize launches; 13.5% before the hand-back)");
        Assert.True(Class("dgx-b200") <= 0.284, $"B200 MoE {Class("dgx-b200"):P1} (reached 28.3% with GPT-OSS at its recipe's EP 64; 54.1% 52.9% before the CUDA graph scopes; 55.6% before the quantize launches; 69.0% before the hand-back)");
        Assert.True(Class("dgx-h100") <= 0.747, $"H100 MoE {Class("dgx-h100"):P1} (reached 74.6% with GPT-OSS at micro-batch 1 and its expert biases; 77.9% with Megatron's loss counted op by op and the share refitted to 0.914; 75.7% with the Megatron-family H100 share; 85.0% 90.3% before the quantize launches; 100.3% before the hand-back)");

        // Whole-run rows (GPU-hours, wall days, MLPerf time to train): reported with their ranges. Reached: mean 27.1% (27.0% before
        // the MoE dispatcher's host sync, §4.6: the DeepSeek-V2 row names no framework, so it runs Megatron-Core's dispatcher, +5.2% to +5.8%),
        // 7 of 15 inside (26.8% before attention was costed at its measured kernel rates, §3.3: faster attention on A100/H100/H800
        // shortens runs whose published hours already exceed steady training; 28.5% and 6 of 14 before the MLPerf v0.7 BERT row).
        // 28.1% since MLA is costed from its ranks (§2.1): DeepSeek-V3's GPU-hours -11.6% -> -20.7%, DeepSeek-V2's +5.2% -> -11.9%
        // (fewer projection FLOPs than the 128-head stand-in). 28.0% with the multi-token prediction module (§2.1, DeepSeek-V3 -20.7% -> -20.5%)
        // once DeviceMemory sizes the stage whose sharded state is largest (28.2% while it sized the one with most raw weights: the module's
        // last stage, whose ZeRO-sharded optimizer state is smaller, let the knob search fit rl=3 instead of rl=4).
        var whole = cv.OutOfGroup.Rows.Where(r => WholeRunMetrics.Contains(r.Metric) && !r.Skipped).ToList();
        Report("whole-run rows, cross-validated by source", whole);
        Assert.Equal(15, whole.Count);
        Assert.All(whole, r => Assert.True(r.PredictedLow <= r.Predicted && r.Predicted <= r.PredictedHigh, r.Id));
        Assert.True(whole.Average(r => r.AbsError!.Value) <= 0.278, $"whole-run mean |error| {whole.Average(r => r.AbsError!.Value):P1} (reached 27.7% with the expert gradient hand-back of §4.6, DeepSeek-V2 -11.2% -> -6.6%; 28.0% before; 27.1% before MLA from its ranks made the DeepSeek-V2/V3 runs shorter)");
    }

    [Fact]
    public void Rows_never_used_in_any_fit_are_reported_apart()
    {
        // The held-out part: every row outside the recorded Gaudi 2, TPU v5p, MI250X, MI350X/MI355X and PyTorch-native and Megatron-family H100 fits
        // (llm-foundry and torchtitan on A100, Megatron-Bridge MoE, Trainium, the 512B MaxText v5p rows, TPU v5e, whole runs). No constant has seen them.
        // The two Frontier rows left this set when the MI250X share was fitted to them and the LUMI rows (98 rows, 24.0%, before);
        // the 96 that remain were 23.4% before as after.
        var cv = CrossValidated();
        var held = cv.InSample.Rows.Where(r => !r.Skipped && !InAFit(r.Id)).ToList();
        Report("rows in no fit", held);
        // The 23 llm-foundry and torchtitan H100 rows left this set when the PyTorch-native H100 share was fitted to them
        // (96 rows, 21.6%, before), and the 10 NeMo 24.07 rows when the Megatron-family H100 share was (73 rows, 19.0%, before,
        // after the MaxText v5e rows took the 2023 model and JAX's full remat, §3.8, §5.2, and went from 6.0% to 11.7%).
        // The 11 Megatron-Core r0.8.0 16-bit H100 rows joined it (13.3%): 18.0% over 74.
        // The 3 TPU v6e rows (tpurecipes-v6e-*, +23% to +45% uncalibrated) joined it: 18.3% over 83 (18.2% over 80 before them).
        Assert.True(held.Count >= 83, $"{held.Count} held-out rows");
        double mean = held.Average(r => r.AbsError!.Value);
        Assert.True(mean <= 0.171, $"held-out mean |error| {mean:P1} (reached 17.0% over the 83 rows outside every fit once the H200 took the H100 group's fits and Megatron's loss was counted op by op; 18.3% before; 18.0% over 74 before the H200, MI325X and TPU v6e rows; 18.8% over 63 before the Megatron-Core 16-bit H100 rows; 19.0% over 73 before the Megatron-family H100 share; 21.6% over 96 before the PyTorch-native one; 31.2% before the MoE terms of §4.6 and the attention rates of §3.3)");
        Assert.All(held, r => Assert.Equal(r.Predicted, cv.OutOfGroup.Rows.Single(o => o.Id == r.Id).Predicted));
    }

    [Fact]
    public void The_H100_family_shares_carry_from_one_paper_to_the_other()
    {
        // One sustained share for the H100 under PyTorch-native stacks (fsdp and torchtitan, fitted by accelerator+family to
        // llm-foundry's and torchtitan's H100 tables, each paper weighing once). Cross-validated by paper, llm-foundry is
        // predicted from torchtitan's rows alone and torchtitan from llm-foundry's alone: two stacks two years apart (composer
        // FSDP on PyTorch 2.0 with Triton flash attention, FSDP2 on PyTorch 2.6 with SDPA), DGX H100 at 700 W and Grand
        // Teton at 500 W. Uncalibrated (share 1): +30.1% and +32.4% mean, every row too fast.
        var cv = CrossValidation.Run(SimulatorCatalog.Default, ValidationData.Load(PublishedCsv, "--data"), CrossValidation.ByPaper);
        double Mean(string prefix) => cv.OutOfGroup.Rows.Where(r => r.Id.StartsWith(prefix) && !r.Skipped).Average(r => r.AbsError!.Value);
        double foundry = Mean("llmfoundry-h100-"), titan = Mean("torchtitan-h100-");
        output.WriteLine($"by paper: llm-foundry H100 {foundry:P1}, torchtitan H100 {titan:P1} (uncalibrated 30.1%, 32.4%)");
        Assert.True(foundry <= 0.08, $"llm-foundry H100 from torchtitan's fit {foundry:P1} (reached 7.0%; 7.7% before the H100 clock table; 30.1% uncalibrated)");
        Assert.True(titan <= 0.07, $"torchtitan H100 from llm-foundry's fit {titan:P1} (reached 6.5%; 6.6% before the H100 clock table; 32.4% uncalibrated)");
        var value = SimulatorCatalog.Default.Calibrations.SelectMany(f => f.Values).Single(v => v.Framework == SoftwareFamily.PytorchNative);
        Assert.Equal(0.734, value.Value, 0.01);
        // The same stacks on the A100 (no PyTorch-native fit) stay as they were: the A100 share comes from Megatron rows.
        Assert.True(Mean("torchtitan-a100-") <= 0.03 && Mean("llmfoundry-a100-") <= 0.07);

        // The Megatron-family H100 share (fitted to NeMo 24.07 here and Megatron-Bridge's dense H100 rows, each paper once):
        // by paper, the NeMo rows are predicted from Megatron-Bridge's fit alone. At share 1 they were 18.2%.
        double nemo = Mean("nemo2407-");
        output.WriteLine($"by paper: NeMo 24.07 H100 {nemo:P1} (share 1: 18.2%)");
        Assert.True(nemo <= 0.14, $"NeMo H100 from Megatron-Bridge's fit {nemo:P1} (reached 13.9%; 18.2% at share 1)");
        var megatron = SimulatorCatalog.Default.Calibrations.SelectMany(f => f.Values).Single(v => v.Framework == SoftwareFamily.Megatron);
        Assert.Equal(0.914, megatron.Value, 0.01); // 0.889 before Megatron's loss was counted op by op and NeMo 24.07 kept ZeRO-1
    }

    [Fact]
    public void MaxText_rows_fit_under_the_remat_policies_they_ran()
    {
        // The rows ran, so the memory model must fit them: with the 2023 model, the scripts' per-device batch and each policy's
        // saved tensors sharded as MaxText shards them (docs/gpu-model.md §5.2), all 21 fit (12 v5p and 3 v5e did not before).
        var rows = CrossValidated().OutOfGroup.Rows.Where(r => r.Id.StartsWith("maxtext-") && !r.Skipped).ToList();
        Assert.Equal(21, rows.Count);
        Assert.All(rows, r => Assert.Null(r.DoesNotFit));
        // Their ranges then come from the share band: 20 of 21 inside (the 512B 1x v5p-1024 row, full remat, 0.7% above its high end).
        Assert.True(rows.Count(r => r.InsideRange == true) >= 20, $"{rows.Count(r => r.InsideRange == true)} of 21 MaxText rows inside their ranges (reached 20)");
    }

    [Fact]
    public void The_non_NVIDIA_calibrations_hold_out_of_sample()
    {
        // Gaudi 2 (sustained share 0.614), TPU v5p (0.869; 0.892 before its rows took the 2023 model and remat policies), MI355X and MI350X were fitted by wafer calibrate to rows of this
        // file; leaving each source out, its rows are predicted with the share refitted on the others.
        var cv = CrossValidated();
        double Mean(string prefix, string except = "") => cv.OutOfGroup.Rows
            .Where(r => r.Id.StartsWith(prefix) && (except == "" || !r.Id.StartsWith(except)) && !r.Skipped).Average(r => r.AbsError!.Value);
        double gaudi = Mean("gaudi2-"), v5p = Mean("maxtext-v5p-", "maxtext-v5p-512b-");
        output.WriteLine($"cross-validated: Gaudi 2 {gaudi:P1} (uncalibrated 50.6%), TPU v5p fitted sizes {v5p:P1} (uncalibrated 10.3%)");
        Assert.True(gaudi <= 0.18, $"Gaudi 2 cross-validated mean {gaudi:P1} (reached 17.7%)");
        Assert.True(v5p <= 0.05, $"TPU v5p cross-validated mean {v5p:P1} (reached 4.6%; 4.2% with the 2024 model and Megatron's recompute)");
        var shipped = SimulatorCatalog.Default.Calibrations.SelectMany(f => f.Values).Where(v => v.Framework is null).ToDictionary(v => v.Accelerator + " " + v.Constant, v => v.Value);
        Assert.Equal(0.614, shipped["gaudi2 sustained_matmul_share"], 0.01);
        Assert.Equal(0.869, shipped["tpu-v5p sustained_matmul_share"], 0.01);

        // MI355X (0.892; 0.87 before Megatron's loss was counted op by op) and MI350X (0.778; 0.763) were fitted to MLPerf Training v5.1 Llama 3.1 8B on one 8-GPU node, one row
        // per submitter (AMD, Dell, Supermicro, GigaComputing; AMD, Cisco), all running AMD's reference code. Each row
        // predicted from the other submitters' fit: reached 2.2% (uncalibrated 12.7%) and 3.3% (uncalibrated 26.8%).
        double MlperfMean(string device) => cv.OutOfGroup.Rows
            .Where(r => r.Id.StartsWith("mlperf-v5.1-llama31-8b-") && r.Id.EndsWith("-" + device) && !r.Skipped).Average(r => r.AbsError!.Value);
        double mi355x = MlperfMean("mi355x"), mi350x = MlperfMean("mi350x");
        output.WriteLine($"cross-validated: MI355X {mi355x:P1} (uncalibrated 12.7%), MI350X {mi350x:P1} (uncalibrated 26.8%)");
        Assert.True(mi355x <= 0.03, $"MI355X cross-validated mean {mi355x:P1} (reached 2.2%)");
        Assert.True(mi350x <= 0.04, $"MI350X cross-validated mean {mi350x:P1} (reached 3.3%)");
        Assert.Equal(0.892, shipped["mi355x sustained_matmul_share"], 0.01);
        Assert.Equal(0.778, shipped["mi350x sustained_matmul_share"], 0.01);

        // MI250X (0.586) was fitted to two independent sources: Dash et al. 2023 on Frontier (175B and 1T, Megatron-DeepSpeed
        // with flash attention, ROCm 5.7) and the LUMI scaling logs (BLOOM-shape 176B at 128-2048 GCDs and a 33B, the BigScience
        // fork with unfused attention, ROCm 5.2). Each source predicted from the others' fit: reached 3.5% (uncalibrated 58.0%);
        // by paper, Frontier from LUMI alone and LUMI from Frontier alone, 3.6%.
        double mi250x = cv.OutOfGroup.Rows.Where(r => (r.Id.StartsWith("frontier-") || r.Id.StartsWith("lumi-")) && !r.Skipped).Average(r => r.AbsError!.Value);
        output.WriteLine($"cross-validated: MI250X {mi250x:P1} (uncalibrated 58.0%)");
        Assert.True(mi250x <= 0.04, $"MI250X cross-validated mean {mi250x:P1} (reached 3.5%)");
        Assert.Equal(0.586, shipped["mi250x sustained_matmul_share"], 0.01);
    }
}
