using WaferNotebooks.Core.Tests.Gpu;
using WaferNotebooks.Core.Validation;
using Xunit.Abstractions;

namespace WaferNotebooks.Core.Tests.Validation;

public class ValidationDataTests(ITestOutputHelper output)
{
    static string DataDir
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "data", "validation"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("data/validation not found above the test binaries"), "data", "validation");
        }
    }

    static ValidationRun Runner => new(TestSystems.Find);

    void Print(ValidationReport report)
    {
        foreach (var r in report.Rows)
            output.WriteLine(r.Skipped
                ? $"{r.Id,-34} {r.Metric,-24} SKIPPED {r.Reason}"
                : $"{r.Id,-34} {r.Metric,-24} {r.Measured,12:G5} {r.Predicted,12:G5} {r.Error,8:P1}  {r.Layout}");
        var s = report.Summary;
        output.WriteLine($"n={s.Count} skipped={s.Skipped} mean={s.MeanAbsError:P1} median={s.MedianAbsError:P1} p90={s.P90AbsError:P1} max={s.MaxAbsError:P1}");
    }

    [Fact]
    public void RunsCsv()
    {
        var report = Runner.RunFile(Path.Combine(DataDir, "runs.csv"));
        Print(report);
        Print(report.Throughput);
    }

    [Fact]
    public void VTrainMulti()
    {
        var report = Runner.Run(VTrainData.Load(Path.Combine(DataDir, "vtrain", "ground_truth_multi.csv"), "multi"), "multi");
        Print(report);
    }

    [Fact]
    public void VTrainSingle()
    {
        var report = Runner.Run(VTrainData.Load(Path.Combine(DataDir, "vtrain", "ground_truth_single.csv"), "single"), "single");
        Print(report.Where(r => r.Line % 20 == 0));
        output.WriteLine("ALL:");
        Print(report.Where(_ => false));
        var s = report.Summary;
        output.WriteLine($"n={s.Count} skipped={s.Skipped} mean={s.MeanAbsError:P1} median={s.MedianAbsError:P1} p90={s.P90AbsError:P1} max={s.MaxAbsError:P1}");
    }
}
