using WaferNotebooks.Core.Uncertainty;
using WaferNotebooks.Core.Wafer;
using Xunit.Abstractions;

namespace WaferNotebooks.Core.Tests.Wafer;

/// <summary>The wafer model against what Cerebras and its users have published.</summary>
public class PublicClaimsTests(ITestOutputHelper output)
{
    static readonly WaferEstimator Estimator = new();

    [Fact]
    public void Andromeda_scales_a_gpt3_xl_class_model_near_linearly_from_1_to_16_cs2()
    {
        // Cerebras-GPT 1.3B: global batch 528 sequences of 2,048 tokens (Dey et al. 2023, table 1), trained on Andromeda (16 CS-2).
        var job = WaferFixtures.Job(WaferFixtures.Gpt3Xl, 528, 26e9);
        var one = Estimator.Best(job, WaferFixtures.Cs2, 1, WaferFixtures.Economics);
        var sixteen = Estimator.Best(job, WaferFixtures.Cs2, 16, WaferFixtures.Economics);
        Assert.True(one.Feasible && sixteen.Feasible);
        double efficiency = one.StepTimeS / (16 * sixteen.StepTimeS);
        output.WriteLine($"1 CS-2: {one.StepTimeS:G4} s/step ({one.Layout}; {one.Bottleneck}); 16 CS-2: {sixteen.StepTimeS:G4} s/step ({sixteen.Layout}; {sixteen.Bottleneck}); scaling efficiency {efficiency:P1}");
        Assert.InRange(efficiency, 0.90, 1.0);
    }

    [Fact]
    public void Sandia_1t_model_speeds_up_15_times_on_16_cs3_versus_1()
    {
        // Sandia (press release): 15.3× for 16 vs 1 CS-3 on "initial training steps"; the batch is not published.
        // We use 1,024 sequences of 2,048 tokens (2.1M tokens, the Megatron/GPT-3 class batch for this size).
        var job = WaferFixtures.Job(WaferFixtures.Megatron1T, 1024, 1e9);
        var one = Estimator.Best(job, WaferFixtures.Cs3, 1, WaferFixtures.Economics);
        var sixteen = Estimator.Best(job, WaferFixtures.Cs3, 16, WaferFixtures.Economics);
        Assert.True(one.Feasible && sixteen.Feasible, one.Reason ?? sixteen.Reason);
        double speedUp = one.StepTimeS / sixteen.StepTimeS;
        output.WriteLine($"1 CS-3: {one.StepTimeS:G4} s/step ({one.Layout}; {one.Bottleneck}); 16 CS-3: {sixteen.StepTimeS:G4} s/step ({sixteen.Layout}; {sixteen.Bottleneck}); speed-up {speedUp:G4}×");
        Assert.InRange(speedUp, 13.8, 16.8);
    }

    [Fact]
    public void A_20b_model_trains_on_a_single_cs3()
    {
        // GPT-NeoX-20B with its published batch of 1,538 sequences (Black et al. 2022), 20 tokens per parameter (Hoffmann et al. 2022).
        var model = WaferFixtures.NeoX20B;
        var probe = Estimator.Best(WaferFixtures.Job(model, 1538, 1), WaferFixtures.Cs3, 1, WaferFixtures.Economics);
        double parameters = StreamedModel.From(model, model.SeqLen).Params;
        var e = Estimator.Best(WaferFixtures.Job(model, 1538, 20 * parameters), WaferFixtures.Cs3, 1, WaferFixtures.Economics);
        Assert.True(e.Feasible, e.Reason);
        Assert.Equal(probe.StepTimeS, e.StepTimeS, 9);
        var ranged = UncertaintyAnalysis.Analyze(Estimator, e.Job, WaferFixtures.Cs3, 1, e.Layout, WaferFixtures.Economics);
        var days = ranged.Ranges!.TimeToTrainDays;
        output.WriteLine($"{parameters / 1e9:G3}B parameters, {20 * parameters / 1e9:N0}B tokens on 1 CS-3: {e.TimeToTrainDays:N0} days ({days.Low:N0}–{days.High:N0}), {e.EnergyMwh:N0} MWh, {e.ExecutionMode}, {e.Layout}, {e.Bottleneck}");
        Assert.InRange(e.TimeToTrainDays, days.Low, days.High);
        // Check against the arithmetic: 6·N·D (plus recompute and attention) at the effective rate, within the stream and update overheads.
        double computeDays = 6 * parameters * 20 * parameters / WaferFixtures.Cs3.EffectiveFlops / 86400;
        Assert.InRange(e.TimeToTrainDays, computeDays, 1.6 * computeDays);
    }

    [Fact]
    public void A_20b_model_fits_the_smallest_cs3_memoryx_that_cerebras_sells_for_it_and_1t_needs_sandias_55_tb_class()
    {
        // Cerebras sizes CS-3 MemoryX at 1.2 PB for 24T parameters (50 bytes each); Sandia's 1T run used 55 TB.
        var cs3 = WaferFixtures.Cs3;
        double neox = StreamedModel.From(WaferFixtures.NeoX20B, WaferFixtures.NeoX20B.SeqLen).Params;
        var smallest = cs3 with { MemoryXTb = cs3.MemoryXTb.WithValue(cs3.MemoryXOptionsTb.Min()) };
        Assert.Null(MemoryXStore.CapacityProblem(smallest, neox));
        double trillion = StreamedModel.From(WaferFixtures.Megatron1T, WaferFixtures.Megatron1T.SeqLen).Params;
        Assert.InRange(MemoryXStore.RequiredTb(cs3, trillion), 45, 55);
        var twelve = cs3 with { MemoryXTb = cs3.MemoryXTb.WithValue(12) };
        var problem = MemoryXStore.CapacityProblem(twelve, trillion);
        Assert.NotNull(problem);
        Assert.Contains("1200 TB MemoryX option", problem);
    }
}
