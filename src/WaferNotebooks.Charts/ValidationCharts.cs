using Plotly.NET;
using WaferNotebooks.Core.Validation;

namespace WaferNotebooks.Charts;

/// <summary>
/// How far a validation run's predictions are from the measurements: one panel per metric (each
/// in its own unit on x), the signed error in percent on y with the ±10% band shaded, and error
/// bars spanning each row's range over its open knobs. Errors rather than predicted against
/// measured: on one log-log plot the metrics span six decades and the ±10% band is a hairline;
/// as an error it is the same readable strip in every panel.
/// </summary>
internal static class ValidationCharts
{
    public const double Band = 0.10;

    private const double PanelHeight = 260;

    /// <summary>What the metrics of the validation files measure, in words with their unit; an unknown metric shows its id.</summary>
    private static readonly Dictionary<string, string> MetricNames = new(StringComparer.Ordinal)
    {
        ["hfu_tflops_per_device"] = "hardware TFLOP/s per device",
        ["mfu_percent"] = "MFU, %",
        ["tokens_per_s_per_device"] = "tokens/s per device",
        ["iteration_s"] = "iteration time, s",
        ["device_hours"] = "device-hours",
        ["time_to_train_min"] = "time to train, min",
        ["energy_mwh"] = "energy, MWh",
    };

    public static string MetricName(string metric) => MetricNames.GetValueOrDefault(metric) ?? metric.Replace('_', ' ');

    public static GenericChart Parity(ValidationReport report)
    {
        var rows = report.Rows.Where(r => !r.Skipped && r.Predicted is > 0 && r.Measured > 0).ToArray();
        var panels = rows.GroupBy(r => r.Metric).ToArray();
        int columns = panels.Length > 1 ? 2 : 1, rowsOfPanels = Math.Max(1, (panels.Length + columns - 1) / columns);
        double height = PanelHeight * rowsOfPanels + 110;

        var summary = report.Summary;
        var layout = ChartTheme.Layout($"Prediction error by metric: {summary.Count - summary.Skipped} rows, median |error| {summary.MedianAbsError:P0}, p90 {summary.P90AbsError:P0}, {summary.Coverage:P0} inside their range",
                "", "", height: (int)height)
            .Set("showlegend", false);
        var traces = new List<Trace>();
        var shapes = new List<object>();
        for (int i = 0; i < panels.Length; i++)
        {
            var g = panels[i].ToArray();
            string suffix = i == 0 ? "" : (i + 1).ToString(), x = "x" + suffix, y = "y" + suffix;
            traces.Add(Figure.Scatter(MetricName(panels[i].Key), "markers", g.Select(r => r.Measured), g.Select(r => Percent(r.Predicted!.Value, r)))
                .Set("xaxis", x).Set("yaxis", y)
                .Set("marker", new { color = ChartTheme.Colour(i), size = 8 })
                .Set("error_y", new
                {
                    type = "data", symmetric = false, color = ChartTheme.Colour(i), thickness = 1, width = 3,
                    array = g.Select(r => Percent(r.PredictedHigh ?? r.Predicted!.Value, r) - Percent(r.Predicted!.Value, r)).ToArray(),
                    arrayminus = g.Select(r => Percent(r.Predicted!.Value, r) - Percent(r.PredictedLow ?? r.Predicted!.Value, r)).ToArray(),
                })
                .Set("hovertext", g.Select(r => $"{r.Id} ({r.SystemId}:{r.Devices})<br>{MetricName(r.Metric)}: measured {r.Measured:G3}, predicted {r.Predicted:G3} ({r.PredictedLow:G3}–{r.PredictedHigh:G3}), error {r.Error:+0.0%;−0.0%}").ToArray())
                .Set("hoverinfo", "text"));

            // Panels fill a grid, top row first, with gaps for the axis titles.
            int row = i / columns, column = i % columns;
            double gapX = columns > 1 ? 0.1 : 0, gapY = rowsOfPanels > 1 ? 90 / height : 0;
            double width = (1 - gapX * (columns - 1)) / columns, tall = (1 - gapY * (rowsOfPanels - 1)) / rowsOfPanels;
            double left = column * (width + gapX), top = 1 - row * (tall + gapY);
            // Every whisker inside the panel; at least ±15%, so with small errors the band fills most of it.
            var tops = g.Select(r => Percent(r.PredictedHigh ?? r.Predicted!.Value, r)).Append(Band * 150);
            var bottoms = g.Select(r => Percent(r.PredictedLow ?? r.Predicted!.Value, r)).Append(-Band * 150);
            double yHigh = tops.Max(), yLow = bottoms.Min(), pad = 0.06 * (yHigh - yLow);
            bool log = g.Max(r => r.Measured) >= 10 * g.Min(r => r.Measured);

            var xAxis = (Dictionary<string, object>)ChartTheme.Axis("measured " + MetricName(panels[i].Key), log);
            xAxis["domain"] = new[] { left, left + width };
            xAxis["anchor"] = y;
            var yAxis = (Dictionary<string, object>)ChartTheme.Axis(column == 0 ? $"error (shaded: ±{Band * 100:F0}%)" : "");
            yAxis["domain"] = new[] { top - tall, top };
            yAxis["anchor"] = x;
            yAxis["range"] = new[] { yLow - pad, yHigh + pad };
            yAxis["ticksuffix"] = "%";
            layout.Set("xaxis" + suffix, xAxis).Set("yaxis" + suffix, yAxis);

            shapes.Add(new { type = "rect", xref = x + " domain", yref = y, x0 = 0, x1 = 1, y0 = -Band * 100, y1 = Band * 100, fillcolor = "rgba(0,158,115,0.15)", line = new { width = 0 }, layer = "below" });
            shapes.Add(new { type = "line", xref = x + " domain", yref = y, x0 = 0, x1 = 1, y0 = 0, y1 = 0, line = new { color = ChartTheme.TextColour, width = 1 }, layer = "below" });
        }
        layout.Set("shapes", shapes.ToArray());
        return Figure.Chart(traces, layout);
    }

    /// <summary>A prediction's signed error against the row's measurement, in percent.</summary>
    private static double Percent(double predicted, ValidationRow r) => (predicted / r.Measured - 1) * 100;
}
