using Plotly.NET;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Charts;

/// <summary>One job on several systems: grouped bars of the four whole-run metrics and a time-vs-energy scatter.</summary>
internal static class ComparisonCharts
{
    private sealed record Metric(string Name, Func<Estimate, double> Nominal, Func<EstimateRanges, MetricRange> Range);

    private static readonly Metric[] Metrics =
    [
        new("days", e => e.TimeToTrainDays, r => r.TimeToTrainDays),
        new("MWh", e => e.EnergyMwh, r => r.EnergyMwh),
        new("$M", e => e.CostUsd / 1e6, r => new MetricRange(r.CostUsd.Low / 1e6, r.CostUsd.High / 1e6)),
        new("t CO2", e => e.Co2Tonnes, r => r.Co2Tonnes),
    ];

    public static string Label(Estimate e) => $"{e.SystemId}:{e.Devices}";

    /// <summary>
    /// Grouped bars: a group per metric, a bar per system. The metrics have different units, so
    /// each bar shows its value relative to the largest system in the group, with the absolute
    /// value as its label; error bars span low..high where the estimate has ranges.
    /// </summary>
    public static GenericChart Bars(IReadOnlyList<Estimate> estimates)
    {
        // A system that does not fit has no whole-run numbers: it is a marked gap, not the tallest bar.
        var max = Metrics.Select(m => estimates.Where(e => e.Feasible).Select(m.Nominal).DefaultIfEmpty(0).Max()).ToArray();
        var traces = estimates.Select((e, i) =>
        {
            if (!e.Feasible)
                return Figure.Bar(Label(e) + " (does not fit)", Metrics.Select(m => (object)m.Name), Metrics.Select(_ => 0.0))
                    .Set("marker", new { color = ChartTheme.Colour(i) })
                    .Set("text", Metrics.Select(_ => "does not fit").ToArray())
                    .Set("cliponaxis", false)
                    .Set("textposition", "outside")
                    .Set("hovertext", Metrics.Select(_ => $"{Label(e)} does not fit: {e.Reason}").ToArray())
                    .Set("hoverinfo", "text");
            var values = Metrics.Select((m, k) => m.Nominal(e) / Scale(max[k])).ToArray();
            var bar = Figure.Bar(Label(e), Metrics.Select(m => (object)m.Name), values)
                .Set("marker", new { color = ChartTheme.Colour(i) })
                // Labels inside the bar at its foot, upright along it: clear of the whiskers on top,
                // and hidden (the hover keeps the value) rather than shrunk when a bar is too short.
                .Set("text", Metrics.Select(m => Compact(m.Nominal(e))).ToArray())
                .Set("textposition", "inside")
                .Set("insidetextanchor", "start")
                .Set("textangle", -90)
                .Set("hovertext", Metrics.Select(m => $"{Label(e)}: {Compact(m.Nominal(e))} {m.Name}"
                    + (e.Ranges is { } r ? $"<br>range {Compact(m.Range(r).Low)}–{Compact(m.Range(r).High)}" : "")).ToArray())
                .Set("hoverinfo", "text");
            if (e.Ranges is { } ranges)
                bar.Set("error_y", new
                {
                    type = "data",
                    symmetric = false,
                    array = Metrics.Select((m, k) => Math.Max(0, m.Range(ranges).High - m.Nominal(e)) / Scale(max[k])).ToArray(),
                    arrayminus = Metrics.Select((m, k) => Math.Max(0, m.Nominal(e) - m.Range(ranges).Low) / Scale(max[k])).ToArray(),
                    color = ChartTheme.TextColour,
                });
            return bar;
        });
        var layout = ChartTheme.Layout("Whole run per system (bar labels are absolute values)", "", "share of the largest")
            .Set("barmode", "group")
            .Set("uniformtext", new { minsize = 10, mode = "hide" });
        var shareAxis = (Dictionary<string, object>)layout.GetPropertyValue("yaxis");
        shareAxis["tickformat"] = ".0%";
        // Up to the highest whisker, so no range is cut off, unless a range reaches past twice the
        // largest bar (wafer-scale ranges can reach 10x): then bars would shrink to slivers, so
        // the axis stops at 2x and the hover gives the whole range.
        shareAxis["range"] = new[] { 0, Math.Clamp(HighestWhisker(estimates, max), 1.0, 2.0) * 1.05 };
        return Figure.Chart(traces, layout);
    }

    private static double Scale(double max) => max > 0 ? max : 1;

    private static double HighestWhisker(IReadOnlyList<Estimate> estimates, double[] max) =>
        estimates.Max(e => Metrics.Select((m, k) => Math.Max(m.Nominal(e), e.Ranges is { } r ? m.Range(r).High : 0) / Scale(max[k])).Max());

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
