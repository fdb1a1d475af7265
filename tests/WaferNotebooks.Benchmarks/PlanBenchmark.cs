using BenchmarkDotNet.Attributes;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Benchmarks;

/// <summary>The planner's full search for the largest published dense run.</summary>
[MemoryDiagnoser]
public class PlanBenchmark
{
    private readonly TrainingJob job = Workloads.Llama3_405b;
    private readonly SystemSpec system = Workloads.DgxH100;

    [Benchmark(Description = "plan llama3-405b on dgx-h100:16384")]
    public PlanResult Plan() => Simulator.Plan(job, system, 16384);
}
