using WaferNotebooks.Core.Charting;
using System.Text.Json.Nodes;
using WaferNotebooks.Core.Sweeps;
using static WaferNotebooks.Core.Commands.CommandGrammar;
using static WaferNotebooks.Core.Commands.ValueText;
using static WaferNotebooks.Core.Commands.ViewTableBuilder;

namespace WaferNotebooks.Core.Commands;

/// <summary><c>sweep</c>: one job over device counts (and optionally one more knob); points that do not fit are marked gaps.</summary>
public sealed class SweepCommand : Subcommand<SweepRequest, SweepResult>
{
    public static SweepCommand Instance { get; } = new();

    public override SubcommandSpec Spec { get; } = new("sweep",
        "Vary the device count (and optionally one more knob) and show throughput, scaling efficiency and MFU.",
        "sweep --model llama3-70b --on dgx-h100 --counts 64..4096",
        [.. JobOptions, On, Counts, Vary, Layout, Objective, .. EconomicOptions, .. PhysicsOptions, .. SharedOptions]);

    /// <summary>
    /// Counts come from --counts, or (with --vary) from the count in --on; a fixed --layout keeps
    /// its tp, pp and cp and lets dp grow, so it must leave dp out.
    /// </summary>
    public override SweepRequest Parse(RequestArgs a)
    {
        var job = a.Job();
        var on = a.Required(On);
        var (id, devices) = ValueParsers.ParseSystemTarget(On.Name, on);
        var knob = a.One(Vary) is { } vary ? ValueParsers.ParseKnob(Vary.Name, vary, job.SeqLen) : null;
        IReadOnlyList<int> counts = (a.One(Counts), devices, knob) switch
        {
            ({ } text, null, _) => ValueParsers.ParseCounts(Counts.Name, text),
            (null, { } n, not null) => [n],
            ({ }, { }, _) => throw new WaferInputException($"{On.Name} {on}: sweep takes its device counts from --counts; write --on {id}"),
            _ => throw new WaferInputException($"sweep needs {Counts.Name} {Counts.HelpName}; for example: {Spec.Example}"),
        };
        var layoutSpec = a.LayoutSpec();
        if (layoutSpec?.Dp is not null)
            throw new WaferInputException($"{Layout.Name}: sweep grows dp with the device count; leave dp out");
        var system = a.WithRelease(a.WithPowerCap(a.Catalog.FindSystem(id)));
        // The layout is checked at the first count; a later count it cannot use is a skipped point of the sweep.
        var layout = layoutSpec?.Resolve(counts[0], job, system);
        return new SweepRequest(job, system, counts, layout, knob, a.Economics(), a.Objective());
    }

    public override SweepResult Run(SweepRequest r, RunContext context) =>
        Sweeper.Sweep(r.Job, r.System, r.Counts, r.Layout, r.Economics, r.Objective, r.Knob, context.Progress, context.Cancellation);

    public override string? DoesNotFit(SweepResult s) =>
        s.Points.All(p => !p.Estimate.Feasible) ? "no device count of the sweep can run the job" : null;

    public override IReadOnlyList<string> Charts(SweepResult s, IChartRenderer charts, bool offline) =>
        [charts.SweepScaling(s, offline), charts.SweepMfu(s, offline), .. s.HasGoodput ? [charts.SweepGoodput(s, offline)] : Array.Empty<string>()];

    /// <summary>A row per point; a point that does not fit has no throughput, MFU, time or energy, and a note says why.</summary>
    public override ResultView View(SweepResult s)
    {
        var columns = new List<ViewColumn> { Number("devices") };
        if (s.Knob is { } knob) columns.Add(Number(KnobHeader(knob)));
        columns.AddRange([Text("layout"), Number("step time"), Number("tokens/s"), Number("tokens/s/device"), Number("scaling eff."), Number("MFU"), Number("days"), Number("MWh")]);
        var table = new ViewTableBuilder([.. columns]);
        foreach (var p in s.Points)
        {
            var e = p.Estimate;
            var cells = new List<string?> { Count(p.Devices) };
            if (s.Knob is not null) cells.Add(p.KnobValue is { } v ? Scaled(v) : null);
            if (e.Feasible)
                cells.AddRange([Compact(e.Layout), Duration(e.StepTimeS), Scaled(e.TokensPerS), Num(e.TokensPerSPerDevice),
                    p.ScalingEfficiency is { } eff ? Percent(eff) : null, Percent(e.Mfu), Num(e.TimeToTrainDays), Num(e.EnergyMwh)]);
            else
                cells.AddRange(["does not fit", null, null, null, null, null, null, null]);
            table.Add([.. cells]);
        }
        var notes = s.Points.Where(p => !p.Estimate.Feasible)
            .Select(p => new ViewNote($"{Count(p.Devices)} devices", $"does not fit: {p.Estimate.Reason ?? "no layout fits"}"))
            .Concat(s.Skipped.Select(k => new ViewNote($"{Count(k.Devices)} devices{(k.KnobValue is { } v ? $" at {Scaled(v)}" : "")}", $"skipped: {k.Reason}")));
        return new ResultView($"{s.Job.Model.Id} on {s.SystemId}: {s.Points.Count} points",
            $"{Scaled(s.Job.Tokens)} tokens, " +
            (s.FixedLayout is null ? $"best layout by {s.Objective.ToString().ToLowerInvariant()} at each count" : $"layout {s.FixedLayout} with dp growing"))
        {
            DoesNotFit = DoesNotFit(s) is { } why ? new DoesNotFitView(why) : null,
            Tables = [table.Build()],
            Notes = [.. notes],
        };
    }

    private static string KnobHeader(KnobKind knob) => knob switch
    {
        KnobKind.GlobalBatch => "batch (seqs)",
        KnobKind.SeqLen => "seq",
        KnobKind.Tokens => "tokens",
        KnobKind.Price => "$/device-h",
        KnobKind.Pue => "PUE",
        KnobKind.Carbon => "g CO2/kWh",
        _ => knob.ToString(),
    };

    /// <summary>One estimate object per point, with the point's device count, knob value and scaling efficiency.</summary>
    public override JsonNode Json(SweepResult s) => new JsonObject
    {
        ["model"] = s.Job.Model.Id,
        ["system"] = s.SystemId,
        ["objective"] = ResultJson.Lower(s.Objective),
        ["fixed_layout"] = s.FixedLayout is { } l ? ResultJson.Layout(l) : null,
        ["knob"] = s.Knob is { } k ? ResultJson.Lower(k) : null,
        ["points"] = ResultJson.Array(s.Points, p =>
        {
            var o = ResultJson.Estimate(p.Estimate);
            o["knob_value"] = p.KnobValue is { } v ? ResultJson.Number(v) : null;
            o["scaling_efficiency"] = p.ScalingEfficiency is { } eff ? ResultJson.Number(eff) : null;
            return o;
        }),
        ["skipped"] = ResultJson.Array(s.Skipped, k => new JsonObject
        {
            ["devices"] = k.Devices,
            ["knob_value"] = k.KnobValue is { } v ? ResultJson.Number(v) : null,
            ["reason"] = k.Reason,
        }),
    };
}
