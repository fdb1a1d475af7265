using Plotly.NET;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Charts;

/// <summary>One job on several systems: grouped bars of the four whole-run metrics and a time-vs-energy scatter.</summary>
internal static class ComparisonCharts
{
    private sealed record Metric(string Name, Func<Estimate, double> Nominal, Func<EstimateRanges, MetricRange> Range, Func<ChoiceRanges, ChoiceRange>? Choice = null, double Unit = 1);

    private static readonly Metric[] Metrics =
    [
        new("days", e => e.TimeToTrainDays, r => r.TimeToTrainDays),
        new("MWh", e => e.EnergyMwh, r => r.EnergyMwh, c => c.EnergyMwh),
        new("$M", e => e.CostUsd / 1e6, r => new MetricRange(r.CostUsd.Low / 1e6, r.CostUsd.High / 1e6), c => c.CostUsd, 1e6),
        new("t CO2", e => e.Co2Tonnes, r => r.Co2Tonnes, c => c.Co2Tonnes),
    ];

    /// <summary>The metric's range over the user's open choices, in the metric's unit, or null when no choice moves it.</summary>
    private static MetricRange? ChoiceOf(Metric m, Estimate e) =>
        m.Choice is { } pick && e.Ranges?.Choices is { } c && pick(c) is { Moves: true } r ? new MetricRange(r.Low / m.Unit, r.High / m.Unit) : null;

    public static string Label(Estimate e) => $"{e.SystemId}:{e.Devices}";

    /// <summary>
    /// Grouped bars: a group per metric, a bar per system. The metrics have different units, so
    /// each bar shows its value relative to the largest system in the group, with the absolute
    /// value as its label. Whiskers with short dark caps span the model's uncertainty; where the
    /// user's open choices (price list, PUE, grid) move a metric, a second, pale whisker with wide
    /// caps spans that range beside it, drawn by a thin transparent bar in the same slot.
    /// </summary>
    public static GenericChart Bars(IReadOnlyList<Estimate> estimates)
    {
        // A system that does not fit has no whole-run numbers: it is a marked gap, not the tallest bar.
        var max = Metrics.Select(m => estimates.Where(e => e.Feasible).Select(m.Nominal).DefaultIfEmpty(0).Max()).ToArray();
        var traces = estimates.SelectMany((e, i) =>
        {
            if (!e.Feasible)
                return [Figure.Bar(Label(e) + " (does not fit)", Metrics.Select(m => (object)m.Name), Metrics.Select(_ => 0.0))
                    .Set("offsetgroup", Label(e))
                    .Set("marker", new { color = ChartTheme.Colour(i) })
                    .Set("text", Metrics.Select(_ => "does not fit").ToArray())
                    .Set("cliponaxis", false)
                    .Set("textposition", "outside")
                    .Set("hovertext", Metrics.Select(_ => $"{Label(e)} does not fit: {e.Reason}").ToArray())
                    .Set("hoverinfo", "text")];
            var values = Metrics.Select((m, k) => m.Nominal(e) / Scale(max[k])).ToArray();
            var bar = Figure.Bar(Label(e), Metrics.Select(m => (object)m.Name), values)
                .Set("offsetgroup", Label(e))
                .Set("marker", new { color = ChartTheme.Colour(i) })
                // Labels inside the bar at its foot, upright along it: clear of the whiskers on top,
                // and hidden (the hover keeps the value) rather than shrunk when a bar is too short.
                .Set("text", Metrics.Select(m => Compact(m.Nominal(e))).ToArray())
                .Set("textposition", "inside")
                .Set("insidetextanchor", "start")
                .Set("textangle", -90)
                .Set("hovertext", Metrics.Select(m => $"{Label(e)}: {Compact(m.Nominal(e))} {m.Name}"
                    + (e.Ranges is { } r ? $"<br>model range {Compact(m.Range(r).Low)}–{Compact(m.Range(r).High)}" : "")
                    + (ChoiceOf(m, e) is { } c ? $"<br>by choice of {string.Join(", ", m.Choice!(e.Ranges!.Choices!).Inputs)}: {Compact(c.Low)}–{Compact(c.High)}" : "")).ToArray())
                .Set("hoverinfo", "text");
            if (e.Ranges is not { } ranges)
                return [bar];
            bar.Set("error_y", Whisker(Metrics.Select((m, k) => (m.Nominal(e), m.Range(ranges), max[k])), ChartTheme.TextColour, thickness: 2, capWidth: 4));
            if (!Metrics.Any(m => ChoiceOf(m, e) is not null))
                return [bar];
            // A thin transparent bar in this bar's slot, right of its centre: its whisker stands beside the
            // model's and clear of the label along the bar's middle. A metric no choice moves has no
            // point (null), so no stray cap. (A bar with an explicit offset is left out of the grouping.)
            double slot = (1 - BarGap) / estimates.Count, centre = -(1 - BarGap) / 2 + (i + 0.5) * slot;
            var choices = new Trace2D("bar").Set("name", Label(e) + " choices").Set("x", Metrics.Select(m => (object)m.Name).ToArray())
                .Set("y", Metrics.Select((m, k) => ChoiceOf(m, e) is null ? null : (object)values[k]).ToArray())
                .Set("width", slot * 0.1)
                .Set("offset", centre + slot * 0.3 - slot * 0.05)
                .Set("marker", new { color = "rgba(0,0,0,0)" })
                .Set("showlegend", false)
                .Set("hoverinfo", "skip")
                .Set("error_y", Whisker(Metrics.Select((m, k) => (m.Nominal(e), ChoiceOf(m, e) ?? new MetricRange(m.Nominal(e), m.Nominal(e)), max[k])), ChartTheme.MutedColour, thickness: 1.5, capWidth: 10));
            return new[] { bar, choices };
        });
        var layout = ChartTheme.Layout("Whole run per system<br><sup>bar labels are absolute values; whiskers with short caps: model uncertainty; pale, wide caps: the range over your choices of price, PUE and grid</sup>", "", "share of the largest")
            .Set("barmode", "group")
            .Set("bargap", BarGap)
            .Set("margin", new { l = 64, r = 24, t = 72, b = 56 })
            .Set("uniformtext", new { minsize = 10, mode = "hide" });
        var shareAxis = (Dictionary<string, object>)layout.GetPropertyValue("yaxis");
        shareAxis["tickformat"] = ".0%";
        // Up to the highest whisker top, model or choices, so no range is ever cut off.
        shareAxis["range"] = new[] { 0, Math.Max(1.0, HighestWhisker(estimates, max)) * 1.05 };
        return Figure.Chart(traces, layout);
    }

    /// <summary>The share of each category left empty between groups of bars (plotly's default, fixed here because the choices' whiskers are placed by it).</summary>
    private const double BarGap = 0.2;

    private static object Whisker(IEnumerable<(double Nominal, MetricRange Range, double Max)> points, string colour, double thickness, int capWidth)
    {
        var p = points.ToArray();
        return new
        {
            type = "data",
            symmetric = false,
            array = p.Select(x => Math.Max(0, x.Range.High - x.Nominal) / Scale(x.Max)).ToArray(),
            arrayminus = p.Select(x => Math.Max(0, x.Nominal - x.Range.Low) / Scale(x.Max)).ToArray(),
            color = colour,
            thickness,
            width = capWidth,
        };
    }

    private static double Scale(double max) => max > 0 ? max : 1;

    /// <summary>The top of the highest bar or whisker, as a share of its group's largest bar.</summary>
    private static double HighestWhisker(IReadOnlyList<Estimate> estimates, double[] max) =>
        estimates.Where(e => e.Feasible).Select(e => Metrics.Select((m, k) =>
            new[] { m.Nominal(e), e.Ranges is { } r ? m.Range(r).High : 0, ChoiceOf(m, e)?.High ?? 0 }.Max() / Scale(max[k])).Max())
            .DefaultIfEmpty(1).Max();

    /// <summary>Three significant figures, thousands grouped: "29.2", "0.897", "1,646".</summary>
    private static string Compact(double v) => Math.Abs(v) >= 1000 ? $"{v:N0}" : $"{v:G3}";

    /// <summary>
    /// Time to train against energy, a marker per system that fits: the lower left corner is best.
    /// The legend names the markers (labels beside close markers would overlap), and both axes
    /// start at zero so a 5% difference looks like one. Systems that do not fit have no point;
    /// the title names them.
    /// </summary>
    public static GenericChart Scatter(IReadOnlyList<Estimate> estimates)
    {
        var traces = estimates.Select((e, i) => (Estimate: e, Colour: i)).Where(x => x.Estimate.Feasible).Select(x =>
            Figure.Scatter(Label(x.Estimate), "markers", [x.Estimate.TimeToTrainDays], [x.Estimate.EnergyMwh])
                .Set("marker", new { color = ChartTheme.Colour(x.Colour), size = 12 })
                .Set("hovertext", new[] { $"{Label(x.Estimate)}<br>{x.Estimate.TimeToTrainDays:F1} days, {x.Estimate.EnergyMwh:F0} MWh, ${x.Estimate.CostUsd / 1e6:F2}M" })
                .Set("hoverinfo", "text"));
        var missing = estimates.Where(e => !e.Feasible).Select(Label).ToList();
        var title = "Time to train vs energy (lower left is better)" + (missing.Count > 0 ? $"; does not fit: {string.Join(", ", missing)}" : "");
        var layout = ChartTheme.Layout(title, "time to train, days", "energy, MWh");
        foreach (var axis in new[] { "xaxis", "yaxis" })
            ((Dictionary<string, object>)layout.GetPropertyValue(axis))["rangemode"] = "tozero";
        return Figure.Chart(traces, layout);
    }
}
