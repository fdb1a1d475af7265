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

    static CrossValidationReport CrossValidated() =>
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

        // The only rows not predicted are the multi-slice TPU v5e runs: the catalog's v5e pod stops at one 256-chip slice.
        var report = new ValidationRun().Run(File.ReadAllText(PublishedCsv), "published/runs.csv");
        var skipped = report.Rows.Where(r => r.Skipped).ToList();
        Assert.All(skipped, r => Assert.StartsWith("maxtext-v5e-", r.Id));
        Assert.True(skipped.Count <= 6, string.Join("; ", skipped.Select(r => $"{r.Id}: {r.Reason}")));
    }

    [Fact]
    public void Levels_reached_on_unseen_published_runs_cross_validated_by_source()
    {
        var cv = CrossValidated();
        var throughput = cv.OutOfGroup.Throughput;
        Report("throughput rows, cross-validated by source", throughput.Rows);
        var s = throughput.Summary;
        // Target (issue 9): mean < 15% and coverage >= 70%: NOT met. Reached: mean 26.5%, median 17.6%, coverage 51.6%
        // (H100 rows of PyTorch-native stacks 30-49% optimistic, Megatron-Bridge MoE rows 78%). When the data were
        // collected: 31.5%, 19.3%, 25.3%; the calibration bands in the ranges, the eager-kernel profile and the
        // attention kernels by generation (30.1% → 26.5%) moved them.
        Assert.True(s.MeanAbsError <= 0.27, $"mean |error| {s.MeanAbsError:P1} (reached 26.5%)");
        Assert.True(s.MedianAbsError <= 0.18, $"median |error| {s.MedianAbsError:P1} (reached 17.6%)");
        Assert.True(s.Coverage >= 0.51, $"coverage {s.Coverage:P1} (reached 51.6%)");
        Assert.True(s.Count - s.Skipped >= 91, $"{s.Count - s.Skipped} throughput rows predicted");

        // MoE rows (Megatron-Bridge MoE recipes, DeepSeek-V2/V3 GPU-hours): the class furthest off. Reached: mean 67.6% (71.4% before the
        // DeepSeek-V3 row named its framework, hai-llm; 65.8% before cuDNN attention on H100 was costed at its measured rate, which makes
        // the two H100 MoE rows, already too fast from their expert GEMMs and GPT-OSS's sliding window costed as full attention, faster still).
        var moe = ValidationData.Load(PublishedCsv, "--data").Rows.Where(r => r.Case.MoeExperts is > 1).Select(r => r.Case.Id).ToHashSet();
        var moeRows = cv.OutOfGroup.Rows.Where(r => moe.Contains(r.Id) && !r.Skipped).ToList();
        Report("MoE rows, cross-validated by source", moeRows);
        Assert.Equal(13, moeRows.Count);
        Assert.True(moeRows.Average(r => r.AbsError!.Value) <= 0.68, $"MoE mean |error| {moeRows.Average(r => r.AbsError!.Value):P1} (reached 67.6%)");

        // Whole-run rows (GPU-hours, wall days): reported with their ranges. Reached: mean 29.0%, 6 of 14 inside (28.5% before attention
        // was costed at its measured kernel rates: faster attention on A100/H100/H800 shortens the runs whose published hours already
        // exceed steady training, Llama 2/3, StarCoder, DeepSeek-V3).
        var whole = cv.OutOfGroup.Rows.Where(r => WholeRunMetrics.Contains(r.Metric) && !r.Skipped).ToList();
        Report("whole-run rows, cross-validated by source", whole);
        Assert.Equal(14, whole.Count);
        Assert.All(whole, r => Assert.True(r.PredictedLow <= r.Predicted && r.Predicted <= r.PredictedHigh, r.Id));
        Assert.True(whole.Average(r => r.AbsError!.Value) <= 0.295, $"whole-run mean |error| {whole.Average(r => r.AbsError!.Value):P1} (reached 29.0%)");
    }

    [Fact]
    public void Rows_never_used_in_any_fit_are_reported_apart()
    {
        // The held-out part: every row outside the recorded Gaudi 2 and TPU v5p fits (llm-foundry, torchtitan, NeMo,
        // Megatron-Bridge MoE, Trainium, Frontier, the 512B MaxText v5p rows, TPU v5e, whole runs). No constant has seen them.
        var cv = CrossValidated();
        var held = cv.InSample.Rows.Where(r => !r.Skipped && !InAFit(r.Id)).ToList();
        Report("rows in no fit", held);
        Assert.True(held.Count >= 91, $"{held.Count} held-out rows");
        double mean = held.Average(r => r.AbsError!.Value);
        Assert.True(mean <= 0.30, $"held-out mean |error| {mean:P1} (reached 29.7%)");
        Assert.All(held, r => Assert.Equal(r.Predicted, cv.OutOfGroup.Rows.Single(o => o.Id == r.Id).Predicted));
    }

    [Fact]
    public void The_non_NVIDIA_calibrations_hold_out_of_sample()
    {
        // Gaudi 2 (sustained share 0.61) and TPU v5p (0.892) were fitted by wafer calibrate to rows of this
        // file; leaving each source out, its rows are predicted with the share refitted on the others.
        var cv = CrossValidated();
        double Mean(string prefix, string except = "") => cv.OutOfGroup.Rows
            .Where(r => r.Id.StartsWith(prefix) && (except == "" || !r.Id.StartsWith(except)) && !r.Skipped).Average(r => r.AbsError!.Value);
        double gaudi = Mean("gaudi2-"), v5p = Mean("maxtext-v5p-", "maxtext-v5p-512b-");
        output.WriteLine($"cross-validated: Gaudi 2 {gaudi:P1} (uncalibrated 50.6%), TPU v5p fitted sizes {v5p:P1} (uncalibrated 10.3%)");
        Assert.True(gaudi <= 0.18, $"Gaudi 2 cross-validated mean {gaudi:P1} (reached 17.7%)");
        Assert.True(v5p <= 0.05, $"TPU v5p cross-validated mean {v5p:P1} (reached 4.2%)");
        var shipped = SimulatorCatalog.Default.Calibrations.SelectMany(f => f.Values).ToDictionary(v => v.Accelerator + " " + v.Constant, v => v.Value);
        Assert.Equal(0.61, shipped["gaudi2 sustained_matmul_share"], 0.01);
        Assert.Equal(0.892, shipped["tpu-v5p sustained_matmul_share"], 0.01);
    }
}
