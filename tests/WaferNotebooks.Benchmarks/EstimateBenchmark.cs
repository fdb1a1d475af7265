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

    private readonly SystemSpec wafer = Workloads.Cs3;
    private IEstimator waferEstimator = null!;
    private Layout waferLayout = null!;

    [GlobalSetup]
    public void Setup()
    {
        estimator = Simulator.EstimatorFor(system);
        waferEstimator = Simulator.EstimatorFor(wafer);
        waferLayout = waferEstimator.CandidateLayouts(job, wafer, 16).First();
    }

    [Benchmark(Description = "estimate llama2-70b on dgx-h100:512, fixed layout")]
    public Estimate Estimate() => estimator.Estimate(job, system, 512, layout, EconomicAssumptions.Default);

    /// <summary>Both wafer execution modes of one layout: what a wafer plan or sweep repeats.</summary>
    [Benchmark(Description = "estimate llama2-70b on cs-3:16, the planner's first layout")]
    public Estimate EstimateWafer() => waferEstimator.Estimate(job, wafer, 16, waferLayout, EconomicAssumptions.Default);
}
