using WaferNotebooks.Core;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Cli.Tests.Grammar;

public class LayoutSpecTests
{
    /// <summary>Llama 2 70B's shape (Touvron et al. 2023): 80 layers, 64 heads, 8 KV heads.</summary>
    private static readonly ModelSpec Llama70B = new("test-70b", "Test 70B", 80, 8192, 28672, FfnKind.SwiGlu, 64, 8, 128, 32000, 4096);

    private static readonly ModelSpec Moe = Llama70B with { Id = "test-moe", Moe = new MoeSpec(8, 2, 0, 14336) };

    private static readonly SystemSpec H100 = SimulatorCatalog.Default.FindSystem("dgx-h100");

    private static Core.Workload.TrainingJob Job(ModelSpec model) => new(model, 1e12, 1024, 4096);

    [Fact]
    public void Every_key_parses()
    {
        var spec = LayoutSpec.Parse("tp=8,pp=4,dp=32,mb=1,vpp=2,zero=1,recompute=selective,sp=1,cp=1,ep=1");
        Assert.Equal(new LayoutSpec(8, 4, 32, 1, 1, 2, 1, 1, Recompute.Selective, true), spec);
        Assert.Equal(1024, spec.ImpliedDevices);
    }

    [Fact]
    public void Keys_left_out_take_defaults_and_dp_fills_the_devices()
    {
        var layout = LayoutSpec.Parse("tp=8,pp=4").Resolve(512, Job(Llama70B), H100);
        Assert.Equal(new Layout(Tp: 8, Pp: 4, Dp: 16), layout);
    }

    [Fact]
    public void Uneven_layer_splits_are_allowed_as_Llama_3_405B_ran_them()
    {
        // 80 layers over 3 stages: 27, 27, 26.
        Assert.Equal(3, LayoutSpec.Parse("pp=3").Resolve(48, Job(Llama70B), H100).Pp);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void A_resolved_layout_round_trips_through_its_text(int recomputeLayers)
    {
        var layout = new Layout(8, 4, 16, 1, 1, 2, 2, 1, Recompute.Full, true, recomputeLayers);
        Assert.Equal(layout, LayoutSpec.Parse(layout.ToString()).Resolve(512, Job(Llama70B), H100));
    }

    [Theory]
    [InlineData("tp=3", 64 * 3, "--layout: tp=3 does not divide the 64 attention heads")]
    [InlineData("pp=16,vpp=6", 96, "--layout: pp·vpp = 16·6 = 96 exceeds the 80 layers (each pipeline chunk needs at least one layer)")]
    [InlineData("vpp=2", 64, "--layout: vpp=2 interleaves pipeline stages, so it needs pp > 1")]
    [InlineData("tp=8,pp=4,dp=32", 512, "--layout: tp·pp·dp·cp = 8·4·32·1 uses 1,024 devices, but the run has 512: it does not match 512 devices (with tp=8, pp=4, cp=1 that is dp=16)")]
    [InlineData("tp=8,pp=3", 100, "--layout: tp·pp·cp = 8·3·1 = 24 does not divide 100 devices")]
    [InlineData("ep=2", 64, "--layout: ep=2 needs a mixture-of-experts model; test-70b is dense")]
    [InlineData("mb=3", 64, "--layout: the global batch of 1024 sequences is not a multiple of dp·mb = 64·3 = 192")]
    [InlineData("cp=3", 48, "--layout: cp=3 needs the sequence length 4096 divisible by 2·cp = 6 (load-balanced causal split)")]
    [InlineData("recompute=selective,rl=4", 64, "--layout: rl=4 recomputes 4 layers of each stage in full, so it needs recompute=full")]
    public void Impossible_layouts_say_which_constraint_fails(string text, int devices, string message) =>
        Assert.Equal(message, Assert.Throws<WaferInputException>(() => LayoutSpec.Parse(text).Resolve(devices, Job(Llama70B), H100)).Message);

    [Fact]
    public void Expert_parallelism_must_divide_experts_and_dp()
    {
        Assert.Equal(4, LayoutSpec.Parse("ep=4").Resolve(64, Job(Moe), H100).Ep);
        Assert.Equal("--layout: ep=16 does not divide the 8 experts",
            Assert.Throws<WaferInputException>(() => LayoutSpec.Parse("ep=16").Resolve(64, Job(Moe), H100)).Message);
        Assert.Equal("--layout: ep=8 must divide dp·cp = 4 (experts are sharded inside the data-parallel group)",
            Assert.Throws<WaferInputException>(() => LayoutSpec.Parse("tp=8,pp=2,ep=8").Resolve(64, Job(Moe), H100)).Message);
    }

    [Theory]
    [InlineData("tp", "'tp' is not KEY=VALUE")]
    [InlineData("tp=8,tp=4", "tp is given twice")]
    [InlineData("tp=8,xx=2", "unknown key 'xx'; expected tp, pp, dp, cp, ep, vpp, mb, zero, recompute, sp")]
    [InlineData("tp=0", "--layout tp '0': must be a positive whole number")]
    [InlineData("tp=eight", "--layout tp 'eight': expected a whole number")]
    [InlineData("zero=4", "--layout zero '4': expected one of 0, 1, 2, 3")]
    [InlineData("recompute=some", "--layout recompute 'some': expected one of none, selective, full")]
    public void Malformed_layouts_name_the_bad_item(string text, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<WaferInputException>(() => LayoutSpec.Parse(text)).Message);
}
