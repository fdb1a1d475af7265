using Plotly.NET;
using WaferNotebooks.Core.Timeline;

namespace WaferNotebooks.Charts;

/// <summary>A Gantt chart of one step: horizontal bars placed at their start time, a row per lane, a colour per part.</summary>
internal static class TimelineChart
{
    public static GenericChart Gantt(StepTimeline timeline)
    {
        var parts = timeline.Lanes.SelectMany(l => l.Segments).Select(s => s.Part).Distinct().ToArray();
        var traces = parts.Select((part, i) =>
        {
            var segments = timeline.Lanes.SelectMany(l => l.Segments.Where(s => s.Part == part).Select(s => (Lane: l.Name, Segment: s))).ToArray();
            return (Trace)Figure.Bar(part, segments.Select(x => (object)x.Lane), segments.Select(x => x.Segment.DurationS * 1e3))
                .Set("x", segments.Select(x => x.Segment.DurationS * 1e3).ToArray())
                .Set("y", segments.Select(x => x.Lane).ToArray())
                .Set("base", segments.Select(x => x.Segment.StartS * 1e3).ToArray())
                .Set("orientation", "h")
                .Set("marker", new { color = ChartTheme.Colour(i) })
                .Set("hovertext", segments.Select(x => $"{x.Segment.Label}: {x.Segment.StartS * 1e3:G4}–{x.Segment.EndS * 1e3:G4} ms").ToArray())
                .Set("hoverinfo", "text");
        });
        var layout = ChartTheme.Layout($"One step of {timeline.ModelId} on {timeline.SystemId} ({timeline.Layout}), {timeline.StepTimeS * 1e3:G4} ms — {timeline.Schedule}",
                "milliseconds", "", height: Math.Max(260, 40 * timeline.Lanes.Count + 120))
            .Set("barmode", "overlay");
        ((Dictionary<string, object>)layout.GetPropertyValue("yaxis"))["autorange"] = "reversed";
        return Figure.Chart(traces, layout);
    }
}
