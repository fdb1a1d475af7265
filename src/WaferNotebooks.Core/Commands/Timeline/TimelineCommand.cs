using WaferNotebooks.Core.Charting;
using System.Text.Json.Nodes;
using WaferNotebooks.Core.Timeline;
using static WaferNotebooks.Core.Commands.CommandGrammar;
using static WaferNotebooks.Core.Commands.ValueText;
using static WaferNotebooks.Core.Commands.ViewTableBuilder;

namespace WaferNotebooks.Core.Commands;

/// <summary><c>timeline</c>: one training step of a layout as lanes of compute, communication, bubbles and the optimizer.</summary>
public sealed class TimelineCommand : Subcommand<TimelineRequest, StepTimeline>
{
    public static TimelineCommand Instance { get; } = new();

    public override SubcommandSpec Spec { get; } = new("timeline",
        "Show one training step of a layout: compute, each kind of communication, pipeline bubbles, weight streaming, optimizer.",
        "timeline --model gpt3-175b --on dgx-a100-80gb:1024 --layout tp=8,pp=16,mb=1",
        [.. JobOptions, On, Layout, Objective, .. EconomicOptions, .. PhysicsOptions, .. SharedOptions]);

    public override TimelineRequest Parse(RequestArgs a) => a.Run((job, target, layout, economics, objective) => new TimelineRequest(job, target, layout, economics, objective));

    public override StepTimeline Run(TimelineRequest r, RunContext context) =>
        StepTimeline.From(RangedEstimate.Of(r.Job, r.Target, r.Layout, r.Economics, r.Objective));

    public override string? DoesNotFit(StepTimeline t) => t.DoesNotFit;

    public override IReadOnlyList<string> Charts(StepTimeline t, IChartRenderer charts, bool offline) => [charts.Timeline(t, offline)];

    /// <summary>Width of the text-art Gantt, in characters.</summary>
    public const int GanttWidth = 64;

    public override ResultView View(StepTimeline t)
    {
        var title = $"One step of {t.ModelId} on {t.SystemId}";
        if (t.DoesNotFit is { } why)
            return new ResultView($"{title}: does not fit, so there is no step to draw", t.Layout) { DoesNotFit = new DoesNotFitView(why) };
        var table = new ViewTableBuilder(Text("lane"), new ViewColumn($"0 … {Duration(t.StepTimeS)}", ColumnKind.Bar), Number("busy"), Number("share"));
        foreach (var lane in t.Lanes)
            table.Add(lane.Name, Bar(lane, t.StepTimeS), Duration(lane.BusyS), Percent(lane.BusyS / t.StepTimeS));
        return new ResultView(title, $"{t.Layout}; {t.Schedule}")
        {
            Facts = [new("step time", Duration(t.StepTimeS)), .. t.Lanes.Select(l => new ViewFact(l.Name, $"{Duration(l.BusyS)} busy"))],
            Tables = [table.Build()],
        };
    }

    /// <summary>
    /// One character per 1/<see cref="GanttWidth"/> of the step: █ where the lane is busy for at
    /// least half of it, ▁ where it is busy for less (so short segments stay visible without
    /// looking long), · where it is idle.
    /// </summary>
    private static string Bar(TimelineLane lane, double stepTimeS)
    {
        var cell = stepTimeS / GanttWidth;
        var busy = new double[GanttWidth];
        foreach (var s in lane.Segments)
        {
            var first = Math.Clamp((int)(s.StartS / cell), 0, GanttWidth - 1);
            var last = Math.Clamp((int)(s.EndS / cell), 0, GanttWidth - 1);
            for (var i = first; i <= last; i++)
                busy[i] += Math.Max(0, Math.Min(s.EndS, (i + 1) * cell) - Math.Max(s.StartS, i * cell));
        }
        return string.Concat(busy.Select(b => b >= cell / 2 ? '█' : b > 0 ? '▁' : '·'));
    }

    public override JsonNode Json(StepTimeline t) => new JsonObject
    {
        ["model"] = t.ModelId,
        ["system"] = t.SystemId,
        ["layout"] = t.Layout,
        ["feasible"] = t.DoesNotFit is null,
        ["reason"] = t.DoesNotFit,
        ["step_time_s"] = t.DoesNotFit is null ? ResultJson.Number(t.StepTimeS) : null,
        ["schedule"] = t.Schedule,
        ["lanes"] = ResultJson.Array(t.Lanes, lane => new JsonObject
        {
            ["name"] = lane.Name,
            ["kind"] = lane.Kind,
            ["segments"] = ResultJson.Array(lane.Segments, s => new JsonObject
            {
                ["start_s"] = ResultJson.Number(s.StartS),
                ["duration_s"] = ResultJson.Number(s.DurationS),
                ["label"] = s.Label,
                ["part"] = s.Part,
            }),
        }),
    };
}
