using BenchmarkDotNet.Attributes;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Validation.Calibration;

namespace WaferNotebooks.Benchmarks;

/// <summary>
/// <c>wafer validate --cv</c>: predicting a file, loading and predicting the shipped fits'
/// declared rows (1,563 rows of four files), and refitting per held-out group.
/// </summary>
[MemoryDiagnoser]
public class CrossValidationBenchmark
{
    private ValidationData multi = null!, bridge = null!;

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "data", "validation"))) dir = dir.Parent;
        var data = Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("data/validation not found"), "data", "validation");
        multi = ValidationData.Load(Path.Combine(data, "vtrain", "ground_truth_multi.csv"), "--data");
        bridge = ValidationData.Load(Path.Combine(data, "megatron-bridge", "runs.csv"), "--data");
    }

    [Benchmark(Description = "validate --cv model, vTrain multi-node (109 rows, 4 folds)")]
    public CrossValidationReport VTrainMultiByModel() => CrossValidation.Run(SimulatorCatalog.Default, multi, CrossValidation.ByModel);

    [Benchmark(Description = "validate --cv paper, Megatron-Bridge (12 rows, 1 fold)")]
    public CrossValidationReport BridgeByPaper() => CrossValidation.Run(SimulatorCatalog.Default, bridge, CrossValidation.ByPaper);
}
