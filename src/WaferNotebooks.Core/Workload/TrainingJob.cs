using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Workload;

/// <summary>What is trained: a model, on how many tokens, with which global batch and sequence length.</summary>
public sealed record TrainingJob(ModelSpec Model, double Tokens, int GlobalBatchSeqs, int SeqLen, Precision Precision = Precision.Bf16)
{
    /// <summary>
    /// The training framework's software profile (<c>--framework</c>, <see cref="Gpu.TrainingFramework"/>);
    /// null: the GPU estimator's own (today's mainstream stack). Wafer-scale systems ignore it.
    /// </summary>
    public GpuSoftware? Software { get; init; }

    public double TokensPerStep => (double)GlobalBatchSeqs * SeqLen;
    public double Steps => Tokens / TokensPerStep;
}
