using CsCheck;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Reliability;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.ReliabilityTests;

public class GoodputTests
{
    static ReliabilityAssumptions Inputs(double mtbf, double gbps, double restartMin) =>
        new(new Sourced(mtbf, "test"), new Sourced(gbps, "test"), new Sourced(restartMin, "test"));

    [Fact]
    public void Young_Daly_goodput_matches_the_hand_derived_value()
    {
        // 1,000 devices at 100,000 device-hours: M = 100 h = 360,000 s. 1e9 parameters × 14 B = 14 GB
        // at 0.014 GB/s × 1,000 = 14 GB/s: δ = 1 s. τ = √(2·1·360,000) = 848.53 s. Lost per second:
        // (600 + 1 + 849.53/2)/360,000 = 0.0028493; goodput = (1 − 0.0028493)/(1 + 1/848.53) = 0.995977.
        var g = Goodput.For(10, 1000, 1e9, Inputs(100_000, 0.014, 10));
        Assert.Equal(100, g.JobMtbfHours, 1e-9);
        Assert.Equal(14, g.CheckpointGb, 1e-9);
        Assert.Equal(1, g.CheckpointWriteS, 1e-9);
        Assert.Equal(848.5281374, g.CheckpointIntervalS, 1e-6);
        Assert.Equal(0.99597689, g.Share, 1e-7);
        // 10 / 0.995977 = 10.0403937 days, plus one initialisation of R = 10 min (600/86,400 days).
        Assert.Equal(10.0403937 + 600.0 / 86400, g.DaysWithDowntime, 1e-6);
        Assert.Equal((10.0403937 + 600.0 / 86400) * 86400 / 360_000, g.ExpectedInterruptions, 1e-6);
        Assert.Equal(600, g.InitialisationS);
    }

    [Fact]
    public void Evaluation_counts_every_interval_and_is_lost_to_interruptions_like_training()
    {
        // 2,500 steps, every 1,000 steps 100 batches of 2 s: ⌊2.5⌋·100·2 = 400 s.
        Assert.Equal(400, EvaluationAssumptions.Default.Seconds(2500, 2.0), 1e-12);
        Assert.Equal(0, (EvaluationAssumptions.Default with { Iterations = new Sourced(0, "test") }).Seconds(2500, 2.0));
        var without = Goodput.For(10, 1000, 1e9, Inputs(100_000, 0.014, 10));
        var with = Goodput.For(10, 1000, 1e9, Inputs(100_000, 0.014, 10), evaluationDays: 0.5);
        Assert.Equal(0.5 / without.Share, with.DaysWithDowntime - without.DaysWithDowntime, 1e-9);
        Assert.Equal(without.Share, with.Share);
    }

    [Fact]
    public void An_estimate_costs_evaluation_as_forward_only_batches_and_the_options_set_it()
    {
        var job = new TrainingJob(SimulatorCatalog.Default.FindModel("llama2-7b"), 1e11, 1024, 4096);
        var layout = new Layout(Tp: 2, Pp: 2, Dp: 16, ZeroStage: 1, SequenceParallel: true);
        var system = GpuTests.TestSystems.DgxH100;
        var e = new GpuEstimator().Estimate(job, system, 64, layout, EconomicAssumptions.Default);
        var none = new GpuEstimator().Estimate(job, system, 64, layout, EconomicAssumptions.Default with
        {
            Evaluation = EvaluationAssumptions.Default with { Iterations = new Sourced(0, "test") },
        });
        var line = Assert.Single(e.Assumptions, a => a.StartsWith("evaluation: 100 forward-only global batches"));
        // A forward-only batch takes about a third of a training step (backward ≈ 2× forward), at most half.
        double evalStep = double.Parse(line.Split('(')[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(evalStep / e.StepTimeS, 0.25, 0.5);
        // 1e11 tokens / 4M per step = 23,842 steps: 23 evaluations of 100 batches.
        Assert.Equal(23 * 100 * evalStep / 86400 / e.Goodput!.Share, e.Goodput.DaysWithDowntime - none.Goodput!.DaysWithDowntime, 1e-3 * e.Goodput.DaysWithDowntime);
        Assert.Equal(0, none.Goodput.EvaluationDays);
    }

    [Fact]
    public void The_Llama_3_run_comes_out_above_90_percent_as_reported()
    {
        // Llama 3 405B (Sec. 3.3.4): 54 days on 16,384 H100s, 466 interruptions, "higher than 90%
        // effective training time". The MTBF default is taken from the same run, so this checks the
        // checkpoint and restart terms, not the rate.
        var g = Goodput.For(54 * 0.9, 16384, 405e9, ReliabilityAssumptions.Default);
        Assert.InRange(g.Share, 0.90, 0.95);
        Assert.InRange(g.ExpectedInterruptions, 400, 500);
    }

    [Fact]
    public void Interruptions_faster_than_saved_work_never_finish()
    {
        var g = Goodput.For(10, 100_000, 1e12, Inputs(1000, 0.01, 30));
        Assert.Equal(0, g.Share);
        Assert.True(double.IsPositiveInfinity(g.DaysWithDowntime));
    }

    [Fact]
    public void Goodput_is_at_most_one_and_falls_with_device_count_at_a_fixed_per_device_mtbf() =>
        Gen.Select(Gen.Double[1e3, 1e6], Gen.Double[0.01, 2], Gen.Double[0, 60], Gen.Double[1e8, 1e12], Gen.Int[1, 1 << 14], Gen.Int[1, 16])
            .Sample((mtbf, gbps, restart, parameters, devices, factor) =>
            {
                var r = Inputs(mtbf, gbps, restart);
                // The same job on more devices: the failure-free days shrink as the devices grow.
                var few = Goodput.For(100.0 / devices, devices, parameters, r);
                var many = Goodput.For(100.0 / (devices * factor), devices * factor, parameters, r);
                Assert.InRange(few.Share, 0, 1);
                Assert.InRange(many.Share, 0, 1);
                Assert.True(many.Share <= few.Share + 1e-12, $"goodput rose from {few.Share} to {many.Share} going from {devices} to {devices * factor} devices");
            }, iter: 500);

    [Fact]
    public void Gpu_estimates_carry_goodput_next_to_the_failure_free_days_and_the_options_move_it()
    {
        var job = new TrainingJob(SimulatorCatalog.Default.FindModel("llama2-7b"), 1e12, 512, 4096, Precision.Bf16);
        var layout = new Layout(1, 1, 64, 1, 1, 1, 1, 1, Recompute.Selective, false);
        var system = SimulatorCatalog.Default.FindSystem("dgx-h100");
        var est = new GpuEstimator();
        var e = est.Estimate(job, system, 64, layout, EconomicAssumptions.Default);
        var g = Assert.IsType<Goodput>(e.Goodput);
        // Training and evaluation lose the same share to interruptions; the start adds one initialisation.
        Assert.Equal((e.TimeToTrainDays + g.EvaluationDays) / g.Share + g.InitialisationS / 86400, g.DaysWithDowntime, 1e-9);
        Assert.True(g.EvaluationDays > 0);
        Assert.Contains(e.Assumptions, a => a.StartsWith("goodput "));
        var worse = est.Estimate(job, system, 64, layout, EconomicAssumptions.Default with { Reliability = Inputs(1000, 0.122, 10) });
        Assert.True(worse.Goodput!.Share < g.Share);
        Assert.Equal(e.TimeToTrainDays, worse.TimeToTrainDays);
    }
}
