using Plotly.NET;
using WaferNotebooks.Core.Sweeps;

namespace WaferNotebooks.Charts;

/// <summary>Scaling curves of a sweep, a line per knob value, device count on a log axis.</summary>
internal static class SweepCharts
{
    /// <summary>A line per knob value over every point; a point that does not fit is a gap in its line (NaN), marked by <see cref="DoesNotFit"/>.</summary>
    private static IEnumerable<(string Name, SweepPoint[] Points)> Series(SweepResult sweep) =>
        sweep.Points.GroupBy(p => p.KnobValue)
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

    private static double Value(SweepPoint p, Func<SweepPoint, double> metric) => p.Estimate.Feasible ? metric(p) : double.NaN;

    /// <summary>Crosses at the foot of a panel where a device count does not fit, with the reason on hover; null when every point fits.</summary>
    private static Trace? DoesNotFit(SweepResult sweep, string yAxis)
    {
        var misses = sweep.Points.Where(p => !p.Estimate.Feasible).ToArray();
        if (misses.Length == 0) return null;
        return Figure.Scatter("does not fit", "markers", misses.Select(p => (double)p.Devices), misses.Select(_ => 0.0))
            .Set("yaxis", yAxis)
            .Set("marker", new { color = ChartTheme.MutedColour, size = 10, symbol = "x" })
            .Set("hovertext", misses.Select(p => $"{p.Devices:N0} devices: does not fit: {p.Estimate.Reason}").ToArray())
            .Set("hoverinfo", "text");
    }

    /// <summary>
    /// Tokens per second (top panel) and scaling efficiency (bottom panel) against devices, sharing
    /// the device axis. Two panels rather than a second y axis on the right, which would collide
    /// with the legend; one legend entry per series covers both of its lines.
    /// </summary>
    public static GenericChart Scaling(SweepResult sweep)
    {
        IEnumerable<Trace> traces = RateSeries(sweep).SelectMany((s, i) => new Trace[]
        {
            Figure.Scatter(s.Name, "lines+markers", s.Points.Select(p => (double)p.Devices), s.Points.Select(p => Value(p, q => q.Estimate.TokensPerS)))
                .Set("legendgroup", s.Name)
                .Set("hovertext", s.Points.Select(p => $"{s.Name}, {p.Devices:N0} devices: {p.Estimate.TokensPerS:N0} tokens/s").ToArray())
                .Set("hoverinfo", "text")
                .Set("marker", new { color = ChartTheme.Colour(i) }).Set("line", new { color = ChartTheme.Colour(i) }),
            Figure.Scatter(s.Name, "lines+markers", s.Points.Select(p => (double)p.Devices), s.Points.Select(p => Value(p, q => q.ScalingEfficiency ?? 0)))
                .Set("yaxis", "y2")
                .Set("legendgroup", s.Name)
                .Set("showlegend", false)
                .Set("hovertext", s.Points.Select(p => $"{s.Name}, {p.Devices:N0} devices: scaling efficiency {p.ScalingEfficiency ?? 0:P0}").ToArray())
                .Set("hoverinfo", "text")
                .Set("marker", new { color = ChartTheme.Colour(i), symbol = "circle-open" })
                .Set("line", new { color = ChartTheme.Colour(i), dash = "dot" }),
        });
        if (DoesNotFit(sweep, "y") is { } misses) traces = traces.Append(misses);
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
            Figure.Scatter(s.Name, "lines+markers", s.Points.Select(p => (double)p.Devices), s.Points.Select(p => Value(p, q => value(q.Estimate))))
                .Set("hovertext", s.Points.Select(p => p.Estimate.Feasible ? $"{s.Name}, {p.Devices:N0} devices: {value(p.Estimate):G3} ({axis})" : $"{s.Name}, {p.Devices:N0} devices: does not fit").ToArray())
                .Set("hoverinfo", "text")
                .Set("marker", new { color = ChartTheme.Colour(i) }).Set("line", new { color = ChartTheme.Colour(i) }));
        var layout = ChartTheme.Layout($"{sweep.Job.Model.Id} on {sweep.SystemId}: {axis.Split(',')[0]} by {KnobName(sweep.Knob!.Value)}", "devices", axis, logX: true);
        ((Dictionary<string, object>)layout.GetPropertyValue("yaxis"))["rangemode"] = "tozero";
        DeviceTicks(layout, sweep);
        return Figure.Chart(traces, layout);
    }

    /// <summary>Model FLOPs utilisation against devices.</summary>
    public static GenericChart Mfu(SweepResult sweep) =>
        ShareAgainstDevices(sweep, "model FLOPs utilisation", "MFU", p => p.Estimate.Mfu, (name, p) => $"{name}, {p.Devices:N0} devices: MFU {p.Estimate.Mfu:P1}");

    /// <summary>
    /// Goodput against devices: the share of wall time that trains, once interruptions (a rate per
    /// device-hour), checkpoints and restarts are paid. At a fixed per-device MTBF it falls as the
    /// job grows: where adding devices stops paying. Systems without a failure rate have no line.
    /// </summary>
    public static GenericChart Goodput(SweepResult sweep) =>
        ShareAgainstDevices(sweep, "goodput under interruptions", "goodput", p => p.Estimate.Goodput?.Share,
            (name, p) => $"{name}, {p.Devices:N0} devices: goodput {p.Estimate.Goodput!.Share:P1}, " +
                $"{p.Estimate.Goodput.ExpectedInterruptions:N0} interruptions, {p.Estimate.Goodput.DaysWithDowntime:N1} days with downtime");

    /// <summary>A share (0–1) of each feasible point against devices, a line per series; points without a value are left out.</summary>
    private static GenericChart ShareAgainstDevices(SweepResult sweep, string title, string axis, Func<SweepPoint, double?> value, Func<string, SweepPoint, string> hover)
    {
        // Infeasible points stay in the series as gaps (NaN) and are marked at the foot of the panel.
        IEnumerable<Trace> traces = Series(sweep).Select(s => (s.Name, Points: s.Points.Where(p => !p.Estimate.Feasible || value(p) is not null).ToArray()))
            .Where(s => s.Points.Any(p => p.Estimate.Feasible))
            .Select((s, i) =>
                Figure.Scatter(s.Name, "lines+markers", s.Points.Select(p => (double)p.Devices), s.Points.Select(p => Value(p, q => value(q)!.Value)))
                    .Set("hovertext", s.Points.Select(p => p.Estimate.Feasible ? hover(s.Name, p) : $"{s.Name}, {p.Devices:N0} devices: does not fit").ToArray())
                    .Set("hoverinfo", "text")
                    .Set("marker", new { color = ChartTheme.Colour(i) }).Set("line", new { color = ChartTheme.Colour(i) }));
        if (DoesNotFit(sweep, "y") is { } misses) traces = traces.Append(misses);
        var layout = ChartTheme.Layout($"{sweep.Job.Model.Id} on {sweep.SystemId}: {title}", "devices", axis, logX: true);
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
