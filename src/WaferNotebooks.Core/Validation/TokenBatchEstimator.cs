using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// A global batch quoted in tokens ("4M tokens"): the run's real batch is whole sequences and a
/// multiple of its data-parallel size, which depends on the layout. Each layout gets the token
/// batch in sequences rounded to the nearest multiple of its own dp (at least dp), never of the
/// device count (which would make a 2M-token batch on 992 GPUs 8× too large at tp = 8).
/// </summary>
public sealed class TokenBatchEstimator(IEstimator inner, int sequences) : IEstimator
{
    public bool Supports(SystemSpec system) => inner.Supports(system);

    /// <summary>The batch a layout with this data-parallel size runs.</summary>
    public int BatchFor(int dp) => Math.Max(dp, (int)Math.Round((double)sequences / dp) * dp);

    public TrainingJob JobFor(TrainingJob job, int dp) => job with { GlobalBatchSeqs = BatchFor(dp) };

    public Estimate Estimate(TrainingJob job, SystemSpec system, int devices, Layout layout, EconomicAssumptions economics) =>
        inner.Estimate(JobFor(job, layout.Dp), system, devices, layout, economics);

    /// <summary>For each data-parallel size, the inner candidates of the job with that size's batch.</summary>
    public IEnumerable<Layout> CandidateLayouts(TrainingJob job, SystemSpec system, int devices) =>
        Gpu.CandidateLayouts.Divisors(devices).SelectMany(dp =>
            inner.CandidateLayouts(JobFor(job, dp), system, devices).Where(l => l.Dp == dp));
}
