using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Tests.PlanningTests;

namespace WaferNotebooks.Core.Tests.SweepTests;

public class SweeperTests
{
    private static readonly FakeSystem System = new("fake-sweep", Max: 8192);

    public SweeperTests() => _ = FakeEstimator.Registered;

    [Fact]
    public void First_point_has_scaling_efficiency_one_and_the_rest_are_relative_to_it()
    {
        var sweep = Sweeper.Sweep(FakeEstimator.Job(), System, [16, 32, 64, 128]);
        Assert.Equal(4, sweep.Points.Count);
        Assert.Equal(1.0, sweep.Points[0].ScalingEfficiency);
        var first = sweep.Points[0].Estimate.TokensPerSPerDevice;
        foreach (var p in sweep.Points)
            Assert.Equal(p.Estimate.TokensPerSPerDevice / first, p.ScalingEfficiency!.Value, 12);
        Assert.Equal([16, 32, 64, 128], sweep.Points.Select(p => p.Devices));
    }

    [Fact]
    public void Without_a_layout_every_point_gets_the_planners_best()
    {
        var job = FakeEstimator.Job();
        var sweep = Sweeper.Sweep(job, System, [32, 256], objective: Objective.Energy);
        foreach (var p in sweep.Points)
            Assert.Equal(Simulator.Plan(job, System, p.Devices, objective: Objective.Energy).Best!.Layout, p.Estimate.Layout);
        Assert.Null(sweep.FixedLayout);
    }

    [Fact]
    public void A_fixed_layout_keeps_its_model_parallel_sizes_and_grows_dp()
    {
        var layout = new Layout(Tp: 4, Pp: 2, Dp: 1, MicroBatch: 2);
        var sweep = Sweeper.Sweep(FakeEstimator.Job(), System, [8, 64, 1024], layout);
        Assert.Equal([1, 8, 128], sweep.Points.Select(p => p.Estimate.Layout.Dp));
        Assert.All(sweep.Points, p => Assert.Equal(layout with { Dp = p.Devices / 8 }, p.Estimate.Layout));
    }

    [Fact]
    public void A_count_the_fixed_layout_cannot_fill_is_a_skipped_point_and_the_rest_is_kept()
    {
        var sweep = Sweeper.Sweep(FakeEstimator.Job(), System, [8, 12, 16], new Layout(Tp: 8));
        Assert.Equal([8, 16], sweep.Points.Select(p => p.Devices));
        var skipped = Assert.Single(sweep.Skipped);
        Assert.Equal(12, skipped.Devices);
        Assert.Contains("12 is not a multiple of tp·pp·cp = 8·1·1 = 8", skipped.Reason);
    }

    [Fact]
    public void A_sweep_no_count_of_which_can_be_laid_out_is_an_input_error()
    {
        var ex = Assert.Throws<WaferInputException>(() => Sweeper.Sweep(FakeEstimator.Job(), System, [12, 20], new Layout(Tp: 8)));
        Assert.Contains("No device count of the sweep can be laid out", ex.Message);
    }

    [Fact]
    public void Points_per_sweep_are_capped_with_a_clear_message()
    {
        var counts = Enumerable.Range(1, 200).Select(i => i * 8).ToList();
        var knob = new SweepKnob(KnobKind.Price, Enumerable.Range(1, 51).Select(i => (double)i).ToList());
        var ex = Assert.Throws<WaferInputException>(() => Sweeper.Sweep(FakeEstimator.Job(), System, counts, knob: knob));
        Assert.Contains("200 device counts × 51 knob values is 10,200 points; the limit is 10,000", ex.Message);
    }

    [Fact]
    public void An_empty_count_list_is_an_input_error()
    {
        Assert.Throws<WaferInputException>(() => Sweeper.Sweep(FakeEstimator.Job(), System, []));
    }

    [Fact]
    public void A_knob_crosses_every_value_with_every_count_and_each_series_starts_at_one()
    {
        var knob = new SweepKnob(KnobKind.GlobalBatch, [256, 1024]);
        var sweep = Sweeper.Sweep(FakeEstimator.Job(), System, [16, 64, 256], knob: knob);

        Assert.Equal(KnobKind.GlobalBatch, sweep.Knob);
        Assert.Equal(6, sweep.Points.Count);
        foreach (var series in sweep.Points.GroupBy(p => p.KnobValue))
        {
            Assert.Equal(1.0, series.First().ScalingEfficiency);
            Assert.All(series, p => Assert.Equal((int)series.Key!.Value, p.Estimate.Job.GlobalBatchSeqs));
        }
    }

    [Theory]
    [InlineData(KnobKind.Price, 3.5)]
    [InlineData(KnobKind.Pue, 1.5)]
    [InlineData(KnobKind.Carbon, 100)]
    [InlineData(KnobKind.Tokens, 2e12)]
    [InlineData(KnobKind.SeqLen, 4096)]
    public void Each_knob_changes_what_it_names(KnobKind kind, double value)
    {
        var job = FakeEstimator.Job();
        var baseline = Sweeper.Sweep(job, System, [64]).Points[0].Estimate;
        var moved = Sweeper.Sweep(job, System, [64], knob: new SweepKnob(kind, [value])).Points[0].Estimate;
        var (changed, unchanged) = kind switch
        {
            KnobKind.Price => (moved.CostUsd != baseline.CostUsd, moved.EnergyMwh == baseline.EnergyMwh),
            KnobKind.Pue => (moved.EnergyMwh != baseline.EnergyMwh, moved.StepTimeS == baseline.StepTimeS),
            KnobKind.Carbon => (moved.Co2Tonnes != baseline.Co2Tonnes, moved.EnergyMwh == baseline.EnergyMwh),
            KnobKind.Tokens => (moved.TimeToTrainDays != baseline.TimeToTrainDays, moved.StepTimeS == baseline.StepTimeS),
            _ => (moved.Job.SeqLen == (int)value, moved.Job.GlobalBatchSeqs == job.GlobalBatchSeqs),
        };
        Assert.True(changed, $"{kind} did not move its metric");
        Assert.True(unchanged, $"{kind} moved a metric it should not touch");
    }

    [Theory]
    [InlineData(KnobKind.GlobalBatch, 0.5)]
    [InlineData(KnobKind.SeqLen, 0)]
    [InlineData(KnobKind.Pue, 0.9)]
    [InlineData(KnobKind.Price, -1)]
    [InlineData(KnobKind.Tokens, double.NaN)]
    public void Impossible_knob_values_are_input_errors(KnobKind kind, double value)
    {
        var ex = Assert.Throws<WaferInputException>(() =>
            Sweeper.Sweep(FakeEstimator.Job(), System, [8], knob: new SweepKnob(kind, [value])));
        Assert.Contains($"{kind} cannot be", ex.Message);
    }

    [Fact]
    public void Infeasible_points_have_no_efficiency_and_the_baseline_is_the_first_feasible_point()
    {
        // A 70B-class model needs tp·pp of at least 2 at 80 GB: one device cannot hold it.
        var job = FakeEstimator.Job(FakeEstimator.Model(layers: 80, hidden: 8192));
        var sweep = Sweeper.Sweep(job, System, [1, 8, 64]);
        Assert.False(sweep.Points[0].Estimate.Feasible);
        Assert.Null(sweep.Points[0].ScalingEfficiency);
        Assert.Equal(1.0, sweep.Points[1].ScalingEfficiency);
    }
}
