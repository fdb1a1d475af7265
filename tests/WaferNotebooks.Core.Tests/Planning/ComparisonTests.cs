using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;

namespace WaferNotebooks.Core.Tests.PlanningTests;

public class ComparisonTests
{
    public ComparisonTests() => _ = FakeEstimator.Registered;

    [Fact]
    public void Estimates_follow_the_targets_and_winners_are_the_best_on_each_metric()
    {
        var small = new FakeSystem("fake-small", CapacityGb: 40);
        var large = new FakeSystem("fake-large");
        var targets = new ComparisonTarget[]
        {
            new(small, 64),
            new(large, 512),
            new(large, 128, new Layout(Tp: 8, Pp: 2, Dp: 8)),
        };
        var cmp = Comparison.Run(FakeEstimator.Job(), targets);

        Assert.Equal(["fake-small", "fake-large", "fake-large"], cmp.Estimates.Select(e => e.SystemId));
        Assert.Equal([64, 512, 128], cmp.Estimates.Select(e => e.Devices));
        Assert.Equal(targets[2].Layout, cmp.Estimates[2].Layout);
        Assert.Equal(cmp.Estimates.Min(e => e.TimeToTrainDays), cmp.Fastest!.TimeToTrainDays);
        Assert.Equal(cmp.Estimates.Min(e => e.EnergyMwh), cmp.LeastEnergy!.EnergyMwh);
        Assert.Equal(cmp.Estimates.Min(e => e.CostUsd), cmp.Cheapest!.CostUsd);
        Assert.Equal(cmp.Estimates.Min(e => e.Co2Tonnes), cmp.LeastCo2!.Co2Tonnes);
        Assert.Same(cmp.Fastest, cmp.Best(Objective.Time));
        Assert.Same(cmp.Estimates[1], cmp.Fastest);
    }

    [Fact]
    public void Infeasible_targets_never_win()
    {
        var tiny = new FakeSystem("fake-cmp-tiny", CapacityGb: 0.1);
        var cmp = Comparison.Run(FakeEstimator.Job(), [new(tiny, 1024), new(new FakeSystem("fake-cmp"), 8)]);
        Assert.False(cmp.Estimates[0].Feasible);
        Assert.Same(cmp.Estimates[1], cmp.Fastest);
        Assert.Same(cmp.Estimates[1], cmp.LeastEnergy);
    }

    [Fact]
    public void No_targets_is_an_input_error()
    {
        Assert.Throws<WaferInputException>(() => Comparison.Run(FakeEstimator.Job(), []));
    }
}
