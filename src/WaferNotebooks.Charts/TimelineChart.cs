using Plotly.NET;
using WaferNotebooks.Core.Timeline;

namespace WaferNotebooks.Charts;

/// <summary>
/// A Gantt chart of one step: horizontal bars placed at their start time, a row per lane, a colour
/// per part. The schedule sentence is too long for a title; the card above the chart shows it with the layout.
/// </summary>
internal static class TimelineChart
{
    public static GenericChart Gantt(StepTimeline timeline)
    {
        var parts = timeline.Lanes.SelectMany(l => l.Segments).Select(s => s.Part).Distinct().ToArray();
        var unit = TimeUnit.For(timeline.StepTimeS);
        var traces = parts.Select((part, i) =>
        {
            var segments = timeline.Lanes.SelectMany(l => l.Segments.Where(s => s.Part == part).Select(s => (Lane: l.Name, Segment: s))).ToArray();
            return (Trace)Figure.HorizontalBar(PartNames.Step(part), segments.Select(x => unit.Of(x.Segment.DurationS)), segments.Select(x => x.Lane))
                .Set("base", segments.Select(x => unit.Of(x.Segment.StartS)).ToArray())
                .Set("marker", new { color = ChartTheme.Colour(i) })
                .Set("hovertext", segments.Select(x => $"{x.Lane}: {x.Segment.Label}<br>{unit.Of(x.Segment.StartS):G3}–{unit.Format(x.Segment.EndS)} ({unit.Format(x.Segment.DurationS)})").ToArray())
                .Set("hoverinfo", "text");
        });
        var layout = ChartTheme.Layout($"One step of {timeline.ModelId} on {timeline.SystemId}: {unit.Format(timeline.StepTimeS)}",
                $"time into the step, {unit.Plural}", "", height: Math.Max(280, 36 * timeline.Lanes.Count + 120))
            .Set("barmode", "overlay");
        ((Dictionary<string, object>)layout.GetPropertyValue("yaxis"))["autorange"] = "reversed";
        return Figure.Chart(traces, layout);
    }
}
