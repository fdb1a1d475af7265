using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Sweeps;

/// <summary>
/// Estimates one job over a list of device counts, optionally crossed with a second knob. With a
/// fixed layout its tp, pp, cp and the rest stay as given and dp grows with the count; without one
/// the planner picks the best layout at every point.
/// </summary>
public static class Sweeper
{
    public static SweepResult Sweep(
        TrainingJob job, SystemSpec system, IReadOnlyList<int> deviceCounts, Layout? fixedLayout = null,
        EconomicAssumptions? economics = null, Objective objective = Objective.Time, SweepKnob? knob = null,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        if (deviceCounts.Count == 0)
            throw new WaferInputException("A sweep needs at least one device count, for example 8,16,32 or 8..4096.");
        knob?.Check();
        var econ = economics ?? EconomicAssumptions.Default;
        var knobValues = knob?.Values.Select(v => (double?)v).ToArray() ?? [null];
        if ((long)knobValues.Length * deviceCounts.Count > MaxPoints)
            throw new WaferInputException(
                $"A sweep of {deviceCounts.Count:N0} device counts × {knobValues.Length:N0} knob values is {(long)knobValues.Length * deviceCounts.Count:N0} points; " +
                $"the limit is {MaxPoints:N0}. Use fewer counts (a doubling range such as 8..4096) or fewer values.");

        var points = new List<SweepPoint>(knobValues.Length * deviceCounts.Count);
        var skipped = new List<SkippedPoint>();
        var total = knobValues.Length * deviceCounts.Count;
        foreach (var value in knobValues)
        {
            var (j, e) = value is double v ? knob!.Apply(job, econ, v) : (job, econ);
            Estimate? baseline = null;
            foreach (var count in deviceCounts)
            {
                ct.ThrowIfCancellationRequested();
                // A count no layout can use is a gap in the sweep, not the end of it.
                try
                {
                    var estimate = Simulator.Estimate(j, system, count, LayoutFor(fixedLayout, count), e, objective);
                    baseline ??= estimate.Feasible ? estimate : null;
                    bool relative = estimate.Feasible && baseline?.TokensPerSPerDevice > 0;
                    points.Add(new SweepPoint(count, value, estimate, relative ? estimate.TokensPerSPerDevice / baseline!.TokensPerSPerDevice : null)
                    {
                        Baseline = relative ? baseline : null,
                    });
                }
                catch (WaferInputException ex)
                {
                    skipped.Add(new SkippedPoint(count, value, ex.Message));
                }
                progress?.Report((double)(points.Count + skipped.Count) / total);
            }
        }
        if (points.Count == 0)
            throw new WaferInputException($"No device count of the sweep can be laid out; at {skipped[0].Devices:N0}: {skipped[0].Reason}");
        return new SweepResult(job, system.Id, fixedLayout, objective, knob?.Kind, points, skipped);
    }

    /// <summary>
    /// The most points (device counts × knob values) one sweep estimates. Without a fixed layout
    /// each point is a plan (tens of milliseconds for a large model), so 10,000 points is minutes
    /// of work: a bound a user can wait for and cancel, not an unbounded loop.
    /// </summary>
    public const int MaxPoints = 10_000;

    /// <summary>The fixed layout scaled to <paramref name="count"/> devices by its dp; null stays null (the planner chooses).</summary>
    private static Layout? LayoutFor(Layout? fixedLayout, int count)
    {
        if (fixedLayout is null) return null;
        long model = (long)fixedLayout.Tp * fixedLayout.Pp * fixedLayout.Cp;
        if (model < 1 || count % model != 0)
            throw new WaferInputException(
                $"Device count {count:N0} is not a multiple of tp·pp·cp = {fixedLayout.Tp}·{fixedLayout.Pp}·{fixedLayout.Cp} = {model:N0} of the fixed layout; " +
                $"use multiples of {model:N0} or leave the layout out so the planner chooses one per count.");
        return fixedLayout with { Dp = (int)(count / model) };
    }
}
