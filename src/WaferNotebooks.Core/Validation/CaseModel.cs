using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// The model a validation row describes, from its shape columns and the optional columns
/// <c>head_dim</c> (default hidden/heads), <c>shared_experts</c>, <c>dense_layers</c>,
/// <c>dense_ffn</c> (default 0), the attention variants (<c>kv_lora_rank</c> and its MLA
/// widths, <c>sliding_window</c> and <c>windowed_layers</c>), <c>parallel_block</c>, <c>expert_bias</c>, <c>gated_mlp</c> and <c>dropout</c> (default on: masks count
/// in activation memory, as in GPT-3-era Megatron configs). Whether the embeddings are tied is
/// not a column: with <c>params_b</c> it is chosen so the parameter count from the shapes comes
/// closest to the published one (the column's stated use: a cross-check), and so is gating when
/// <c>gated_mlp</c> is empty. Without params_b: gated when <c>gated_mlp</c> says so or, when empty,
/// when ffn_hidden is not 4·hidden; untied.
/// </summary>
public static class CaseModel
{
    public static ModelSpec Build(ValidationCase c)
    {
        var inputs = c.Inputs;
        int ffn = c.FfnHidden ?? 4 * c.Hidden;
        MoeSpec? moe = null;
        if (c.MoeExperts is { } experts && experts > 1)
            moe = new MoeSpec(experts, c.MoeActive ?? 1, inputs.SharedExperts ?? 0, ffn, inputs.DenseLayers ?? 0, inputs.DenseFfn ?? 0);
        var baseSpec = new ModelSpec(
            c.Id, c.ModelName, c.Layers, c.Hidden, ffn, FfnKind.Gelu, c.Heads, c.KvHeads ?? c.Heads, inputs.HeadDim ?? c.Hidden / c.Heads,
            c.Vocab ?? 51200, c.SeqLen, moe, false, c.ParamsB, "validation row " + c.Id, "",
            Dropout: inputs.Dropout is not { } p || p > 0,
            Mla: inputs.Mla,
            Window: inputs.SlidingWindow is { } w ? new SlidingWindow(w, inputs.WindowedLayers ?? c.Layers) : null,
            MtpLayers: inputs.MtpLayers ?? 0,
            ParallelBlock: inputs.ParallelBlock ?? false,
            ExpertBias: inputs.ExpertBias ?? false);

        FfnKind[] kinds = inputs.GatedMlp switch { true => [FfnKind.SwiGlu], false => [FfnKind.Gelu], null => [FfnKind.Gelu, FfnKind.SwiGlu] };
        if (c.ParamsB is not { } published)
        {
            bool gated = inputs.GatedMlp ?? ffn != 4 * c.Hidden;
            return baseSpec with { Ffn = gated ? FfnKind.SwiGlu : FfnKind.Gelu };
        }
        var options = kinds.SelectMany(k => new[] { false, true }.Select(tied => baseSpec with { Ffn = k, TiedEmbeddings = tied }));
        return options.MinBy(s => Math.Abs(TransformerArithmetic.Parameters(s).Total / 1e9 - published))!;
    }
}
