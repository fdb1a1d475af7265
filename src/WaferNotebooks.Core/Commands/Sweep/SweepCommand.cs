using WaferNotebooks.Core.Charting;
using WaferNotebooks.Core.Results;
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
        a.RefuseObjectiveWithLayout();
        var job = a.Job();
        var on = a.Required(On);
        var (id, devices) = ValueParsers.ParseSystemTarget(On.Name, on);
        var knob = a.One(Vary) is { } vary ? ValueParsers.ParseKnob(Vary.Name, vary, job.SeqLen) : null;
        // The knob sets its input at every point: the same input given as an option would be dropped without a word.
        if (knob is not null && KnobOption(knob.Kind) is var fixedOption && a.One(fixedOption) is { } fixedText)
            throw new WaferInputException(
                $"{Vary.Name} {a.One(Vary)} sets {fixedOption.Name} at every point of the sweep, so {fixedOption.Name} {fixedText} would be ignored; leave {fixedOption.Name} out, or vary another knob");
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
        var system = a.ForSystem(a.Catalog.FindSystem(id));
        // The layout is checked at the first count; a later count it cannot use is a skipped point of the sweep.
        var layout = layoutSpec?.Resolve(counts[0], job, system);
        return new SweepRequest(job, system, counts, layout, knob, a.Economics(), a.Objective());
    }

    public override SweepResult Run(SweepRequest r, RunContext context)
    {
        var sweep = Sweeper.Sweep(r.Job, r.System, r.Counts, r.Layout, r.Economics, r.Objective, r.Knob, context.Progress, context.Cancellation);
        return sweep with { Points = [.. sweep.Points.Select(p => p with { Estimate = InputNotes.Add(p.Estimate, r, r.System, r.Economics) })] };
    }

    public override string? DoesNotFit(SweepResult s) =>
        s.Points.All(p => !p.Estimate.Feasible) ? "no device count of the sweep can run the job" : null;

    public override IReadOnlyList<ChartFigure> Figures(SweepResult s, IChartRenderer charts) => charts.Sweep(s);

    /// <summary>
    /// A row per point from the point's own estimate view (nested under <c>points</c> with its
    /// knob value and scaling efficiency); a point that does not fit has no throughput, MFU, time
    /// or energy, and a note says why. Counts that cannot be laid out are skipped points.
    /// </summary>
    public override ResultView View(SweepResult s)
    {
        var columns = new List<ViewColumn> { Number("devices") };
        if (s.Knob is { } knob) columns.Add(Number(KnobHeader(knob)));
        columns.AddRange([Text("layout"), Number("step time"), Number("tokens/s"), Number("tokens/s/device"), Number("scaling eff."), Number("MFU"), Number("days"), Number("MWh")]);
        var table = new ViewTableBuilder([.. columns]);
        var points = new List<ViewValue?>();
        var scalingNotes = new List<ViewNote>();
        foreach (var p in s.Points)
        {
            var e = p.Estimate;
            var view = EstimateView.For(e);
            var knobValue = ViewNumber.Of(p.KnobValue, KnobUnit(s.Knob));
            var efficiency = ViewNumber.Of(p.ScalingEfficiency, ViewUnit.Fraction);
            var superLinear = SuperLinearNote(p);
            if (superLinear is not null)
                scalingNotes.Add(new ViewNote($"{Count(p.Devices)} devices{(knobValue is { } kv ? $" at {kv}" : "")}", superLinear));
            points.Add(new NestedView(view, new() { ["knob_value"] = knobValue, ["scaling_efficiency"] = efficiency, ["scaling_note"] = superLinear }));
            var cells = new List<ViewPhrase?> { Count(p.Devices) };
            if (s.Knob is not null) cells.Add(knobValue);
            var n = view.Record;
            if (e.Feasible)
                cells.AddRange([Compact(e.Layout), n.Number("step_time_s"), n.Number("tokens_per_s"), n.Number("tokens_per_s_per_device"),
                    efficiency, n.Number("mfu"), n.Number("time_to_train_days"), n.Number("energy_mwh")]);
            else
                cells.AddRange(["does not fit", null, null, null, null, null, null, null]);
            table.Add([.. cells]);
        }
        var notes = s.Points.Where(p => !p.Estimate.Feasible)
            .Select(p => new ViewNote($"{Count(p.Devices)} devices", $"does not fit: {p.Estimate.Reason ?? "no layout fits"}"))
            .Concat(s.Skipped.Select(k => new ViewNote($"{Count(k.Devices)} devices{(ViewNumber.Of(k.KnobValue, KnobUnit(s.Knob)) is { } v ? $" at {v}" : "")}", $"skipped: {k.Reason}")))
            .Concat(scalingNotes)
            .Concat(ViewNote.Warnings(InputNotes.Distinct(s.Points.Select(p => p.Estimate))));
        return new ResultView($"{s.Job.Model.Id} on {s.SystemId}: {Count(s.Points.Count, "point")}",
            // With --vary tokens the job's own count (the default or --tokens) is no point's: the column has them.
            (s.Knob == KnobKind.Tokens ? "tokens as varied, " : $"{Scaled(s.Job.Tokens)} tokens, ") +
            (s.FixedLayout is null ? $"best layout by {s.Objective.ToString().ToLowerInvariant()} at each count" : $"layout {s.FixedLayout} with dp growing"))
        {
            DoesNotFit = DoesNotFit(s) is { } why ? new DoesNotFitView(why) : null,
            Record = new()
            {
                ["model"] = s.Job.Model.Id,
                ["system"] = s.SystemId,
                ["objective"] = ViewValue.SnakeCase(s.Objective),
                ["fixed_layout"] = s.FixedLayout is { } l ? EstimateView.Layout(l) : null,
                ["knob"] = s.Knob is { } k ? ViewValue.SnakeCase(k) : null,
                ["points"] = new ViewArray(points),
                ["input_notes"] = ViewValue.Strings(InputNotes.Distinct(s.Points.Select(p => p.Estimate))),
                ["skipped"] = ViewArray.Of(s.Skipped, k => new ViewRecord
                {
                    ["devices"] = k.Devices,
                    ["knob_value"] = ViewNumber.Of(k.KnobValue, KnobUnit(s.Knob)),
                    ["reason"] = k.Reason,
                }),
            },
            Tables = [table.Build()],
            Notes = [.. notes],
        };
    }

    /// <summary>
    /// Why a point's scaling efficiency is above 100%: a per-device gain over the baseline comes
    /// from a layout the baseline could not use (its fewer devices had to hold more of the model)
    /// or from a step part that shrinks per device as dp grows; the note names the layouts and the
    /// part whose device-seconds fell most, with its share of each step.
    /// </summary>
    private static string? SuperLinearNote(SweepPoint p)
    {
        var efficiency = new ViewNumber(p.ScalingEfficiency ?? double.NaN, ViewUnit.Fraction);
        if (!p.SuperLinear || p.ShrunkPart is not { } part) return null;
        var (b, e) = (p.Baseline!, p.Estimate);
        var (layout, baseLayout) = (Compact(e.Layout), Compact(b.Layout));
        var cause = layout == baseLayout
            ? "the layout is the baseline's with more data-parallel ranks"
            : $"the layout {layout} is not the {Count(b.Devices)}-device baseline's {baseLayout}";
        return $"scaling efficiency {efficiency} is above 100%: {cause}; the step part that shrank most per device is {part.Id()} " +
               $"({new ViewNumber(b.Breakdown[part] / b.StepTimeS, ViewUnit.Fraction)} of the baseline's step, {new ViewNumber(e.Breakdown[part] / e.StepTimeS, ViewUnit.Fraction)} of this one's)";
    }

    /// <summary>The option that sets the knob's input outside a sweep.</summary>
    private static OptionSpec KnobOption(KnobKind knob) => knob switch
    {
        KnobKind.GlobalBatch => Batch,
        KnobKind.SeqLen => Seq,
        KnobKind.Tokens => Tokens,
        KnobKind.Price => Price,
        KnobKind.Pue => Pue,
        _ => Carbon,
    };

    /// <summary>Batch and sequence length are whole counts ("8", not "8.00"); the other knobs read to three figures.</summary>
    private static ViewUnit KnobUnit(KnobKind? knob) => knob is KnobKind.GlobalBatch or KnobKind.SeqLen ? ViewUnit.Count : ViewUnit.Scaled;

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
}
