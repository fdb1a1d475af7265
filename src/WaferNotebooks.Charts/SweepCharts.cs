using Plotly.NET;
using WaferNotebooks.Core.Sweeps;

namespace WaferNotebooks.Charts;

/// <summary>Scaling curves of a sweep, a line per knob value, device count on a log axis.</summary>
internal static class SweepCharts
{
    private static IEnumerable<(string Name, SweepPoint[] Points)> Series(SweepResult sweep) =>
        sweep.Points.Where(p => p.Estimate.Feasible).GroupBy(p => p.KnobValue)
            .Select(g => (g.Key is { } v && sweep.Knob is { } k ? $"{k} = {v:G4}" : sweep.SystemId, g.OrderBy(p => p.Devices).ToArray()));

    /// <summary>Tokens per second (left axis) and scaling efficiency (right axis, dotted) against devices.</summary>
    public static GenericChart Scaling(SweepResult sweep)
    {
        var traces = Series(sweep).SelectMany((s, i) => new Trace[]
        {
            Figure.Scatter($"{s.Name} tokens/s", "lines+markers", s.Points.Select(p => (double)p.Devices), s.Points.Select(p => p.Estimate.TokensPerS))
                .Set("marker", new { color = ChartTheme.Colour(i) }).Set("line", new { color = ChartTheme.Colour(i) }),
            Figure.Scatter($"{s.Name} scaling efficiency", "lines+markers", s.Points.Select(p => (double)p.Devices), s.Points.Select(p => p.ScalingEfficiency ?? 0))
                .Set("yaxis", "y2")
                .Set("marker", new { color = ChartTheme.Colour(i), symbol = "circle-open" })
                .Set("line", new { color = ChartTheme.Colour(i), dash = "dot" }),
        });
        var efficiencyAxis = (Dictionary<string, object>)ChartTheme.Axis("scaling efficiency");
        efficiencyAxis["overlaying"] = "y";
        efficiencyAxis["side"] = "right";
        efficiencyAxis["tickformat"] = ".0%";
        efficiencyAxis["rangemode"] = "tozero";
        var layout = ChartTheme.Layout($"{sweep.Job.Model.Id} on {sweep.SystemId}: throughput and scaling efficiency", "devices", "tokens/s", logX: true)
            .Set("yaxis2", efficiencyAxis);
        return Figure.Chart(traces, layout);
    }

    /// <summary>Model FLOPs utilisation against devices.</summary>
    public static GenericChart Mfu(SweepResult sweep)
    {
        var traces = Series(sweep).Select((s, i) =>
            Figure.Scatter(s.Name, "lines+markers", s.Points.Select(p => (double)p.Devices), s.Points.Select(p => p.Estimate.Mfu))
                .Set("marker", new { color = ChartTheme.Colour(i) }).Set("line", new { color = ChartTheme.Colour(i) }));
        var layout = ChartTheme.Layout($"{sweep.Job.Model.Id} on {sweep.SystemId}: MFU", "devices", "MFU", logX: true);
        ((Dictionary<string, object>)layout.GetPropertyValue("yaxis"))["tickformat"] = ".0%";
        return Figure.Chart(traces, layout);
    }
}
