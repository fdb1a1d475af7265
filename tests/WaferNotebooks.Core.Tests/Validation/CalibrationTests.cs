using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Validation.Calibration;

namespace WaferNotebooks.Core.Tests.ValidationTests;

/// <summary>wafer calibrate: fitting, the overlay it writes, and the shipped constants it reproduces.</summary>
public class CalibrationTests
{
    /// <summary>A path given from the repository root, as the shipped fits record them.</summary>
    static string Data(string relative) => Path.GetFullPath(Path.Combine(DataFiles.Dir, "..", "..", relative));

    static IReadOnlyList<PredictedRow> BlackwellRows(SimulatorCatalog catalog) =>
        Calibration.Predict(catalog, ValidationData.Load(Data("data/validation/megatron-bridge/runs.csv"), "--data").Rows
            .Where(r => r.Case.SystemId is "dgx-b200" or "gb200-nvl72")).Where(r => Calibration.Unusable(r, catalog) is null).ToList();

    [Fact]
    public void A_share_that_generated_the_measurements_is_recovered()
    {
        var catalog = SimulatorCatalog.Default;
        var rows = BlackwellRows(catalog);
        Assert.True(rows.Count >= 4);
        // "Measurements" made by the model itself with the Blackwell share at 0.62.
        var truth = catalog.WithCalibration(new CalibrationFit("test", "2026-01-01", ["sustained_matmul_share"], "accelerator", [],
            [new CalibrationValue("blackwell", null, "sustained_matmul_share", 0.62, 1, [], new(0, 0, 0), new(0, 0, 0))]));
        var measured = rows.Select(r => r with
        {
            Prediction = r.Prediction with { Measured = r.Prediction.Repredict!(truth.FindSystem(r.Prediction.SystemId))!.Value },
        }).ToList();
        var notes = new List<string>();
        var value = Assert.Single(Calibration.Fit(catalog, measured, [CalibratedConstant.SustainedMatmulShare], "accelerator", notes));
        Assert.Equal("blackwell", value.Accelerator);
        Assert.Equal(0.62, value.Value, 0.0015);
        Assert.True(value.After.RmsLogError < 1e-3 && value.Before.RmsLogError > 0.05, $"{value.Before} -> {value.After}");
        Assert.Equal(rows.Count, value.Rows.Count);
        // Every row alone wants the same share, so the band closes on it.
        Assert.Equal(0.62, value.Low!.Value, 0.0015);
        Assert.Equal(0.62, value.High!.Value, 0.0015);
    }

    [Fact]
    public void Rows_that_want_different_shares_give_a_band_that_holds_the_middle_80_percent_of_them()
    {
        var catalog = SimulatorCatalog.Default;
        var rows = BlackwellRows(catalog);
        // Half the "measurements" made at a share of 0.6, half at 0.8: the fit lands between, the band reaches both.
        SimulatorCatalog At(double share) => catalog.WithCalibration(new CalibrationFit("test", "2026-01-01", ["sustained_matmul_share"], "accelerator", [],
            [new CalibrationValue("blackwell", null, "sustained_matmul_share", share, 1, [], new(0, 0, 0), new(0, 0, 0))]));
        var measured = rows.Select((r, i) => r with
        {
            Prediction = r.Prediction with { Measured = r.Prediction.Repredict!(At(i % 2 == 0 ? 0.6 : 0.8).FindSystem(r.Prediction.SystemId))!.Value },
        }).ToList();
        var value = Assert.Single(Calibration.Fit(catalog, measured, [CalibratedConstant.SustainedMatmulShare], "accelerator", new List<string>()));
        Assert.InRange(value.Value, 0.62, 0.78);
        Assert.InRange(value.Low!.Value, 0.6 - 0.002, 0.64);
        Assert.InRange(value.High!.Value, 0.76, 0.8 + 0.002);
        // The catalog gives the fitted constant its band as its range, so estimates carry it.
        var share = catalog.WithCalibration(new CalibrationFit("test", "2026-01-01", ["sustained_matmul_share"], "accelerator", [], [value]))
            .FindAccelerator("gb200").SustainedMatmulShare!;
        Assert.Equal((value.Low, value.High), (share.Low, share.High));
    }

    [Fact]
    public void Weighting_by_paper_counts_each_paper_once_and_the_quantiles_follow_the_weights()
    {
        var data = ValidationData.Load(Data("data/validation/runs.csv"), "--data");
        var rows = data.Rows.Where(r => r.Case.Id.StartsWith("megatron21-") || r.Case.Id.StartsWith("korthikanti22-"))
            .Select(r => new PredictedRow(r, ValidationRow.Skip(r.Case.Id, r.Case.Line, r.Case.Metric, r.Case.Value, "not predicted"))).ToList();
        var weights = Calibration.Weights(rows, CalibrationFit.WeightPaper);
        Assert.Equal(1.0, weights.Where((_, i) => rows[i].Data.Case.Id.StartsWith("megatron21-")).Sum(), 9);
        Assert.Equal(1.0, weights.Where((_, i) => rows[i].Data.Case.Id.StartsWith("korthikanti22-")).Sum(), 9);
        Assert.All(Calibration.Weights(rows, CalibrationFit.WeightRows), w => Assert.Equal(1.0, w));
        Assert.Throws<WaferInputException>(() => Calibration.Weights(rows, "system"));

        // Ten values at 0 weighing 1 in all, one at 1 weighing 1: the median lies between them, the 10th percentile at 0.
        var items = Enumerable.Repeat((0.0, 0.1), 10).Append((1.0, 1.0)).ToList();
        Assert.Equal(0.0, Calibration.WeightedQuantile(items, 0.1));
        Assert.InRange(Calibration.WeightedQuantile(items, 0.5), 0.0, 1.0);
        Assert.Equal(1.0, Calibration.WeightedQuantile(items, 0.9));
    }

    [Fact]
    public void An_accelerator_without_a_fit_is_validated_with_the_span_of_the_fitted_bands()
    {
        var catalog = SimulatorCatalog.Default;
        var range = Calibration.UncalibratedRange(catalog, CalibratedConstant.SustainedMatmulShare, "NVIDIA")!.Value;
        var fitted = new[] { "a100-80gb", "b200" }.Select(id => catalog.FindAccelerator(id).SustainedMatmulShare!).ToArray();
        // The same vendor's fits only: the Gaudi 2 and TPU v5p shares say nothing about an NVIDIA stack.
        Assert.Equal("NVIDIA", catalog.FindAccelerator("h100-sxm").Vendor, ignoreCase: true);
        var all = Calibration.UncalibratedRange(catalog, CalibratedConstant.SustainedMatmulShare)!.Value;
        Assert.True(all.Low < range.Low, $"all vendors' span {all.Low}–{all.High} against NVIDIA's {range.Low}–{range.High}");
        Assert.Equal(fitted.Min(s => s.Low!.Value), range.Low);
        Assert.Equal(fitted.Max(s => s.High!.Value), range.High);
        // An H100 PCIe row (114 SMs at 350 W, a die of its own): no fitted share, so validation gives it the default (1) with that span as its range; a fitted A100 keeps its own band.
        var pcie = Assert.IsType<GpuCluster>(Calibration.SystemsFor(catalog, "megatron-core")("h100-pcie-node"));
        Assert.Null(catalog.FindAccelerator(pcie.Device.Id).SustainedMatmulShare);
        Assert.Equal((1.0, range.Low, 1.0), (pcie.Device.SustainedMatmulShare!.Value, pcie.Device.SustainedMatmulShare.Low!.Value, pcie.Device.SustainedMatmulShare.High!.Value));
        var a100 = Assert.IsType<GpuCluster>(Calibration.SystemsFor(catalog, "megatron-lm")("dgx-a100-80gb"));
        Assert.Equal(fitted[0], a100.Device.SustainedMatmulShare);
    }

    [Fact]
    public void Validate_cv_and_its_refits_stop_when_cancelled()
    {
        // The refit itself checks the token (a fold's fit is most of --cv's time).
        var rows = BlackwellRows(SimulatorCatalog.Default);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Calibration.Fit(SimulatorCatalog.Default, rows, [CalibratedConstant.SustainedMatmulShare], "accelerator", new List<string>(), cancelled.Token));
        // And validate --cv through the executor, as a notebook cell or Ctrl+C cancels it: the
        // single-node vTrain file by model refits the launch cost for each of its 8 models. The
        // token is cancelled when the first fold reports its end (the in-sample prediction reports
        // first), so the run is stopped at a point it is known to reach however fast the machine is;
        // a run that ignored the token would go on to report the other 7 folds and return.
        using var cts = new CancellationTokenSource();
        var reported = new List<double>();
        var progress = new CancelAfter(reported, 2, cts);
        var request = new ValidateRequest(Data("data/validation/vtrain/ground_truth_single.csv"), CrossValidation.ByModel);
        Assert.ThrowsAny<OperationCanceledException>(() => CommandExecutor.Default.Execute(request, progress, cts.Token));
        Assert.Equal(2, reported.Count);
        Assert.Equal(1.0 / 9, reported[0], 9);
        Assert.Equal(2.0 / 9, reported[1], 9);
    }

    /// <summary>Records progress synchronously (<see cref="Progress{T}"/> posts it later) and cancels at the <paramref name="count"/>th report.</summary>
    sealed class CancelAfter(List<double> reported, int count, CancellationTokenSource cts) : IProgress<double>
    {
        public void Report(double value)
        {
            reported.Add(value);
            if (reported.Count == count) cts.Cancel();
        }
    }

    [Fact]
    public void The_overlay_loads_with_catalog_and_applies_to_the_whole_calibration_group()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("wafer-calibrate-").FullName, "overlay.json");
        var result = CalibrationRun.Run(SimulatorCatalog.Default, [Data("data/validation/runs.csv")], [CalibratedConstant.SustainedMatmulShare],
            CalibrationFit.ByAccelerator, ["korthikanti22-*"], "wafer calibrate (test)", path, "2026-12-02");
        Assert.Equal(path, result.Written);
        var value = Assert.Single(result.Fit.Values);
        Assert.Equal(("a100", 4), (value.Accelerator, value.Rows.Count));

        var catalog = UserCatalogs.Apply(SimulatorCatalog.Default, null, [path]);
        foreach (var id in new[] { "a100-80gb", "a100-40gb" })
        {
            var share = catalog.FindAccelerator(id).SustainedMatmulShare!;
            Assert.Equal(value.Value, share.Value);
            Assert.Contains("korthikanti22-", string.Join(",", value.Rows));
            Assert.Contains("wafer calibrate (test)", share.Source);
        }
        Assert.Equal(result.Fit.Command, catalog.Calibrations[^1].Command);
        // The shipped value (weighted by paper, issue 9) is untouched by the overlay.
        Assert.Equal(0.854, SimulatorCatalog.Default.FindAccelerator("a100-40gb").SustainedMatmulShare!.Value, 3);

        // A second fit of another group is added to the same file; a fit of the same group replaces the first.
        CalibrationRun.Run(SimulatorCatalog.Default, [Data("data/validation/runs.csv")], [CalibratedConstant.SustainedMatmulShare],
            CalibrationFit.ByAccelerator, ["megatron21-*"], "wafer calibrate (test 2)", path, "2026-12-02");
        Assert.Equal(["wafer calibrate (test 2)"], UserCatalogs.Apply(SimulatorCatalog.Default, null, [path]).Calibrations.Skip(SimulatorCatalog.Default.Calibrations.Count).Select(f => f.Command));
    }

    [Fact]
    public void By_accelerator_and_framework_keeps_one_value_per_framework_for_that_framework_only()
    {
        // The Blackwell rows of Megatron-Bridge with their framework column rewritten: the 8B rows "megatron-lm", the 70B row "megatron-core".
        var source = File.ReadAllLines(Data("data/validation/megatron-bridge/runs.csv"));
        int column = Array.IndexOf(source[0].Split(','), "framework");
        string WithFramework(string line, string framework)
        {
            var fields = line.Split(',', column + 2); // the columns before it hold no quoted commas
            fields[column] = framework;
            return string.Join(',', fields);
        }
        var lines = new List<string> { source[0] };
        lines.AddRange(source.Skip(1).Where(l => l.Contains("gb200") || l.Contains("b200")).Select(l => WithFramework(l, l.Contains("-8b-") ? "megatron-lm" : "megatron-core")));
        var dir = Directory.CreateTempSubdirectory("wafer-calibrate-").FullName;
        var csv = Path.Combine(dir, "frameworks.csv");
        File.WriteAllLines(csv, lines);
        var overlay = Path.Combine(dir, "overlay.json");

        var result = CalibrationRun.Run(SimulatorCatalog.Default, [csv], [CalibratedConstant.SustainedMatmulShare],
            CalibrationFit.ByAcceleratorAndFramework, ["*-8b-*", "*70b-gb200-64-mxfp8*"], "test", overlay, "2026-12-02");
        Assert.Equal([("blackwell", "megatron-core", 1), ("blackwell", "megatron-lm", 2)], result.Fit.Values.Select(v => (v.Accelerator, v.Framework, v.Rows.Count)));

        var catalog = UserCatalogs.Apply(SimulatorCatalog.Default, null, [overlay]);
        double Share(SimulatorCatalog c) => c.FindAccelerator("gb200").SustainedMatmulShare!.Value;
        Assert.Equal(SimulatorCatalog.Default.FindAccelerator("gb200").SustainedMatmulShare!.Value, Share(catalog));
        Assert.Equal(result.Fit.Values.Single(v => v.Framework == "megatron-lm").Value, Share(catalog.ForFramework("megatron-lm")));
        Assert.Equal(result.Fit.Values.Single(v => v.Framework == "megatron-core").Value, Share(catalog.ForFramework("megatron-core")));
        Assert.NotEqual(Share(catalog.ForFramework("megatron-lm")), Share(catalog.ForFramework("megatron-core")));

        // A user's estimate --framework NAME uses the same fitted value as validation of a row of that
        // framework (one lookup, SimulatorCatalog.ForFramework); without --framework, the mainstream stack's (megatron-core).
        var parser = new RequestParser(SimulatorCatalog.Default);
        EstimateRequest Estimate(params (string Key, string Value)[] options) => Assert.IsType<EstimateRequest>(parser.Parse("estimate",
            options.Append(("model", "llama3-8b")).Append(("on", "gb200-nvl72:8")).Append(("catalog", overlay))
                .ToDictionary(p => p.Item1, p => (IReadOnlyList<string>)[p.Item2])));
        foreach (var framework in new[] { "megatron-lm", "megatron-core", "megatron-core@2025-11" })
        {
            var device = ((GpuCluster)Estimate(("framework", framework)).Target.System).Device;
            string name = Gpu.TrainingFramework.Parse(framework.Split('@')[0]).Name;
            Assert.Equal(result.Fit.Values.Single(v => v.Framework == name).Value, device.SustainedMatmulShare!.Value);
            Assert.Equal(((GpuCluster)Calibration.SystemsFor(catalog, name)("gb200-nvl72")).Device.SustainedMatmulShare!.Value, device.SustainedMatmulShare.Value);
        }
        Assert.Equal(Share(catalog.ForFramework("megatron-core")), ((GpuCluster)Estimate().Target.System).Device.SustainedMatmulShare!.Value);
        var (lm, core) = (Estimate(("framework", "megatron-lm")), Estimate(("framework", "megatron-core")));
        double TokensPerS(EstimateRequest r) => CommandExecutor.Default.Execute(r).Shared<Results.Estimate>().TokensPerS;
        Assert.NotEqual(TokensPerS(lm), TokensPerS(core));
    }

    [Fact]
    public void By_accelerator_and_family_gives_one_value_to_every_framework_of_the_family()
    {
        Assert.Equal(SoftwareFamily.PytorchNative, SoftwareFamily.Of("fsdp"));
        Assert.Equal(SoftwareFamily.PytorchNative, SoftwareFamily.Of("torchtitan"));
        foreach (var name in new[] { "megatron-lm", "megatron-core", "megatron-bridge", "deepspeed" })
            Assert.Equal(SoftwareFamily.Megatron, SoftwareFamily.Of(name));
        Assert.Equal("jax", SoftwareFamily.Of("jax"));
        // Every framework has a family (its own name when it shares none), keyed by the canonical name validation rows carry.
        Assert.All(Gpu.TrainingFramework.All, f => Assert.False(string.IsNullOrEmpty(SoftwareFamily.Of(f.Name))));

        // The shipped PyTorch-native H100 fit: one value for llm-foundry's FSDP and torchtitan alike, on both H100 SXM parts of
        // the group; the Megatron family has its own H100 fit, the catalog without a framework keeps the uncalibrated H100, and the A100 keeps its own fit.
        var fit = Assert.Single(SimulatorCatalog.Default.Calibrations, f => f.By == CalibrationFit.ByAcceleratorAndFamily && f.Values.Any(v => v.Framework == SoftwareFamily.PytorchNative));
        var value = Assert.Single(fit.Values);
        Assert.Equal(("h100-sxm", SoftwareFamily.PytorchNative), (value.Accelerator, value.Framework));
        Assert.Contains(value.Rows, id => id.StartsWith("llmfoundry-h100-"));
        Assert.Contains(value.Rows, id => id.StartsWith("torchtitan-h100-"));
        double? Share(string framework, string device) =>
            (framework == "" ? SimulatorCatalog.Default : SimulatorCatalog.Default.ForFramework(framework)).FindAccelerator(device).SustainedMatmulShare?.Value;
        foreach (var framework in new[] { "fsdp", "torchtitan" })
            foreach (var device in new[] { "h100-sxm", "h100-sxm-96gb" })
                Assert.Equal(value.Value, Share(framework, device));
        var megatronH100 = Assert.Single(SimulatorCatalog.Default.Calibrations.SelectMany(f => f.Values), v => v.Framework == SoftwareFamily.Megatron);
        Assert.Equal("h100-sxm", megatronH100.Accelerator);
        Assert.NotEqual(megatronH100.Value, value.Value);
        Assert.Equal(megatronH100.Value, Share("megatron-core", "h100-sxm"));
        Assert.Equal(megatronH100.Value, Share("megatron-bridge", "h100-sxm"));
        Assert.Null(Share("", "h100-sxm"));
        Assert.Equal(0.854, Share("fsdp", "a100-80gb")!.Value, 3);

        // A user's estimate --framework llm-foundry (an fsdp alias) or torchtitan gets the family's value; megatron-core, and an
        // estimate without --framework (costed as the mainstream stack, megatron-core), get the Megatron family's.
        var parser = new RequestParser(SimulatorCatalog.Default);
        double? EstimateShare(string framework) => ((GpuCluster)Assert.IsType<EstimateRequest>(parser.Parse("estimate",
            new Dictionary<string, IReadOnlyList<string>> { ["model"] = ["llama3-8b"], ["on"] = ["dgx-h100:8"], ["framework"] = [framework] })).Target.System)
            .Device.SustainedMatmulShare?.Value;
        Assert.Equal(value.Value, EstimateShare("llm-foundry@2023-10"));
        Assert.Equal(value.Value, EstimateShare("torchtitan"));
        Assert.Equal(megatronH100.Value, EstimateShare("megatron-core"));
        Assert.Equal(megatronH100.Value, ((GpuCluster)Assert.IsType<EstimateRequest>(parser.Parse("estimate",
            new Dictionary<string, IReadOnlyList<string>> { ["model"] = ["llama3-8b"], ["on"] = ["dgx-h100:8"] })).Target.System).Device.SustainedMatmulShare?.Value);
    }

    [Fact]
    public void A_fit_sees_each_row_at_its_power_cap()
    {
        // torchtitan's H100 rows ran at a 500 W limit (power_cap_w). "Measurements" made by validation itself with the H100
        // share at 0.8 are fitted back to 0.8 only if the trial values are tried at the row's own clock: re-predicted at the
        // 700 W TDP, every row looks faster than it was and the fit lands far lower.
        var catalog = SimulatorCatalog.Default;
        var rows = Calibration.Predict(catalog, ValidationData.Load(Data("data/validation/published/runs.csv"), "--data").Rows
            .Where(r => r.Case.Id.StartsWith("torchtitan-h100-8b-"))).Where(r => Calibration.Unusable(r, catalog) is null).ToList();
        Assert.True(rows.Count >= 4 && rows.All(r => r.Data.Case.Inputs.PowerCapW == 500));
        SystemSpec AtShare(string id)
        {
            var g = (GpuCluster)catalog.FindSystem(id);
            return g with { Device = CalibratedConstant.SustainedMatmulShare.Set(g.Device, Sourced.Assumed(0.8, "test truth")) };
        }
        var truth = new ValidationRun(AtShare);
        var measured = rows.Select(r => r with { Prediction = r.Prediction with { Measured = truth.Predict(r.Data.Case).Predicted!.Value } }).ToList();
        var value = Assert.Single(Calibration.Fit(catalog, measured, [CalibratedConstant.SustainedMatmulShare], CalibrationFit.ByAccelerator, new List<string>()));
        Assert.Equal("h100-sxm", value.Accelerator);
        Assert.Equal(0.8, value.Value, 0.0015);
    }

    [Fact]
    public void Bad_fit_requests_say_what_would_be_right()
    {
        var parser = new RequestParser(SimulatorCatalog.Default);
        var data = Data("data/validation/runs.csv");
        IReadOnlyDictionary<string, IReadOnlyList<string>> Args(params (string, string)[] pairs) =>
            pairs.ToDictionary(p => p.Item1, p => (IReadOnlyList<string>)[p.Item2]);
        var e = Assert.Throws<WaferInputException>(() => parser.Parse("calibrate", Args(("data", data), ("fit", "matmul_share"))));
        Assert.Contains("sustained_matmul_share, launch_s", e.Message);
        e = Assert.Throws<WaferInputException>(() => parser.Parse("calibrate", Args(("data", data), ("fit", "launch_s"), ("by", "system"))));
        Assert.Contains("accelerator+framework", e.Message);
        Assert.Contains("accelerator+family", e.Message);
        var request = Assert.IsType<CalibrateRequest>(parser.Parse("calibrate", Args(("data", data), ("fit", "launch_s,sustained_matmul_share"), ("rows", "x*"))));
        Assert.Equal(["launch_s", "sustained_matmul_share"], request.Fit.Select(f => f.Name));
        e = Assert.Throws<WaferInputException>(() => CommandExecutor.Default.Execute(request));
        Assert.Contains("--rows 'x*' matches no row id", e.Message);
        e = Assert.Throws<WaferInputException>(() => CalibrationRun.Run(SimulatorCatalog.Default, [data], [CalibratedConstant.LaunchS],
            CalibrationFit.ByAccelerator, ["llama2-70b"], "test", null, "2026-12-02"));
        Assert.Contains("whole-run metric device_hours", e.Message);
    }

    /// <summary>Issue 9: every shipped calibrated constant comes from wafer calibrate on a declared fit set, and re-running it gives the same value.</summary>
    [Fact]
    public void Every_shipped_calibration_is_reproduced_by_its_recorded_fit()
    {
        var shipped = SimulatorCatalog.Default.Calibrations;
        Assert.Equal(9, shipped.Count);
        Assert.Equal(["a100 sustained_matmul_share", "blackwell sustained_matmul_share", "a100 launch_s", "gaudi2 sustained_matmul_share", "tpu-v5p sustained_matmul_share",
                "mi350x sustained_matmul_share", "mi355x sustained_matmul_share", "mi250x sustained_matmul_share", "h100-sxm/pytorch-native sustained_matmul_share", "h100-sxm/megatron sustained_matmul_share"],
            shipped.SelectMany(f => f.Values).Select(v => $"{v.Accelerator}{(v.Framework is { } fw ? "/" + fw : "")} {v.Constant}"));
        foreach (var fit in shipped)
        {
            Assert.StartsWith("wafer calibrate --data data/validation/", fit.Command);
            // Issue 9: each paper counts once, so vTrain's 109 rows do not outweigh the Megatron papers' 14.
            Assert.Equal(CalibrationFit.WeightPaper, fit.Weight);
            Assert.Contains("--weight paper", fit.Command);
            var again = CalibrationRun.Run(SimulatorCatalog.Default, [.. fit.Data.Select(d => Data(d.File))],
                [.. fit.Fit.Select(n => CalibratedConstant.Find(n, "test"))], fit.By, [.. fit.Data.SelectMany(d => d.Rows)], fit.Command, null, fit.Date,
                weight: fit.Weighting);
            foreach (var (was, now) in fit.Values.Zip(again.Fit.Values))
            {
                Assert.Equal((was.Accelerator, was.Framework, was.Constant), (now.Accelerator, now.Framework, now.Constant));
                double tolerance = CalibratedConstant.Find(was.Constant, "test").Tolerance;
                Assert.Equal(was.Value, now.Value, tolerance);
                // The band (what single rows want, 10th–90th percentile) is recorded and reproduced too.
                Assert.True(was.Low <= was.Value && was.Value <= was.High, $"{was.Constant} band [{was.Low}, {was.High}] around {was.Value}");
                Assert.Equal(was.Low!.Value, now.Low!.Value, tolerance);
                Assert.Equal(was.High!.Value, now.High!.Value, tolerance);
                Assert.Equal(was.Rows.Order(), now.Rows.Order());
            }
        }
    }
}
