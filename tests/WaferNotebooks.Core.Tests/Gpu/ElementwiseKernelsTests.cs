using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>Eager PyTorch against fused kernels: bytes and launches per layer counted by hand from the op sequences in ElementwiseKernels' summary.</summary>
public class ElementwiseKernelsTests
{
    // Llama 3 8B shape (GQA 32/8, SwiGLU 14336, no dropout) and an MPT-7B shape (MHA, GELU 4h).
    internal static readonly ModelSpec Llama = new("l8", "Llama 8B", 32, 4096, 14336, FfnKind.SwiGlu, 32, 8, 128, 128256, 8192, Dropout: false);
    internal static readonly ModelSpec Mpt = new("m7", "MPT 7B", 32, 4096, 16384, FfnKind.Gelu, 32, 32, 128, 50368, 2048, Dropout: false);

    [Fact]
    public void Eager_llama_block_bytes_are_the_sum_of_its_ops()
    {
        // RMSNorm 2×36 + residual 2×6 per h; rotary 20 per q and k element; repeat_kv 2·(2kv + 2q); output copy 4q; SwiGLU 10F.
        double expected = 84 * 4096 + 20 * (4096 + 1024) + 2 * (2 * 1024 + 2 * 4096) + 4 * 4096 + 10 * 14336;
        Assert.Equal(626_688, expected);
        Assert.Equal(expected, ElementwiseKernels.BytesPerToken(Llama, 14336, 1, false, eager: true));
        // Fused: norms 2×4 + residual 2×6 per h, gated activation 6 per F.
        Assert.Equal(20 * 4096 + 6 * 14336, ElementwiseKernels.BytesPerToken(Llama, 14336, 1, false, eager: false));
        // tp 8 with sequence parallelism: h-wide work and q/kv/F-wide work both split eight ways.
        Assert.Equal(expected / 8, ElementwiseKernels.BytesPerToken(Llama, 14336, 8, true, eager: true), 1e-9);
    }

    [Fact]
    public void Eager_mpt_block_moves_what_megatron_fuses_and_more_with_dropout()
    {
        // LayerNorm 2×4 + residual 2×6 per h, GELU 4 per F: the same as the fused kernels without dropout.
        Assert.Equal(20 * 4096 + 4 * 16384, ElementwiseKernels.BytesPerToken(Mpt, 16384, 1, false, eager: true));
        Assert.Equal(20 * 4096 + 4 * 16384, ElementwiseKernels.BytesPerToken(Mpt, 16384, 1, false, eager: false));
        var dropout = Mpt with { Dropout = true };
        // Eager dropout 2×5 per h; fused bias-dropout-add writes a 1-byte mask, twice: Megatron's 11h + 2F elements.
        Assert.Equal(30 * 4096 + 4 * 16384, ElementwiseKernels.BytesPerToken(dropout, 16384, 1, false, eager: true));
        Assert.Equal(2 * (11 * 4096 + 2 * 16384), ElementwiseKernels.BytesPerToken(dropout, 16384, 1, false, eager: false));
    }

    [Fact]
    public void Kernel_counts_follow_the_op_sequences()
    {
        // Fused: 4 GEMMs, flash attention, 2 norms, 2 bias-dropout-adds, 1 activation.
        Assert.Equal(10, ElementwiseKernels.KernelsPerLayer(Llama, true, false, null));
        // Eager Llama: 7 GEMMs, attention, 2×8 RMSNorm, 2 adds, 2×3 rotary, 2 repeat_kv, 1 copy, silu and multiply.
        Assert.Equal(7 + 1 + 16 + 2 + 6 + 2 + 1 + 2, ElementwiseKernels.KernelsPerLayer(Llama, true, true, null));
        // Materialised scores: four kernels instead of one, in every stack.
        Assert.Equal(13, ElementwiseKernels.KernelsPerLayer(Llama, false, false, null));
        Assert.Equal(10, ElementwiseKernels.KernelsPerLayer(Mpt, true, true, null));
        // FP8 casts per GEMM: TE 1 (weights cached), TE linear 2, dynamic compiled 4, dynamic eager 16.
        Assert.Equal(10 + 4, ElementwiseKernels.KernelsPerLayer(Llama, true, false, Fp8Casts.TransformerEngine));
        Assert.Equal(10 + 4 * 4, ElementwiseKernels.KernelsPerLayer(Llama, true, false, Fp8Casts.Dynamic));
        Assert.Equal(37 + 7 * 16, ElementwiseKernels.KernelsPerLayer(Llama, true, true, Fp8Casts.Dynamic));
    }

    [Fact]
    public void Fp8_cast_traffic_per_gemm_input()
    {
        double inputs = 2 * 4096 + 4096 + 14336;
        double weights = 4096 * (4096 + 2 * 1024) + 4096 * 4096 + 3 * 4096 * 14336.0;
        const double tokens = 8192;
        Assert.Equal(3 * inputs, ElementwiseKernels.Fp8BytesPerToken(Llama, 14336, 1, false, tokens, Fp8Casts.TransformerEngine, false));
        Assert.Equal(3 * (inputs + weights / tokens), ElementwiseKernels.Fp8BytesPerToken(Llama, 14336, 1, false, tokens, Fp8Casts.TransformerEngineLinear, true), 1e-6);
        // Dynamic scaling: amax pass (read 2) and cast (read 2, write 1) = 5; eager op by op 2+2+2+2+4+4+4+4+1 = 25.
        Assert.Equal(5 * (inputs + weights / tokens), ElementwiseKernels.Fp8BytesPerToken(Llama, 14336, 1, false, tokens, Fp8Casts.Dynamic, false), 1e-6);
        Assert.Equal(25 * (inputs + weights / tokens), ElementwiseKernels.Fp8BytesPerToken(Llama, 14336, 1, false, tokens, Fp8Casts.Dynamic, true), 1e-6);
    }

    public static TheoryData<string, int, int, string, bool> Cases => new()
    {
        { "llama2-7b", 1, 2, "bf16", false },
        { "llama3-8b", 1, 1, "fp8", false },
        { "llama3-70b", 8, 1, "bf16", true },
        { "gpt3-175b", 8, 1, "fp8", true },
        { "llama2-70b", 8, 4, "fp8", false },
    };

    /// <summary>Property: at the same layout, fused kernels are never slower than eager ones, for every framework's profile.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_is_never_slower_than_eager(string modelId, int tp, int mb, string precision, bool sp)
    {
        var model = SimulatorCatalog.Default.FindModel(modelId);
        var job = new TrainingJob(model, 1e11, 512, 4096, precision == "fp8" ? Precision.Fp8 : Precision.Bf16);
        var layout = new Layout(tp, 1, 64 / tp, 1, 1, 1, mb, tp == 1 ? 3 : 1, Recompute.Selective, sp);
        foreach (var framework in TrainingFramework.All)
        {
            var sw = framework.SoftwareAt(null);
            var fused = new GpuEstimator(sw.WithEagerKernels(false)).Estimate(job, TestSystems.DgxH100, 64, layout, EconomicAssumptions.Default);
            var eager = new GpuEstimator(sw.WithEagerKernels()).Estimate(job, TestSystems.DgxH100, 64, layout, EconomicAssumptions.Default);
            Assert.True(fused.StepTimeS <= eager.StepTimeS * (1 + 1e-12), $"{framework.Name} {modelId}: fused {fused.StepTimeS} s > eager {eager.StepTimeS} s");
        }
    }

    [Fact]
    public void Pytorch_native_stacks_run_eager_unless_compiled()
    {
        Assert.False(TrainingFramework.MegatronCore.SoftwareAt(null).EagerKernels);
        Assert.False(TrainingFramework.Fsdp.SoftwareAt(new DateOnly(2021, 6, 1)).EagerKernels); // metaseq on Megatron's kernels
        var foundry = TrainingFramework.Parse("llm-foundry").SoftwareAt(new DateOnly(2023, 6, 1));
        Assert.True(foundry.EagerKernels);
        Assert.Equal(Fp8Casts.TransformerEngineLinear, foundry.Fp8Casts);
        var titan = TrainingFramework.Parse("torchtitan").SoftwareAt(null);
        Assert.True(titan.EagerKernels);
        Assert.Equal(Fp8Casts.Dynamic, titan.Fp8Casts);
        Assert.False(ValueParsers.ParseFramework("--framework", "torchtitan+compiled@2024-12").Software.EagerKernels);
        Assert.True(ValueParsers.ParseFramework("--framework", "torchtitan@2024-12").Software.EagerKernels);
        var e = Assert.Throws<WaferInputException>(() => ValueParsers.ParseFramework("--framework", "torchtitan+compile"));
        Assert.Contains("+compiled", e.Message);

        var cells = new Dictionary<string, string> { ["framework"] = "torchtitan", ["compiled"] = "1" };
        var inputs = CaseInputs.From(c => cells.GetValueOrDefault(c, ""), c => int.TryParse(cells.GetValueOrDefault(c, ""), out int v) ? v : null, _ => null);
        Assert.True(inputs.Compiled);
        Assert.Contains("compiled", CaseInputs.Columns);
    }

    [Fact]
    public void An_eager_stack_launches_more_and_says_so()
    {
        var job = new TrainingJob(Llama, 1e10, 64, 2048);
        var layout = new Layout(1, 1, 8, 1, 1, 1, 1, 3, Recompute.None, false);
        var eager = new GpuEstimator(TrainingFramework.Torchtitan.SoftwareAt(null)).Estimate(job, TestSystems.DgxH100, 8, layout, EconomicAssumptions.Default);
        var fused = new GpuEstimator(TrainingFramework.Torchtitan.SoftwareAt(null).WithEagerKernels(false)).Estimate(job, TestSystems.DgxH100, 8, layout, EconomicAssumptions.Default);
        Assert.Contains(eager.Assumptions, a => a.Contains("eager PyTorch: 3.7× the kernels"));
        Assert.DoesNotContain(fused.Assumptions, a => a.Contains("the kernels of Megatron's fused layer"));
        Assert.True(eager.Breakdown["other"] > fused.Breakdown["other"]);
    }
}
