using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Workload;

/// <summary>
/// What a job is when the command leaves something out. Documented in the grammar's option
/// descriptions, so help text and behaviour agree.
/// </summary>
public static class JobDefaults
{
    /// <summary>Compute-optimal tokens per parameter (Hoffmann et al. 2022, "Chinchilla", Table 3: about 20).</summary>
    public const double ChinchillaTokensPerParameter = 20;

    /// <summary>
    /// Tokens per step for a model without a published batch: 2^22 ≈ 4M, the batch of LLaMA 1
    /// and Llama 2 (Touvron et al. 2023, Sec. 2.2: "batch size of 4M tokens"), close to GPT-3
    /// 175B's 3.2M (Brown et al. 2020, Table 2.1) and MT-NLG's 1920 × 2048 = 3.9M.
    /// </summary>
    public const double DefaultBatchTokens = 1 << 22;

    /// <summary>20 tokens per (total) parameter.</summary>
    public static double Tokens(ModelSpec model) => ChinchillaTokensPerParameter * TransformerArithmetic.Parameters(model).Total;

    /// <summary>The model's published training sequence length.</summary>
    public static int SeqLen(ModelSpec model) => model.SeqLen;

    /// <summary>Tokens per step: the model's published batch, else <see cref="DefaultBatchTokens"/>.</summary>
    public static double BatchTokens(ModelSpec model) =>
        model.BatchSeqs is { } seqs ? (double)seqs * model.SeqLen : DefaultBatchTokens;

    /// <summary>
    /// Sequences per step at this sequence length, at least 1: the tokens per step in whole
    /// sequences. At the published sequence length that is the published batch; at another, the
    /// same tokens (a batch is tuned in tokens, so halving the context doubles the sequences).
    /// </summary>
    public static int GlobalBatchSeqs(ModelSpec model, int seqLen) =>
        Math.Max(1, (int)Math.Round(BatchTokens(model) / seqLen));
}
