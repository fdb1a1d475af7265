using BenchmarkDotNet.Attributes;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Benchmarks;

/// <summary>One closed-form estimate: the unit of work every plan and sweep repeats.</summary>
[MemoryDiagnoser]
public class EstimateBenchmark
{
    private readonly TrainingJob job = Workloads.Llama2_70b;
    private readonly SystemSpec system = Workloads.DgxH100;
    private readonly Layout layout = Workloads.Llama2_70bLayout;
    private IEstimator estimator = null!;

    [GlobalSetup]
    public void Setup() => estimator = Simulator.EstimatorFor(system);

    [Benchmark(Description = "estimate llama2-70b on dgx-h100:512, fixed layout")]
    public Estimate Estimate() => estimator.Estimate(job, system, 512, layout, EconomicAssumptions.Default);
}
