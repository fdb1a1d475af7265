using Plotly.NET;
using WaferNotebooks.Core.Sweeps;

namespace WaferNotebooks.Charts;

/// <summary>Scaling curves of a sweep, a line per knob value, device count on a log axis.</summary>
internal static class SweepCharts
{
    private static IEnumerable<(string Name, SweepPoint[] Points)> Series(SweepResult sweep) =>
        sweep.Points.Where(p => p.Estimate.Feasible).GroupBy(p => p.KnobValue)
            .Select(g => (g.Key is { } v && sweep.Knob is { } k ? $"{KnobName(k)} = {v:G4}" : sweep.SystemId, g.OrderBy(p => p.Devices).ToArray()));

    /// <summary>A line per value of a knob that changes the rates; one line when the knob changes
    /// only the run's totals (its lines would lie on top of each other).</summary>
    private static IEnumerable<(string Name, SweepPoint[] Points)> RateSeries(SweepResult sweep) =>
        Totals(sweep.Knob) is null ? Series(sweep) : Series(sweep).Take(1).Select(s => (sweep.SystemId, s.Points));

    /// <summary>What a knob that leaves every rate alone changes: its unit and how to read it off an estimate.</summary>
    private static (string Axis, Func<Core.Results.Estimate, double> Value)? Totals(KnobKind? knob) => knob switch
    {
        KnobKind.Tokens => ("time to train, days", e => e.TimeToTrainDays),
        KnobKind.Price => ("cost, $M", e => e.CostUsd / 1e6),
        KnobKind.Pue => ("energy, MWh", e => e.EnergyMwh),
        KnobKind.Carbon => ("emissions, t CO2", e => e.Co2Tonnes),
        _ => null,
    };

    private static string KnobName(KnobKind knob) => knob switch
    {
        KnobKind.GlobalBatch => "global batch",
        KnobKind.SeqLen => "sequence length",
        KnobKind.Tokens => "tokens",
        KnobKind.Price => "$ per device-hour",
        KnobKind.Pue => "PUE",
        KnobKind.Carbon => "g CO2 per kWh",
        _ => knob.ToString(),
    };

    /// <summary>
    /// Tokens per second (top panel) and scaling efficiency (bottom panel) against devices, sharing
    /// the device axis. Two panels rather than a second y axis on the right, which would collide
    /// with the legend; one legend entry per series covers both of its lines.
    /// </summary>
    public static GenericChart Scaling(SweepResult sweep)
    {
        var traces = RateSeries(sweep).SelectMany((s, i) => new Trace[]
        {
            Figure.Scatter(s.Name, "lines+markers", s.Points.Select(p => (double)p.Devices), s.Points.Select(p => p.Estimate.TokensPerS))
                .Set("legendgroup", s.Name)
                .Set("hovertext", s.Points.Select(p => $"{s.Name}, {p.Devices:N0} devices: {p.Estimate.TokensPerS:N0} tokens/s").ToArray())
                .Set("hoverinfo", "text")
                .Set("marker", new { color = ChartTheme.Colour(i) }).Set("line", new { color = ChartTheme.Colour(i) }),
            Figure.Scatter(s.Name, "lines+markers", s.Points.Select(p => (double)p.Devices), s.Points.Select(p => p.ScalingEfficiency ?? 0))
                .Set("yaxis", "y2")
                .Set("legendgroup", s.Name)
                .Set("showlegend", false)
                .Set("hovertext", s.Points.Select(p => $"{s.Name}, {p.Devices:N0} devices: scaling efficiency {p.ScalingEfficiency ?? 0:P0}").ToArray())
                .Set("hoverinfo", "text")
                .Set("marker", new { color = ChartTheme.Colour(i), symbol = "circle-open" })
                .Set("line", new { color = ChartTheme.Colour(i), dash = "dot" }),
        });
        var layout = ChartTheme.Layout($"{sweep.Job.Model.Id} on {sweep.SystemId}: throughput and scaling efficiency", "devices", "tokens/s", logX: true, height: 520);
        var throughputAxis = (Dictionary<string, object>)layout.GetPropertyValue("yaxis");
        throughputAxis["domain"] = new[] { 0.42, 1.0 };
        var efficiencyAxis = (Dictionary<string, object>)ChartTheme.Axis("scaling efficiency");
        efficiencyAxis["domain"] = new[] { 0.0, 0.32 };
        efficiencyAxis["anchor"] = "x";
        efficiencyAxis["tickformat"] = ".0%";
        efficiencyAxis["rangemode"] = "tozero";
        layout.Set("yaxis2", efficiencyAxis);
        if (sweep.Points.Any(p => p.Estimate.Feasible && p.ScalingEfficiency > 1.005))
            layout.Set("annotations", new[]
            {
                new
                {
                    text = "Above 100%: the best layout differs by device count (more devices can free memory for a faster layout), not faster hardware.",
                    xref = "paper", yref = "y2 domain", x = 0, y = 1.02, xanchor = "left", yanchor = "bottom",
                    showarrow = false, font = new { size = 11 },
                },
            });
        // The shared device axis sits under the lower panel, so its title never meets the upper one.
        DeviceTicks(layout, sweep)["anchor"] = "y2";
        return Figure.Chart(traces, layout);
    }

    /// <summary>
    /// The second chart of a sweep: model FLOPs utilisation against devices, or, when the knob
    /// changes only the run's totals (tokens, price, PUE, carbon), that total against devices, a
    /// line per knob value.
    /// </summary>
    public static string SecondName(SweepResult sweep) => Totals(sweep.Knob) is null ? "mfu" : "totals";

    public static GenericChart Second(SweepResult sweep) => Totals(sweep.Knob) is { } totals ? Total(sweep, totals.Axis, totals.Value) : Mfu(sweep);

    private static GenericChart Total(SweepResult sweep, string axis, Func<Core.Results.Estimate, double> value)
    {
        var traces = Series(sweep).Select((s, i) =>
            Figure.Scatter(s.Name, "lines+markers", s.Points.Select(p => (double)p.Devices), s.Points.Select(p => value(p.Estimate)))
                .Set("hovertext", s.Points.Select(p => $"{s.Name}, {p.Devices:N0} devices: {value(p.Estimate):G3} ({axis})").ToArray())
                .Set("hoverinfo", "text")
                .Set("marker", new { color = ChartTheme.Colour(i) }).Set("line", new { color = ChartTheme.Colour(i) }));
        var layout = ChartTheme.Layout($"{sweep.Job.Model.Id} on {sweep.SystemId}: {axis.Split(',')[0]} by {KnobName(sweep.Knob!.Value)}", "devices", axis, logX: true);
        ((Dictionary<string, object>)layout.GetPropertyValue("yaxis"))["rangemode"] = "tozero";
        DeviceTicks(layout, sweep);
        return Figure.Chart(traces, layout);
    }

    private static GenericChart Mfu(SweepResult sweep)
    {
        var traces = Series(sweep).Select((s, i) =>
            Figure.Scatter(s.Name, "lines+markers", s.Points.Select(p => (double)p.Devices), s.Points.Select(p => p.Estimate.Mfu))
                .Set("hovertext", s.Points.Select(p => $"{s.Name}, {p.Devices:N0} devices: MFU {p.Estimate.Mfu:P1}").ToArray())
                .Set("hoverinfo", "text")
                .Set("marker", new { color = ChartTheme.Colour(i) }).Set("line", new { color = ChartTheme.Colour(i) }));
        var layout = ChartTheme.Layout($"{sweep.Job.Model.Id} on {sweep.SystemId}: model FLOPs utilisation", "devices", "MFU", logX: true);
        ((Dictionary<string, object>)layout.GetPropertyValue("yaxis"))["tickformat"] = ".0%";
        DeviceTicks(layout, sweep);
        return Figure.Chart(traces, layout);
    }

    /// <summary>Ticks at the swept device counts only: a log axis otherwise labels every 2, 5 and 9 in between.</summary>
    private static Dictionary<string, object> DeviceTicks(Layout layout, SweepResult sweep)
    {
        var counts = sweep.Points.Select(p => p.Devices).Distinct().Order().ToArray();
        var axis = (Dictionary<string, object>)layout.GetPropertyValue("xaxis");
        axis["tickvals"] = counts;
        axis["ticktext"] = counts.Select(c => c.ToString("N0")).ToArray();
        return axis;
    }
}
