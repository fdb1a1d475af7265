using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Simulation;

namespace WaferNotebooks.Core.Tests.PlanningTests;

public class SimulatorTests
{
    private static readonly FakeSystem System = new("fake-b", Max: 4096);

    public SimulatorTests() => _ = FakeEstimator.Registered;

    [Fact]
    public void Estimator_for_a_system_is_the_registered_one_that_supports_it()
    {
        Assert.Same(FakeEstimator.Registered, Simulator.EstimatorFor(System));
    }

    [Fact]
    public void Null_layout_gives_the_planners_best_for_the_objective()
    {
        var job = FakeEstimator.Job();
        foreach (var objective in Enum.GetValues<Objective>())
        {
            var planned = Simulator.Plan(job, System, 256, objective: objective).Best!;
            var estimate = Simulator.Estimate(job, System, 256, objective: objective);
            Assert.Equal(planned.Layout, estimate.Layout);
            Assert.Equal(planned.StepTimeS, estimate.StepTimeS);
        }
    }

    [Fact]
    public void A_given_layout_is_estimated_as_it_is()
    {
        var layout = new Layout(Tp: 2, Pp: 4, Dp: 32, MicroBatch: 2);
        Assert.Equal(layout, Simulator.Estimate(FakeEstimator.Job(), System, 256, layout).Layout);
    }

    [Fact]
    public void When_nothing_fits_the_estimate_is_infeasible_and_explains_why()
    {
        var e = Simulator.Estimate(FakeEstimator.Job(), new FakeSystem("fake-tiny2", CapacityGb: 0.1), 8);
        Assert.False(e.Feasible);
        Assert.StartsWith("None of the", e.Reason);
    }

    [Theory]
    [InlineData(0, "at least 1")]
    [InlineData(-8, "at least 1")]
    [InlineData(8192, "at most 4,096")]
    public void Bad_device_counts_are_input_errors(int devices, string expected)
    {
        var ex = Assert.Throws<WaferInputException>(() => Simulator.Estimate(FakeEstimator.Job(), System, devices));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_layout_that_does_not_multiply_to_the_device_count_names_the_fix()
    {
        var ex = Assert.Throws<WaferInputException>(() =>
            Simulator.Estimate(FakeEstimator.Job(), System, 64, new Layout(Tp: 8, Pp: 2, Dp: 2)));
        Assert.Contains("uses 32 devices, but the run has 64", ex.Message);
        Assert.Contains("dp=4", ex.Message);
    }

    [Theory]
    [InlineData(0, 1, 1, 0, "tp must be at least 1")]
    [InlineData(1, 1, 0, 0, "mb must be at least 1")]
    [InlineData(1, 1, 1, 4, "zero must be 0, 1, 2 or 3")]
    public void Impossible_layout_values_are_input_errors(int tp, int pp, int mb, int zero, string expected)
    {
        var ex = Assert.Throws<WaferInputException>(() =>
            Simulator.Estimate(FakeEstimator.Job(), System, 8, new Layout(Tp: tp, Pp: pp, Dp: 8, MicroBatch: mb, ZeroStage: zero)));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Bad_jobs_are_input_errors()
    {
        var job = FakeEstimator.Job();
        Assert.Contains("tokens", Assert.Throws<WaferInputException>(() => Simulator.Estimate(job with { Tokens = 0 }, System, 8)).Message);
        Assert.Contains("global batch", Assert.Throws<WaferInputException>(() => Simulator.Estimate(job with { GlobalBatchSeqs = 0 }, System, 8)).Message);
        Assert.Contains("sequence length", Assert.Throws<WaferInputException>(() => Simulator.Estimate(job with { SeqLen = -1 }, System, 8)).Message);
    }

    [Fact]
    public void A_system_no_estimator_supports_is_an_input_error()
    {
        var ex = Assert.Throws<WaferInputException>(() => Simulator.EstimatorFor(new UnknownSystem()));
        Assert.Contains("unknown-x", ex.Message);
    }

    private sealed record UnknownSystem() : SystemSpec("unknown-x", "Unknown", "")
    {
        public override string DeviceNoun => "thing";
        public override int? MaxDevices => null;
        public override Sourced PricePerDeviceHour => new(1, "test");
    }
}
