using CsCheck;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Wafer;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.PropertyTests;

/// <summary>
/// One generated request for a real estimator: a catalog model and system, a device count, a job,
/// and a layout drawn from the estimator's own candidates (Layout is null when it has none).
/// </summary>
public sealed record EstimatorCase(IEstimator Estimator, TrainingJob Job, SystemSpec System, int Devices, Layout? Layout)
{
    public Estimate Run(SystemSpec? system = null) =>
        Estimator.Estimate(Job, system ?? System, Devices, Layout!, EconomicAssumptions.Default);

    public override string ToString() => $"{Job.Model.Id} on {System.Id}:{Devices}, batch {Job.GlobalBatchSeqs}×{Job.SeqLen} {Job.Precision}, {Layout}";
}

/// <summary>Generators of <see cref="EstimatorCase"/> over the embedded catalog, for both built-in estimators.</summary>
public static class EstimatorCases
{
    private static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default;

    private static readonly string[] GpuModels = ["gpt3-1.3b", "llama2-7b", "llama3-8b", "gpt3-13b", "llama2-70b", "mixtral-8x7b", "gpt3-175b"];
    private static readonly string[] WaferModels = ["cerebras-gpt-111m", "cerebras-gpt-1.3b", "gpt3-6.7b", "llama2-13b", "llama2-70b", "gpt3-175b"];

    public static Gen<EstimatorCase> Gpu { get; } =
        Cases(new GpuEstimator(), Catalog.Systems.OfType<GpuCluster>().ToArray(), GpuModels, maxLog2: 10);

    public static Gen<EstimatorCase> Wafer { get; } = Cases(new WaferEstimator(), Catalog.Systems.OfType<WaferCluster>().ToArray(), WaferModels, maxLog2: 6);

    private static Gen<EstimatorCase> Cases(IEstimator estimator, SystemSpec[] systems, string[] models, int maxLog2) =>
        from system in Gen.OneOf(systems)
        from model in Gen.OneOf(models)
        from log2 in Gen.Int[0, maxLog2]
        from batchLog2 in Gen.Int[6, 11]
        from seq in Gen.OneOf(2048, 4096, 8192)
        from fp8 in Gen.Bool
        from pick in Gen.Int[0, 1 << 20]
        where system.MaxDevices is not int max || (1 << log2) <= max
        select Build(estimator, system, Catalog.FindModel(model), 1 << log2, 1 << batchLog2, seq, fp8 ? Precision.Fp8 : Precision.Bf16, pick);

    private static EstimatorCase Build(IEstimator estimator, SystemSpec system, ModelSpec model, int devices, int batch, int seq, Precision precision, int pick)
    {
        var job = new TrainingJob(model, 1e11, batch, seq, precision);
        var candidates = estimator.CandidateLayouts(job, system, devices).ToArray();
        return new EstimatorCase(estimator, job, system, devices, candidates.Length == 0 ? null : candidates[pick % candidates.Length]);
    }
}
