using WaferNotebooks.Core.Charting;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Workload;
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

    /// <summary>Options that size, price or time the whole run: with --layout fixed, none changes the one step drawn (without it they may steer the planner's choice).</summary>
    private static readonly OptionSpec[] WholeRunOptions = [Tokens, .. EconomicOptions, Mtbf, CheckpointBandwidth, RestartMin, EvalInterval, EvalIters];

    public override TimelineRequest Parse(RequestArgs a) =>
        a.Run((job, target, layout, economics, objective) => new TimelineRequest(job, target, layout, economics, objective)
        {
            WholeRunOptions = [.. WholeRunOptions.Where(o => a.One(o) is not null).Select(o => o.Name)],
        });

    public override StepTimeline Run(TimelineRequest r, RunContext context)
    {
        var estimate = InputNotes.Add(RangedEstimate.Of(r.Job, r.Target, r.Layout, r.Economics, r.Objective), r, r.Target.System, r.Economics);
        IEnumerable<string> notes = r.WholeRunOptions.Count == 0 ? []
            : r.Layout is not null ? r.WholeRunOptions.Select(o => InputNotes.NotInOneStep(o))
            : ChosenWithout(r) == estimate.Layout ? r.WholeRunOptions.Select(o => InputNotes.NotInOneStep(o, r.WholeRunOptions))
            : [];
        return StepTimeline.From(estimate) with { InputNotes = [.. estimate.InputNotes, .. notes] };
    }

    /// <summary>
    /// The layout the planner chooses without the whole-run options: the default economics (each
    /// of them is a whole-run option) and the default tokens, or one step's when those are fewer.
    /// The same layout as with them means the same step: they steered nothing the timeline draws.
    /// </summary>
    private static Parallel.Layout ChosenWithout(TimelineRequest r)
    {
        var job = r.Job with { Tokens = Math.Max(JobDefaults.Tokens(r.Job.Model), r.Job.TokensPerStep) };
        return Simulator.Estimate(job, r.Target.System, r.Target.Devices, null, EconomicAssumptions.Default, r.Objective).Layout;
    }

    public override string? DoesNotFit(StepTimeline t) => t.DoesNotFit;

    public override IReadOnlyList<ChartFigure> Figures(StepTimeline t, IChartRenderer charts) => charts.Timeline(t);

    /// <summary>Width of the text-art Gantt, in characters.</summary>
    public const int GanttWidth = 64;

    /// <summary>A lane per row with its text-art bar; the record has every segment, with start and duration.</summary>
    public override ResultView View(StepTimeline t)
    {
        var title = $"One step of {t.ModelId} on {t.SystemId}";
        var fits = t.DoesNotFit is null;
        var stepTime = new ViewNumber(fits ? t.StepTimeS : double.NaN, ViewUnit.Seconds);
        var busy = t.Lanes.Select(l => new ViewNumber(l.BusyS, ViewUnit.Seconds)).ToList();
        var record = new ViewRecord
        {
            ["model"] = t.ModelId,
            ["system"] = t.SystemId,
            ["layout"] = t.Layout,
            ["feasible"] = fits,
            ["reason"] = t.DoesNotFit,
            ["step_time_s"] = stepTime,
            ["schedule"] = t.Schedule,
            ["input_notes"] = ViewValue.Strings(t.InputNotes),
            ["lanes"] = ViewArray.Of(t.Lanes.Zip(busy), lane => new ViewRecord
            {
                ["name"] = lane.First.Name,
                ["kind"] = lane.First.Kind,
                ["busy_s"] = lane.Second,
                ["segments"] = ViewArray.Of(lane.First.Segments, s => new ViewRecord
                {
                    ["start_s"] = new ViewNumber(s.StartS, ViewUnit.Seconds),
                    ["duration_s"] = new ViewNumber(s.DurationS, ViewUnit.Seconds),
                    ["label"] = s.Label,
                    ["part"] = s.Part,
                }),
            }),
        };
        if (t.DoesNotFit is { } why)
            return new ResultView($"{title}: does not fit, so there is no step to draw", t.Layout) { DoesNotFit = new DoesNotFitView(why), Record = record, Notes = [.. ViewNote.Warnings(t.InputNotes)] };
        var table = new ViewTableBuilder(Text("lane"), new ViewColumn($"0 … {stepTime}", ColumnKind.Bar), Number("busy"), Number("share"));
        foreach (var (lane, laneBusy) in t.Lanes.Zip(busy))
            table.Add(lane.Name, Bar(lane, t.StepTimeS), laneBusy, new ViewNumber(lane.BusyS / t.StepTimeS, ViewUnit.Fraction));
        return new ResultView(title, $"{t.Layout}; {t.Schedule}")
        {
            Record = record,
            Facts = [new("step time", stepTime), .. t.Lanes.Zip(busy).Select(l => new ViewFact(l.First.Name, ViewPhrase.Of($"{l.Second} busy")))],
            Tables = [table.Build()],
            Notes = [.. ViewNote.Warnings(t.InputNotes)],
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
}
