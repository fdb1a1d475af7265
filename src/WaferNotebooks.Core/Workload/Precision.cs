namespace WaferNotebooks.Core.Workload;

/// <summary>
/// GEMM precision. In FP8 (and FP4) training only GEMM inputs are narrow: activations,
/// gradients and optimizer state stay 16/32-bit (MODELLING.md, pitfalls).
/// </summary>
public enum Precision { Bf16, Fp16, Fp8, Fp4 }
