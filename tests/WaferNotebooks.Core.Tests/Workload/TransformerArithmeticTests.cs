using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.WorkloadTests;

public class TransformerArithmeticTests
{
    static ModelSpec Gpt(int layers, int h, int heads, int vocab, int seq = 2048) =>
        new("gpt", "gpt", layers, h, 4 * h, FfnKind.Gelu, heads, heads, h / heads, vocab, seq);

    /// <summary>Korthikanti 2022 / Narayanan 2021: per iteration of B sequences.</summary>
    static double Megatron(double coefficient, double b, double s, double l, double h, double v, double vocabDivisor) =>
        coefficient * b * s * l * h * h * (1 + s / (6 * h) + v / (vocabDivisor * l * h));

    [Theory]
    [InlineData(96, 12288, 96, 51200)]
    [InlineData(24, 2304, 24, 51200)]
    [InlineData(128, 25600, 160, 51200)]
    public void ModelFlopsEqualMegatron72(int layers, int h, int heads, int vocab)
    {
        var m = Gpt(layers, h, heads, vocab);
        double perIteration = TransformerArithmetic.ModelFlopsPerToken(m, 2048) * 2048 * 512;
        Assert.Equal(Megatron(72, 512, 2048, layers, h, vocab, 12), perIteration, perIteration * 1e-12);
    }

    [Theory]
    [InlineData(96, 12288, 96, 51200)]
    [InlineData(40, 6144, 48, 51200)]
    public void FullRecomputeHardwareFlopsEqualMegatron96(int layers, int h, int heads, int vocab)
    {
        var m = Gpt(layers, h, heads, vocab);
        double perIteration = TransformerArithmetic.HardwareFlopsPerToken(m, 2048, Recompute.Full) * 2048 * 1024;
        Assert.Equal(Megatron(96, 1024, 2048, layers, h, vocab, 16), perIteration, perIteration * 1e-12);
    }

    [Fact]
    public void SelectiveRecomputeAddsOneAttentionForward()
    {
        var m = Gpt(96, 12288, 96, 51200);
        double extra = TransformerArithmetic.HardwareFlopsPerToken(m, 2048, Recompute.Selective) - TransformerArithmetic.ModelFlopsPerToken(m, 2048);
        Assert.Equal(4.0 * 96 * 12288 * 2048, extra); // 4·L·a·d_head·s = 4·L·h·s
    }

    [Fact]
    public void Gpt3ParameterCount()
    {
        // 12·L·h² + 13·L·h (LayerNorm ×2 with bias = 4h, no linear biases counted here: so 12Lh² + 4Lh) + V·h (tied).
        var m = Gpt(96, 12288, 96, 50257) with { TiedEmbeddings = true };
        var p = TransformerArithmetic.Parameters(m);
        double expected = 96 * (12.0 * 12288 * 12288 + 4.0 * 12288) + 50257.0 * 12288 + 2 * 12288;
        Assert.Equal(expected, p.Total);
        Assert.InRange(p.Total / 1e9, 174, 175.5);
    }

    [Fact]
    public void Llama65bWithSwiGluIsItsPublishedSize()
    {
        var m = new ModelSpec("llama1-65b", "LLaMA 65B", 80, 8192, 22016, FfnKind.SwiGlu, 64, 64, 128, 32000, 2048);
        // 80·(4·h² + 3·h·F + 2h) + 2·V·h + h
        double expected = 80 * (4.0 * 8192 * 8192 + 3.0 * 8192 * 22016 + 2 * 8192) + 2.0 * 32000 * 8192 + 8192;
        Assert.Equal(expected, TransformerArithmetic.Parameters(m).Total);
        Assert.InRange(expected / 1e9, 65.0, 65.4);
    }

    [Fact]
    public void GqaShrinksKeyValueProjections()
    {
        // Llama 2 70B: q 8192, kv 8 heads × 128 = 1024.
        var m = new ModelSpec("llama2-70b", "Llama 2 70B", 80, 8192, 28672, FfnKind.SwiGlu, 64, 8, 128, 32000, 4096);
        var p = TransformerArithmetic.Parameters(m);
        Assert.Equal(8192.0 * 8192 * 2 + 2.0 * 8192 * 1024, p.AttentionPerLayer);
        Assert.InRange(p.Total / 1e9, 68.9, 69.1);
    }

    [Fact]
    public void PalmMultiQueryWithHeadDim256()
    {
        var m = new ModelSpec("palm", "PaLM 540B", 118, 18432, 73728, FfnKind.SwiGlu, 48, 1, 256, 256000, 2048, TiedEmbeddings: true);
        Assert.InRange(TransformerArithmetic.Parameters(m).Total / 1e9, 540.0, 540.7);
        // Attention term of PaLM App. B: 12·L·H·Q·T per token (forward + backward).
        Assert.Equal(3 * 4.0 * 118 * 48 * 256 * 2048, 3 * TransformerArithmetic.AttentionForwardFlopsPerToken(m, 2048));
    }

    [Fact]
    public void MoeCountsActiveExpertsSharedExpertsAndDenseLayers()
    {
        // 4 layers, first dense (FFN 1024), 8 experts of 256, top-2, 1 shared.
        var moe = new MoeSpec(8, 2, 1, 256, DenseLayers: 1, DenseFfnHidden: 1024);
        var m = new ModelSpec("moe", "moe", 4, 128, 256, FfnKind.SwiGlu, 4, 4, 32, 1000, 512, moe);
        var p = TransformerArithmetic.Parameters(m);
        double expert = 3.0 * 128 * 256, router = 128.0 * 8, attention = 4.0 * 128 * 128;
        double common = 2 * 1000.0 * 128 + 128 + 4 * (attention + 2 * 128);
        Assert.Equal(common + 3.0 * 128 * 1024 + 3 * (9 * expert + router), p.Total);
        Assert.Equal(common + 3.0 * 128 * 1024 + 3 * (3 * expert + router), p.Active);
        Assert.True(TransformerArithmetic.ModelFlopsPerToken(m, 512) < 6 * p.Total);
    }
}
