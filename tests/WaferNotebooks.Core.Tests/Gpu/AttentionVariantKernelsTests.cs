using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>Attention kernel time of sliding-window layers and MLA heads (docs/gpu-model.md §2.5).</summary>
public class AttentionVariantKernelsTests
{
    static readonly ModelSpec Gqa = new("swa-test", "SWA test", 36, 2880, 2880, FfnKind.SwiGlu, 64, 8, 64, 201088, 4096, Dropout: false);

    static FwdBwd Attention(ModelSpec m, int seq, GpuSoftware? sw = null)
    {
        var job = new TrainingJob(m, 1e9, 512, seq, Precision.Bf16);
        var system = TestSystems.DgxH100;
        return LayerTime.For(m, false, job, new Layout(Dp: 8), system, new Collectives(system), sw ?? GpuSoftware.Modern).Attention;
    }

    [Fact]
    public void Windowed_layers_cost_their_band_at_the_rate_of_the_equivalent_causal_length()
    {
        // Half the layers windowed at 128 of 4096: the equivalent causal length is 2·(128 − 128·127/8192) = 252.03;
        // the layer average is ½·full + ½·banded, and the band costs far less than the full square.
        var windowed = Gqa with { Window = new SlidingWindow(128, 18) };
        var full = Attention(Gqa, 4096);
        var mixed = Attention(windowed, 4096);
        var peak = TestSystems.H100.PeakTflops16.Value * 1e12;
        var banded = AttentionKernels.FusedSeconds(TestSystems.H100, GpuSoftware.Modern.AttentionKernel, 4096, 252.03125, 64, 64, 64, peak);
        Assert.Equal(0.5 * full.Forward + 0.5 * banded.Forward, mixed.Forward, 1e-12);
        Assert.Equal(0.5 * full.Backward + 0.5 * banded.Backward, mixed.Backward, 1e-12);
        Assert.InRange(mixed.Total / full.Total, 0.5, 0.65);
    }

    [Fact]
    public void A_window_covering_the_sequence_or_unfused_kernels_cost_the_full_square()
    {
        var windowed = Gqa with { Window = new SlidingWindow(4096, 36) };
        Assert.Equal(Attention(Gqa, 4096), Attention(windowed, 4096));
        var unfused = GpuSoftware.Modern with { FusedAttention = false };
        var narrow = Gqa with { Window = new SlidingWindow(128, 36) };
        Assert.Equal(Attention(Gqa, 4096, unfused), Attention(narrow, 4096, unfused));
    }

    [Fact]
    public void Mla_scores_cost_query_key_and_value_widths()
    {
        // 128 heads of d_qk 192, d_v 128: 2·(192 + 128) FLOPs per score against 4·128 for plain heads of 128.
        var plain = new ModelSpec("mla-test", "MLA test", 4, 7168, 2048, FfnKind.SwiGlu, 128, 128, 128, 129280, 4096, Dropout: false);
        var mla = plain with { Mla = new LatentAttention(1536, 512, 64, 128) };
        var peak = TestSystems.H100.PeakTflops16.Value * 1e12;
        var kernel = GpuSoftware.Modern.AttentionKernel;
        Assert.Equal(AttentionKernels.FusedSeconds(TestSystems.H100, kernel, 4096, 4096, 128, 192, 128, peak), Attention(mla, 4096));
        var ratio = (Attention(mla, 4096).Forward - MatmulEfficiency.KernelOverheadS) / (Attention(plain, 4096).Forward - MatmulEfficiency.KernelOverheadS);
        Assert.Equal(640.0 / 512, ratio, 1e-9); // same rate: the H100 kernel figures do not depend on head width here
    }
}
