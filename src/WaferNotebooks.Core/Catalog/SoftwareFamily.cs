namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// The software family of a training framework, for fits by <c>accelerator+family</c>
/// (<see cref="CalibrationFit.ByAcceleratorAndFamily"/>): stacks that share their GEMM, attention
/// and elementwise kernels and their host loop share a family, so one family's fitted constant
/// carries from a publication of one framework to another's. PyTorch-native: PyTorch FSDP
/// (llm-foundry) and torchtitan (eager PyTorch ops, PyTorch SDPA or flash-attn, FSDP/FSDP2).
/// Megatron: Megatron-LM, Megatron-Core, NeMo, Megatron-Bridge and the DeepSpeed stacks that ship
/// Megatron's fused kernels (Megatron-DeepSpeed, GPT-NeoX). Any other framework is its own family.
/// </summary>
public static class SoftwareFamily
{
    public const string PytorchNative = "pytorch-native";
    public const string Megatron = "megatron";

    static readonly Dictionary<string, string> ByFramework = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fsdp"] = PytorchNative,
        ["torchtitan"] = PytorchNative,
        ["megatron-lm"] = Megatron,
        ["megatron-core"] = Megatron,
        ["nemo"] = Megatron,
        ["megatron-bridge"] = Megatron,
        ["deepspeed"] = Megatron,
    };

    /// <summary>The family of a framework by its canonical name (fsdp, torchtitan, megatron-core, ...); the name itself when it has none.</summary>
    public static string Of(string framework) => ByFramework.GetValueOrDefault(framework.Trim(), framework.Trim());
}
