using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Uncertainty;

/// <summary>
/// Low/nominal/high for any estimator's result from the ranges of its inputs, and the tornado
/// table of which input moves it most.
///
/// Method: one-at-a-time extremes, then corners. Each ranged input is moved alone to its low
/// and to its high value (the sensitivity rows). Then, for each headline metric, all inputs are
/// set together to whichever extreme moved that metric down (the low corner) and up (the high
/// corner) and the job is estimated again. Corners, not sampling, because the catalog ranges
/// are bounds from sources (a datasheet, an assumption's plausible span), not distributions:
/// there is nothing to sample from honestly, and a corner answers "how far could it be" with
/// 2·k + 12 deterministic estimates. Corners assume the extremes can coincide, so the band is
/// conservative (wider than a sampled 90% interval would be). The reported range also covers
/// every one-at-a-time result, so a non-monotone input cannot put the nominal outside it.
/// Variants that make the job infeasible are left out of the ranges and marked in the table.
///
/// Two groups of inputs, two ranges: the model's own uncertainty (throughput, power,
/// bandwidths) gives <see cref="EstimateRanges"/>, with the user's choices (PUE, price list,
/// grid carbon intensity; <see cref="UncertainKnob.Choice"/>) at their values; the choices give
/// <see cref="ChoiceRanges"/>, with the model at its nominal. Mixed, a CO2 range of 30x says
/// mostly "it depends on the grid", which is the user's to pick, not the model's to doubt.
/// The tornado table keeps every input of both groups.
/// </summary>
public static class UncertaintyAnalysis
{
    public const string Method = "model uncertainty only, the user's choices (PUE, price, grid carbon intensity) at their values: corners of the one-at-a-time extremes (each metric's low and high corner estimated with every ranged input at the extreme that moves it that way); the range also covers every one-at-a-time result";

    /// <summary>The estimate of <paramref name="estimator"/> with this exact layout, with ranges and sensitivities.</summary>
    public static Estimate Analyze(IEstimator estimator, TrainingJob job, SystemSpec system, int devices, Layout layout, EconomicAssumptions economics) =>
        Analyze(estimator.Estimate(job, system, devices, layout, economics), system, economics,
            (s, e) => estimator.Estimate(job, s, devices, layout, e));

    /// <summary>Ranges and sensitivities for an estimate already made (its job, devices and layout are reused).</summary>
    public static Estimate Analyze(IEstimator estimator, Estimate nominal, SystemSpec system, EconomicAssumptions economics) =>
        Analyze(nominal, system, economics, (s, e) => estimator.Estimate(nominal.Job, s, nominal.Devices, nominal.Layout, e));

    /// <summary>
    /// Fills <see cref="Estimate.Ranges"/> and <see cref="Estimate.Sensitivities"/> of
    /// <paramref name="nominal"/>, re-estimating with <paramref name="estimate"/> for each variant
    /// of the system and economics (pass a planner call to re-optimise the layout per variant).
    /// </summary>
    public static Estimate Analyze(Estimate nominal, SystemSpec system, EconomicAssumptions economics, Func<SystemSpec, EconomicAssumptions, Estimate> estimate)
    {
        // An infeasible job has no time or energy to put a range on; its reason is the answer.
        if (!nominal.Feasible) return nominal;
        var knobs = UncertainKnob.Enumerate(system, economics);
        var rows = knobs.Select(k => Extremes(k, system, economics, estimate)).ToList();
        var usable = rows.Select(r => (r.Knob, Low: r.Low.Feasible ? r.Low : null, High: r.High.Feasible ? r.High : null)).ToList();
        var model = usable.Where(r => r.Knob.Choice is null).ToList();
        var choices = usable.Where(r => r.Knob.Choice is not null).ToList();
        var notes = rows.SelectMany(r => new[] { (r.Knob.Name, "low", r.Low), (r.Knob.Name, "high", r.High) })
            .Where(x => !x.Item3.Feasible)
            .Select(x => $"{x.Item1} at its {x.Item2} is infeasible ({x.Item3.Reason}) and left out").ToList();

        // Low/high over one group of inputs, the others nominal: the one-at-a-time results and the two corners.
        MetricRange Range(List<(UncertainKnob Knob, Estimate? Low, Estimate? High)> group, Func<Estimate, double> metric, bool timeLike = false)
        {
            var values = new List<double> { metric(nominal) };
            values.AddRange(group.SelectMany(r => new[] { r.Low, r.High }).OfType<Estimate>().Select(metric));
            foreach (bool up in new[] { false, true })
            {
                var corner = Corner(system, economics, group, metric, nominal, up, estimate);
                if (corner.Feasible) values.Add(metric(corner));
                else if (timeLike) notes.Add($"the {(up ? "high" : "low")} corner is infeasible ({corner.Reason})");
            }
            return new MetricRange(values.Min(), values.Max());
        }

        ChoiceRange Choice(Func<Estimate, double> metric)
        {
            var moving = choices.Where(r => new[] { r.Low, r.High }.OfType<Estimate>().Any(e => metric(e) != metric(nominal))).ToList();
            var range = moving.Count == 0 ? new MetricRange(metric(nominal), metric(nominal)) : Range(moving, metric);
            return new ChoiceRange(range.Low, range.High, [.. moving.Select(r => r.Knob.Choice!).Distinct()]);
        }

        var days = Range(model, e => e.TimeToTrainDays, timeLike: true);
        var step = Range(model, e => e.StepTimeS);
        var tokens = Range(model, e => e.TokensPerS);
        var choiceRanges = choices.Count == 0 ? null
            : new ChoiceRanges(Choice(e => e.EnergyMwh), Choice(e => e.CostUsd), Choice(e => e.Co2Tonnes));
        var ranges = new EstimateRanges(step, days, tokens, Range(model, e => e.EnergyMwh), Range(model, e => e.CostUsd), Range(model, e => e.Co2Tonnes),
            notes.Count == 0 ? Method : $"{Method}; {string.Join("; ", notes.Distinct())}", choiceRanges);

        double Pick(Estimate e, Func<Estimate, double> metric) => e.Feasible ? metric(e) : metric(nominal);
        var sensitivities = rows.Select(r => new Sensitivity(
                Label(r.Knob.Name, r.Low, r.High), r.Knob.Input.Source, r.Knob.Input.Value, r.Knob.Input.Low!.Value, r.Knob.Input.High!.Value,
                Pick(r.Low, e => e.TimeToTrainDays), Pick(r.High, e => e.TimeToTrainDays),
                Pick(r.Low, e => e.EnergyMwh), Pick(r.High, e => e.EnergyMwh),
                Pick(r.Low, e => e.CostUsd), Pick(r.High, e => e.CostUsd),
                Pick(r.Low, e => e.Co2Tonnes), Pick(r.High, e => e.Co2Tonnes)))
            .OrderByDescending(s => s.Swing)
            .ThenByDescending(s => Math.Abs(s.MwhAtHigh - s.MwhAtLow))
            .ThenByDescending(s => Math.Abs((s.CostAtHigh ?? 0) - (s.CostAtLow ?? 0)))
            .ToList();
        return nominal with { Ranges = ranges, Sensitivities = sensitivities };
    }

    static (UncertainKnob Knob, Estimate Low, Estimate High) Extremes(UncertainKnob k, SystemSpec system, EconomicAssumptions economics, Func<SystemSpec, EconomicAssumptions, Estimate> estimate)
    {
        Estimate At(double v) { var (s, e) = k.Apply(system, economics, v); return estimate(s, e); }
        return (k, At(k.Input.Low!.Value), At(k.Input.High!.Value));
    }

    /// <summary>Every input at the extreme that moved the metric down (or up); inputs that did not move it stay nominal.</summary>
    static Estimate Corner(SystemSpec system, EconomicAssumptions economics, IEnumerable<(UncertainKnob Knob, Estimate? Low, Estimate? High)> rows,
        Func<Estimate, double> metric, Estimate nominal, bool up, Func<SystemSpec, EconomicAssumptions, Estimate> estimate)
    {
        double sign = up ? 1 : -1;
        var (s, e) = (system, economics);
        foreach (var (knob, low, high) in rows)
        {
            double gainLow = low is null ? 0 : sign * (metric(low) - metric(nominal));
            double gainHigh = high is null ? 0 : sign * (metric(high) - metric(nominal));
            if (Math.Max(gainLow, gainHigh) <= 0) continue;
            (s, e) = knob.Apply(s, e, gainLow >= gainHigh ? knob.Input.Low!.Value : knob.Input.High!.Value);
        }
        return estimate(s, e);
    }

    static string Label(string name, Estimate low, Estimate high) =>
        (low.Feasible, high.Feasible) switch
        {
            (false, false) => $"{name} (infeasible at both extremes)",
            (false, true) => $"{name} (infeasible at low)",
            (true, false) => $"{name} (infeasible at high)",
            _ => name,
        };
}
