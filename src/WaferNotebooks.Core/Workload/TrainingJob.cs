using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Workload;

/// <summary>What is trained: a model, on how many tokens, with which global batch and sequence length.</summary>
public sealed record TrainingJob(ModelSpec Model, double Tokens, int GlobalBatchSeqs, int SeqLen, Precision Precision = Precision.Bf16)
{
    public double TokensPerStep => (double)GlobalBatchSeqs * SeqLen;
    public double Steps => Tokens / TokensPerStep;
}
