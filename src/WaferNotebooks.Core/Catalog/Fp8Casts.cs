namespace WaferNotebooks.Core.Catalog;

/// <summary>How a GEMM's FP8 inputs are produced: the casts and amax reductions that run as
/// memory-bound kernels beside the FP8 GEMMs (docs/gpu-model.md §3.7).</summary>
public enum Fp8Casts
{
    /// <summary>Transformer Engine inside Megatron-Core/NeMo: delayed scaling, the amax taken in
    /// the cast kernel (read 2 bytes, write 1), weight casts cached across a step's micro-batches.</summary>
    TransformerEngine,
    /// <summary>Transformer Engine <c>te.Linear</c> in a model that does not pass
    /// <c>is_first_microbatch</c> (llm-foundry): activations as above, and every weight cast again
    /// in every micro-batch.</summary>
    TransformerEngineLinear,
    /// <summary>Dynamic (current) tensorwise scaling outside Transformer Engine (torchao
    /// <c>Float8Linear</c>, torchtitan): an amax pass over each input, then the cast, weights
    /// included, every micro-batch.</summary>
    Dynamic,
}
