namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// GEMM precision. In FP8 (and FP4) training only GEMM inputs are narrow: activations,
/// gradients and optimizer state stay 16/32-bit (docs/gpu-model.md §3.1).
/// </summary>
public enum Precision { Bf16, Fp16, Fp8, Fp4 }
