using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.WorkloadTests;

/// <summary>Multi-head latent attention and sliding-window layers against hand-derived counts (docs/gpu-model.md §2.5).</summary>
public class AttentionVariantsTests
{
    static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default;

    [Fact]
    public void DeepSeekV3_parameters_match_671B_total_and_37B_active()
    {
        // Per layer, h = 7168, a = 128: W_DQ 7168·1536 + W_UQ 1536·128·192 + W_DKV 7168·(512+64)
        // + W_UKV 512·128·(128+128) + W_O 128·128·7168 = 187,105,280; norms 2·7168 + 1536 + 512.
        // 3 dense layers (3·7168·18432), 58 MoE layers of 257 experts (3·7168·2048) + router 7168·256,
        // untied embeddings 2·129280·7168, final norm 7168.
        var p = TransformerArithmetic.Parameters(Catalog.FindModel("deepseek-v3"));
        Assert.Equal(187_105_280, p.AttentionPerLayer);
        Assert.Equal(16_384, p.NormsPerLayer);
        Assert.Equal(671_026_404_352, p.Total);
        Assert.Equal(37_552_282_624, p.Active); // published "37B activated" (arXiv 2412.19437 §1)
    }

    [Fact]
    public void DeepSeekV2_parameters_match_236B_total_and_21B_active()
    {
        // Attention per layer, h = 5120: 5120·1536 + 1536·128·192 + 5120·576 + 512·128·256 + 128·128·5120.
        var p = TransformerArithmetic.Parameters(Catalog.FindModel("deepseek-v2"));
        Assert.Equal(149_225_472, p.AttentionPerLayer);
        Assert.Equal(235_741_434_880, p.Total);
        Assert.Equal(21_375_800_320, p.Active); // published 21B activated (arXiv 2405.04434 §1)
    }

    [Fact]
    public void GptOss120b_parameters_match_117B_total_and_5_1B_active()
    {
        // GQA attention 2880·4096 + 2·2880·512 + 4096·2880 per layer; 128 experts of 3·2880·2880
        // and a router 2880·128 in each of 36 layers; untied embeddings 2·201088·2880.
        var p = TransformerArithmetic.Parameters(Catalog.FindModel("gpt-oss-120b"));
        Assert.Equal(116_789_048_640, p.Total); // card: 116.83B (attention and expert biases not modelled)
        // The card's 5.13B active counts the unembedding, not the input embedding lookup.
        Assert.Equal(5_131_310_400, p.Active - p.Embedding);
    }

    [Fact]
    public void Mla_model_flops_count_query_key_heads_of_192_and_value_heads_of_128()
    {
        // 6 per active matmul weight (layers 35,697,917,952 + logits 926,679,040) plus
        // 3 · 2·a·(d_qk + d_v)·s·L = 3 · 2·128·320·4096·61.
        var m = Catalog.FindModel("deepseek-v3") with { MtpLayers = 0 }; // the prediction module: LatentAttentionWidthsTests
        Assert.Equal(20_468_203_520, TransformerArithmetic.AttentionForwardFlopsPerToken(m, 4096));
        Assert.Equal(6 * 36_624_596_992.0 + 3 * 20_468_203_520.0, TransformerArithmetic.ModelFlopsPerToken(m, 4096), 1.0);
    }

    [Fact]
    public void Windowed_layers_count_the_band_they_compute()
    {
        // GPT-OSS at s = 4096: 18 full layers × 4096 keys + 18 windowed × (128 − 128·127/8192) = 75,996.28125
        // keys per query over the layers; 2·64·(64 + 64) FLOPs per key.
        var m = Catalog.FindModel("gpt-oss-120b");
        Assert.Equal(1_245_123_072, TransformerArithmetic.AttentionForwardFlopsPerToken(m, 4096));
        // A window as long as the sequence is full attention.
        var full = m with { Window = null };
        Assert.Equal(TransformerArithmetic.AttentionForwardFlopsPerToken(full, 128), TransformerArithmetic.AttentionForwardFlopsPerToken(m, 128));
        Assert.Equal(4.0 * 36 * 64 * 64 * 4096, TransformerArithmetic.AttentionForwardFlopsPerToken(full, 4096));
    }

    [Theory]
    [InlineData(128, 4096)]
    [InlineData(4096, 32768)]
    [InlineData(7, 10)]
    public void Mean_keys_is_the_average_of_min_position_window(int window, int seq)
    {
        double sum = 0;
        for (int i = 1; i <= seq; i++) sum += Math.Min(i, window);
        Assert.Equal(sum / seq, SlidingWindow.MeanKeys(window, seq), 1e-9);
    }

    [Fact]
    public void Mla_activations_keep_q_and_k_at_192_and_v_at_128_per_head()
    {
        var m = Catalog.FindModel("deepseek-v3");
        var plain = m with { Mla = null };
        // BF16 inputs: 128·(4·192 + 4·128) for Q, K, V and the output-projection input; the MLP part is unchanged.
        Assert.Equal(128.0 * (4 * 192 + 4 * 128) - (6.0 * 128 * 128 + 2 * 128 * 128),
            ActivationMemory.SplitPerToken(m, 2048, false) - ActivationMemory.SplitPerToken(plain, 2048, false));
        // Two latents (norm input 2 bytes + up-projection input 2 bytes) and the 64-wide rotary key.
        Assert.Equal(4.0 * (1536 + 512) + 2 * 64, ActivationMemory.ReplicatedPerToken(m, false) - ActivationMemory.ReplicatedPerToken(plain, false));
    }

    [Fact]
    public void Inline_models_take_the_attention_variants()
    {
        var m = InlineModel.Parse("layers=61,hidden=7168,heads=128,head_dim=128,vocab=129280,q_lora_rank=1536,kv_lora_rank=512,qk_rope_head_dim=64,v_head_dim=128");
        Assert.Equal(new LatentAttention(1536, 512, 64, 128), m.Mla);
        var w = InlineModel.Parse("layers=32,hidden=4096,heads=32,kv_heads=8,vocab=32000,act=swiglu,ffn=14336,seq=8192,sliding_window=4096");
        Assert.Equal(new SlidingWindow(4096, 32), w.Window);
        Assert.Equal(new SlidingWindow(128, 18), InlineModel.Parse("layers=36,hidden=2880,heads=64,vocab=201088,sliding_window=128,windowed_layers=18").Window);
    }

    [Theory]
    [InlineData("layers=4,hidden=512,heads=8,vocab=100,kv_lora_rank=64", "qk_rope_head_dim")]
    [InlineData("layers=4,hidden=512,heads=8,vocab=100,q_lora_rank=64", "kv_lora_rank")]
    [InlineData("layers=4,hidden=512,heads=8,vocab=100,windowed_layers=2", "sliding_window")]
    [InlineData("layers=4,hidden=512,heads=8,vocab=100,sliding_window=64,windowed_layers=5", "windowed_layers (5)")]
    public void Inline_attention_variants_refuse_incomplete_input(string text, string named)
    {
        var e = Assert.Throws<WaferInputException>(() => InlineModel.Parse(text));
        Assert.Contains(named, e.Message);
    }
}
