using Plotly.NET;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Charts;

/// <summary>The two charts of one estimate: where the step time goes and what fills a device's memory.</summary>
internal static class EstimateCharts
{
    /// <summary>
    /// One horizontal bar of the step, a segment per part, in seconds or milliseconds (whichever
    /// reads better). The title stays short; the bottleneck sentence is on the card.
    /// </summary>
    public static GenericChart StepBreakdown(Estimate e)
    {
        var unit = TimeUnit.For(e.StepTimeS);
        var label = $"{e.DeviceName} × {e.Devices}";
        var traces = e.Breakdown.Parts.Where(p => p.Seconds > 0).Select((p, i) => (p, i)).Select(x =>
            (Trace)Figure.HorizontalBar(PartNames.Step(x.p.Name), [unit.Of(x.p.Seconds)], [label])
                .Set("marker", new { color = ChartTheme.Colour(x.i) })
                .Set("hovertext", new[] { $"{PartNames.Step(x.p.Name)}: {unit.Format(x.p.Seconds)} ({x.p.Seconds / e.StepTimeS:P0} of the step)<br>{x.p.Description}" })
                .Set("hoverinfo", "text"));
        var layout = ChartTheme.Layout($"Step time {unit.Format(e.StepTimeS)} by part", $"{unit.Plural} per step", "", height: 260)
            .Set("barmode", "stack");
        ((Dictionary<string, object>)layout.GetPropertyValue("yaxis"))["showticklabels"] = false;
        return Figure.Chart(traces, layout);
    }

    /// <summary>Memory per device stacked by part, beside a bar of the device's capacity.</summary>
    public static GenericChart MemoryBreakdown(Estimate e)
    {
        var traces = e.Memory.Parts.Where(p => p.Gb > 0).Select((p, i) => (p, i)).Select(x =>
            (Trace)Figure.Bar(PartNames.Memory(x.p.Name), [x.p.Name == WaferNotebooks.Core.Results.MemoryBreakdown.HostPart ? "host memory" : "used"], [x.p.Gb])
                .Set("marker", new { color = ChartTheme.Colour(x.i) })
                .Set("hovertext", new[] { $"{PartNames.Memory(x.p.Name)}: {x.p.Gb:F1} GB<br>{x.p.Description}" })
                .Set("hoverinfo", "text")).ToList();
        traces.Add(Figure.Bar($"{e.Memory.Where} capacity", ["capacity"], [e.Memory.CapacityGb])
            .Set("marker", new { color = ChartTheme.MutedColour })
            .Set("hovertext", new[] { $"{e.Memory.Where} capacity: {e.Memory.CapacityGb:F0} GB" })
            .Set("hoverinfo", "text"));
        var verdict = e.Memory.Fits ? "fits" : "does not fit";
        var layout = ChartTheme.Layout($"Memory per device: {e.Memory.TotalGb:F1} of {e.Memory.CapacityGb:F0} GB {e.Memory.Where} ({verdict})", "", "GB per device")
            .Set("barmode", "stack")
            .Set("bargap", 0.5);
        return Figure.Chart(traces, layout);
    }
}
