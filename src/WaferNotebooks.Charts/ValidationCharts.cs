using Plotly.NET;
using WaferNotebooks.Core.Validation;

namespace WaferNotebooks.Charts;

/// <summary>The parity plot of a validation run: perfect predictions lie on y = x, the band is ±10%; error bars span each row's range over its open knobs.</summary>
internal static class ValidationCharts
{
    public const double Band = 0.10;

    public static GenericChart Parity(ValidationReport report)
    {
        var rows = report.Rows.Where(r => !r.Skipped && r.Predicted is > 0 && r.Measured > 0).ToArray();
        var traces = rows.GroupBy(r => r.Metric).Select((g, i) =>
            (Trace)Figure.Scatter(g.Key, "markers", g.Select(r => r.Measured), g.Select(r => r.Predicted!.Value))
                .Set("marker", new { color = ChartTheme.Colour(i), size = 8 })
                .Set("error_y", new
                {
                    type = "data", symmetric = false, color = ChartTheme.Colour(i), thickness = 1, width = 3,
                    array = g.Select(r => (r.PredictedHigh ?? r.Predicted!.Value) - r.Predicted!.Value).ToArray(),
                    arrayminus = g.Select(r => r.Predicted!.Value - (r.PredictedLow ?? r.Predicted!.Value)).ToArray(),
                })
                .Set("hovertext", g.Select(r => $"{r.Id} ({r.SystemId}:{r.Devices})<br>{r.Metric}: measured {r.Measured:G3}, predicted {r.Predicted:G3} ({r.PredictedLow:G3}–{r.PredictedHigh:G3}), error {r.Error:+0.0%;−0.0%}").ToArray())
                .Set("hoverinfo", "text")).ToList();
        if (rows.Length > 0)
        {
            var lo = rows.Min(r => Math.Min(r.Measured, r.PredictedLow ?? r.Predicted!.Value)) * 0.8;
            var hi = rows.Max(r => Math.Max(r.Measured, r.PredictedHigh ?? r.Predicted!.Value)) * 1.25;
            traces.Add(Line("y = x", lo, hi, 1, "solid"));
            traces.Add(Line($"+{Band * 100:F0}%", lo, hi, 1 + Band, "dot"));
            traces.Add(Line($"−{Band * 100:F0}%", lo, hi, 1 - Band, "dot"));
        }
        var summary = report.Summary;
        var layout = ChartTheme.Layout($"Predicted vs measured: {summary.Count - summary.Skipped} rows, median |error| {summary.MedianAbsError:P0}, p90 {summary.P90AbsError:P0}, {summary.Coverage:P0} inside their range",
            "measured (each metric in its own unit)", "predicted (same unit)", logX: true, logY: true, height: 480);
        return Figure.Chart(traces, layout);
    }

    private static Trace Line(string name, double lo, double hi, double factor, string dash) =>
        Figure.Scatter(name, "lines", [lo, hi], [lo * factor, hi * factor])
            .Set("line", new { color = ChartTheme.TextColour, dash, width = 1 })
            .Set("hoverinfo", "skip");
}
