using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// What a job is when the command leaves something out. Documented in the grammar's option
/// descriptions, so help text and behaviour agree.
/// </summary>
public static class JobDefaults
{
    /// <summary>Compute-optimal tokens per parameter (Hoffmann et al. 2022, "Chinchilla", Table 3: about 20).</summary>
    public const double ChinchillaTokensPerParameter = 20;

    /// <summary>
    /// Tokens per step when no batch is given: 2^22 ≈ 4M, the batch of LLaMA 1 and Llama 2
    /// (Touvron et al. 2023, Sec. 2.2: "batch size of 4M tokens") and close to GPT-3 175B's 3.2M
    /// (Brown et al. 2020, Table 2.1) and MT-NLG's 1920 × 2048 = 3.9M (Smith et al. 2022).
    /// The catalog's models carry no published batch, so one published convention stands for all.
    /// </summary>
    public const double DefaultBatchTokens = 1 << 22;

    /// <summary>20 tokens per (total) parameter.</summary>
    public static double Tokens(ModelSpec model) => ChinchillaTokensPerParameter * TransformerArithmetic.Parameters(model).Total;

    /// <summary>The model's published training sequence length.</summary>
    public static int SeqLen(ModelSpec model) => model.SeqLen;

    /// <summary>The number of sequences nearest to <see cref="DefaultBatchTokens"/> at this sequence length, at least 1.</summary>
    public static int GlobalBatchSeqs(int seqLen) =>
        Math.Max(1, (int)Math.Round(DefaultBatchTokens / seqLen));
}
