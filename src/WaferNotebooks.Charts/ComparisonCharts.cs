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
        var max = Metrics.Select(m => estimates.Max(m.Nominal)).ToArray();
        var traces = estimates.Select((e, i) =>
        {
            var values = Metrics.Select((m, k) => m.Nominal(e) / Scale(max[k])).ToArray();
            var bar = Figure.Bar(Label(e), Metrics.Select(m => (object)m.Name), values)
                .Set("marker", new { color = ChartTheme.Colour(i) })
                .Set("text", Metrics.Select(m => Compact(m.Nominal(e))).ToArray())
                .Set("cliponaxis", false)
                .Set("textposition", "outside")
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
            .Set("barmode", "group");
        var shareAxis = (Dictionary<string, object>)layout.GetPropertyValue("yaxis");
        shareAxis["tickformat"] = ".0%";
        // A wide uncertainty range (several times the nominal value) would otherwise shrink the
        // bars to slivers; the axis stops above the largest bar and the hover gives the range.
        shareAxis["range"] = new[] { 0, 1.3 };
        return Figure.Chart(traces, layout);
    }

    private static double Scale(double max) => max > 0 ? max : 1;

    /// <summary>Three significant figures, thousands grouped: "29.2", "0.897", "1,646".</summary>
    private static string Compact(double v) => Math.Abs(v) >= 1000 ? $"{v:N0}" : $"{v:G3}";

    /// <summary>Time to train against energy, a marker per system: the lower left corner is best.</summary>
    public static GenericChart Scatter(IReadOnlyList<Estimate> estimates)
    {
        var traces = estimates.Select((e, i) =>
            Figure.Scatter(Label(e), "markers+text", [e.TimeToTrainDays], [e.EnergyMwh])
                .Set("marker", new { color = ChartTheme.Colour(i), size = 12 })
                .Set("text", new[] { Label(e) })
                .Set("textposition", "top center")
                .Set("hovertext", new[] { $"{Label(e)}<br>{e.TimeToTrainDays:F1} days, {e.EnergyMwh:F0} MWh, ${e.CostUsd / 1e6:F2}M" })
                .Set("hoverinfo", "text"));
        return Figure.Chart(traces, ChartTheme.Layout("Time to train vs energy (lower left is better)", "time to train, days", "energy, MWh"));
    }
}
