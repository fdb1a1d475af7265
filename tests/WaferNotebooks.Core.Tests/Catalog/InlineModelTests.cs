using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Tests.Catalog;

/// <summary>Models given on the command line as key=value shapes.</summary>
public class InlineModelTests
{
    private static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default;

    [Fact]
    public void The_minimal_form_takes_gpt3_defaults()
    {
        var m = Catalog.FindModel("layers=48,hidden=6144,heads=64,vocab=51200");
        Assert.Equal((48, 6144, 64, 64, 96, 51200), (m.Layers, m.Hidden, m.Heads, m.KvHeads, m.HeadDim, m.Vocab));
        Assert.Equal((4 * 6144, FfnKind.Gelu, 2048), (m.FfnHidden, m.Ffn, m.SeqLen));
        Assert.Null(m.Moe);
        Assert.Equal("layers=48,hidden=6144,heads=64,vocab=51200", m.Id);
    }

    [Fact]
    public void Every_optional_key_is_read()
    {
        var m = Catalog.FindModel("layers=32, hidden=4096, heads=32, vocab=32000, ffn=14336, kv_heads=8, seq=4096, act=swiglu, experts=8, active=2");
        Assert.Equal((14336, 8, 4096, FfnKind.SwiGlu), (m.FfnHidden, m.KvHeads, m.SeqLen, m.Ffn));
        Assert.Equal(new MoeSpec(8, 2, 0, 14336), m.Moe);
    }

    [Fact]
    public void Swiglu_without_ffn_uses_the_llama_rule() =>
        Assert.Equal(11008, Catalog.FindModel("layers=32,hidden=4096,heads=32,vocab=32000,act=swiglu").FfnHidden);

    [Fact]
    public void An_explicit_head_dim_allows_hidden_not_divisible_by_heads() =>
        Assert.Equal(256, Catalog.FindModel("layers=2,hidden=1000,heads=3,head_dim=256,vocab=100").HeadDim);

    [Theory]
    [InlineData("layers=48,hiden=6144,heads=64,vocab=51200", "unknown key 'hiden' (did you mean hidden?)")]
    [InlineData("layers=48,hidden=6144,heads=64", "missing vocab")]
    [InlineData("layers=abc,hidden=6144,heads=64,vocab=51200", "layers=abc is not a positive whole number")]
    [InlineData("layers=-4,hidden=6144,heads=64,vocab=51200", "layers=-4 is not a positive whole number")]
    [InlineData("layers=0,hidden=6144,heads=64,vocab=51200", "layers=0 is not a positive whole number")]
    [InlineData("layers=48,layers=4,hidden=6144,heads=64,vocab=51200", "key 'layers' is given twice")]
    [InlineData("layers=48,hidden=6144,heads=64,vocab=51200,act=relu2", "act=relu2 is not allowed (allowed: gelu, swiglu)")]
    [InlineData("layers=48,hidden=6144,heads=64,vocab=51200,experts=8", "experts= and active= go together")]
    [InlineData("layers=48,hidden=6144,heads=64,vocab=51200,experts=8,active=9", "active experts (9) must be between 1 and experts (8)")]
    [InlineData("layers=48,hidden=6000,heads=64,vocab=51200", "hidden (6000) is not divisible by heads (64)")]
    [InlineData("layers=48,hidden=6144,heads=64,kv_heads=5,vocab=51200", "kv heads (5) must divide heads (64)")]
    [InlineData("layers=48,hidden,heads=64,vocab=51200", "'hidden' is not key=value")]
    public void Bad_input_names_the_key_and_lists_the_allowed_keys(string text, string expected)
    {
        var e = Assert.Throws<WaferInputException>(() => Catalog.FindModel(text));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith($"Inline model '{text}': ", e.Message);
        Assert.EndsWith("Allowed keys: layers, hidden, heads, vocab (required); ffn, kv_heads, head_dim, seq, act, experts, active, q_lora_rank, kv_lora_rank, qk_rope_head_dim, v_head_dim, sliding_window, windowed_layers, mtp_layers.", e.Message);
    }
}
