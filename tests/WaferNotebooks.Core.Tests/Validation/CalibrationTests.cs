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
    }

    [Fact]
    public void The_search_finds_the_minimum_past_a_local_dip_and_leaves_a_variable_it_cannot_see()
    {
        // A shallow dip at 0.2 and the true minimum at 0.8: the grid scan finds the right valley.
        static double F(double[] x) => Math.Min(Math.Pow(x[0] - 0.2, 2) + 0.05, 3 * Math.Pow(x[0] - 0.8, 2));
        var (best, value, flat) = BoundedSearch.Minimise(F, [0.25, 7], [0, 0], [1, 10], [1e-4, 1e-3]);
        Assert.Equal(0.8, best[0], 1e-4);
        Assert.Equal(0, value, 1e-7);
        Assert.Equal([false, true], flat);
        Assert.Equal(7, best[1]);
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
        Assert.Equal(0.855, SimulatorCatalog.Default.FindAccelerator("a100-40gb").SustainedMatmulShare!.Value, 3);

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
        Assert.Equal(5, shipped.Count);
        Assert.Equal(["a100 sustained_matmul_share", "blackwell sustained_matmul_share", "a100 launch_s", "gaudi2 sustained_matmul_share", "tpu-v5p sustained_matmul_share"],
            shipped.SelectMany(f => f.Values).Select(v => $"{v.Accelerator} {v.Constant}"));
        foreach (var fit in shipped)
        {
            Assert.StartsWith("wafer calibrate --data data/validation/", fit.Command);
            var again = CalibrationRun.Run(SimulatorCatalog.Default, [.. fit.Data.Select(d => Data(d.File))],
                [.. fit.Fit.Select(n => CalibratedConstant.Find(n, "test"))], fit.By, [.. fit.Data.SelectMany(d => d.Rows)], fit.Command, null, fit.Date);
            foreach (var (was, now) in fit.Values.Zip(again.Fit.Values))
            {
                Assert.Equal((was.Accelerator, was.Constant), (now.Accelerator, now.Constant));
                Assert.Equal(was.Value, now.Value, CalibratedConstant.Find(was.Constant, "test").Tolerance);
                Assert.Equal(was.Rows.Order(), now.Rows.Order());
            }
        }
    }
}
