using BenchmarkDotNet.Attributes;
using WaferNotebooks.Core.Validation;

namespace WaferNotebooks.Benchmarks;

/// <summary>`wafer validate` on the published runs: every row's nominal and its range over the open knobs.</summary>
[MemoryDiagnoser]
public class ValidateBenchmark
{
    private readonly string csv = File.ReadAllText(Path.Combine(RepositoryData, "runs.csv"));

    private static string RepositoryData
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "data", "validation"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("data/validation not found above the benchmark binaries"), "data", "validation");
        }
    }

    [Benchmark(Description = "validate runs.csv (33 rows)")]
    public ValidationReport Validate() => new ValidationRun().Run(csv, "runs.csv");
}
