using Plotly.NET;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Charts;

/// <summary>The two charts of one estimate: where the step time goes and what fills a device's memory.</summary>
internal static class EstimateCharts
{
    /// <summary>One horizontal bar of the step, a segment per part, in milliseconds.</summary>
    public static GenericChart StepBreakdown(Estimate e)
    {
        var label = $"{e.DeviceName} × {e.Devices}";
        var traces = e.Breakdown.Parts.Select((p, i) => (p, i)).Where(x => x.p.Seconds > 0).Select(x =>
            (Trace)Figure.Bar(x.p.Name, [label], [x.p.Seconds * 1e3]).Set("x", new[] { x.p.Seconds * 1e3 }).Set("y", new[] { label })
                .Set("orientation", "h")
                .Set("marker", new { color = ChartTheme.Colour(x.i) })
                .Set("hovertext", new[] { $"{x.p.Name}: {x.p.Seconds * 1e3:G4} ms ({x.p.Seconds / e.StepTimeS:P0}) — {x.p.Description}" })
                .Set("hoverinfo", "text"));
        var layout = ChartTheme.Layout($"Step time {e.StepTimeS * 1e3:G4} ms — {e.Bottleneck}", "milliseconds per step", "", height: 240)
            .Set("barmode", "stack");
        return Figure.Chart(traces, layout);
    }

    /// <summary>Memory per device stacked by part, beside a bar of the device's capacity.</summary>
    public static GenericChart MemoryBreakdown(Estimate e)
    {
        var traces = e.Memory.Parts.Select((p, i) => (p, i)).Where(x => x.p.Gb > 0).Select(x =>
            (Trace)Figure.Bar(x.p.Name, ["used"], [x.p.Gb])
                .Set("marker", new { color = ChartTheme.Colour(x.i) })
                .Set("hovertext", new[] { $"{x.p.Name}: {x.p.Gb:F1} GB — {x.p.Description}" })
                .Set("hoverinfo", "text")).ToList();
        traces.Add(Figure.Bar($"{e.Memory.Where} capacity", ["capacity"], [e.Memory.CapacityGb])
            .Set("marker", new { color = ChartTheme.MutedColour }));
        var verdict = e.Memory.Fits ? "fits" : "does not fit";
        var layout = ChartTheme.Layout($"Memory per device {e.Memory.TotalGb:F1} of {e.Memory.CapacityGb:F0} GB {e.Memory.Where} — {verdict}", "", "GB per device")
            .Set("barmode", "stack");
        return Figure.Chart(traces, layout);
    }
}
