using WaferNotebooks.Core.Charting;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Simulation;
using static WaferNotebooks.Core.Commands.CommandGrammar;
using static WaferNotebooks.Core.Commands.ValueText;
using static WaferNotebooks.Core.Commands.ViewTableBuilder;

namespace WaferNotebooks.Core.Commands;

/// <summary><c>plan</c>: every layout of a job on a system, ranked, with the Pareto front of time vs energy.</summary>
public sealed class PlanCommand : Subcommand<PlanRequest, PlanResult>
{
    /// <summary>How many layouts plan lists unless --top says otherwise.</summary>
    public const int DefaultTop = 5;

    public static PlanCommand Instance { get; } = new();

    public override SubcommandSpec Spec { get; } = new("plan",
        "Search the parallel layouts of a job on a system; rank them and give the Pareto front of time vs energy.",
        "plan --model llama3-405b --on dgx-h100:16384 --objective time --top 5",
        [.. JobOptions, On, CommandGrammar.Objective, Top, .. EconomicOptions, .. PhysicsOptions, .. SharedOptions]);

    public override PlanRequest Parse(RequestArgs a)
    {
        var job = a.Job();
        var target = a.Target(a.Required(On), null);
        target = target with { System = a.ForSystem(target.System) };
        var top = a.One(Top) is { } t ? ValueParsers.ParsePositiveInt(Top.Name, t) : DefaultTop;
        return new PlanRequest(job, target, a.Economics(), a.Objective(), top);
    }

    /// <summary>
    /// The plan with every estimate it holds saying what the user's options did not do there
    /// (<see cref="InputNotes"/>), each noted once: the best is the first of the top layouts and on
    /// the front, so <c>best</c>, <c>top</c> and <c>pareto_front</c> carry the same notes.
    /// </summary>
    public override PlanResult Run(PlanRequest r, RunContext context)
    {
        var plan = Simulator.Plan(r.Job, r.Target.System, r.Target.Devices, r.Economics, r.Objective, r.Top, context.Progress, context.Cancellation);
        var noted = new Dictionary<Estimate, Estimate>(ReferenceEqualityComparer.Instance);
        Estimate Noted(Estimate e) => noted.TryGetValue(e, out var n) ? n : noted[e] = InputNotes.Add(e, r, r.Target.System, r.Economics);
        return plan with
        {
            Best = plan.Best is { } best ? Noted(best) : null,
            TopK = [.. plan.TopK.Select(Noted)],
            ParetoFront = [.. plan.ParetoFront.Select(Noted)],
            NearestMiss = plan.NearestMiss is { } miss ? Noted(miss) : null,
        };
    }

    public override string? DoesNotFit(PlanResult p) => p.Best is null ? p.Why : null;

    public override IReadOnlyList<ChartFigure> Figures(PlanResult p, IChartRenderer charts) => charts.Plan(p);

    /// <summary>
    /// The top layouts ranked, each row from that layout's own estimate view (nested under
    /// <c>top</c>, <c>best</c> and <c>pareto_front</c>), the Pareto front, and why the other layouts
    /// did not fit; with nothing feasible, only why and the nearest miss.
    /// </summary>
    public override ResultView View(PlanResult p)
    {
        var views = new Dictionary<Estimate, ResultView>(ReferenceEqualityComparer.Instance);
        ResultView ViewOf(Estimate e) => views.TryGetValue(e, out var v) ? v : views[e] = EstimateView.For(e);
        var record = new ViewRecord
        {
            ["model"] = p.Job.Model.Id,
            ["system"] = p.SystemId,
            ["devices"] = p.Devices,
            ["objective"] = ViewValue.SnakeCase(p.Objective),
            ["evaluated"] = p.Evaluated,
            ["feasible"] = p.FeasibleCount,
            ["infeasible"] = p.Infeasible,
            ["why"] = p.Why,
            ["best"] = p.Best is { } b ? new NestedView(ViewOf(b)) : null,
            ["top"] = ViewArray.Of(p.TopK, e => new NestedView(ViewOf(e))),
            ["pareto_front"] = ViewArray.Of(p.ParetoFront, e => new NestedView(ViewOf(e))),
            ["points"] = ViewArray.Of(p.Points, pt => new ViewRecord
            {
                ["layout"] = EstimateView.Layout(pt.Layout),
                ["step_time_s"] = new ViewNumber(pt.StepTimeS, ViewUnit.Seconds),
                ["time_to_train_days"] = new ViewNumber(pt.TimeToTrainDays, ViewUnit.Days),
                ["energy_mwh"] = new ViewNumber(pt.EnergyMwh, ViewUnit.MegawattHours),
                ["cost_usd"] = new ViewNumber(pt.CostUsd, ViewUnit.Usd),
                ["tokens_per_s"] = new ViewNumber(pt.TokensPerS, ViewUnit.TokensPerSecond),
                ["mfu"] = new ViewNumber(pt.Mfu, ViewUnit.Fraction),
                ["memory_per_device_gb"] = new ViewNumber(pt.MemoryPerDeviceGb, ViewUnit.Gigabytes),
                ["on_pareto_front"] = pt.OnParetoFront,
            }),
            ["infeasibility_reasons"] = ViewArray.Of(p.InfeasibilityReasons, r => new ViewRecord
            {
                ["reason"] = r.Reason,
                ["count"] = r.Count,
                ["example_layout"] = EstimateView.Layout(r.Example),
            }),
            ["nearest_miss"] = p.NearestMiss is { } miss ? new NestedView(ViewOf(miss)) : null,
            ["input_notes"] = ViewValue.Strings(InputNotes.Distinct([p.Best ?? p.NearestMiss])),
        };
        var inputNotes = ViewNote.Warnings(InputNotes.Distinct([p.Best ?? p.NearestMiss])).ToList();
        var title = $"Plan: {p.Job.Model.Id} on {p.SystemId} × {Count(p.Devices)}";
        if (p.Best is null)
        {
            // Why none fits: the nearest miss named with what overflows in it, its memory table (the
            // numbers nested under nearest_miss) and the tally of reasons as a list, not one long line.
            var nearest = p.NearestMiss is { } m ? ViewOf(m) : null;
            var none = $"none of the {Count(p.Evaluated)} layouts fits";
            return new ResultView($"{title}: does not fit", $"{Count(p.Evaluated)} layouts evaluated, none feasible")
            {
                DoesNotFit = nearest?.DoesNotFit is { } state
                    ? state with { Reason = $"{none}; the nearest, {Compact(p.NearestMiss!.Layout)}, {state.Reason}" }
                    : new DoesNotFitView(p.Why!),
                Record = record,
                Tables = nearest?.Tables ?? [],
                Notes = inputNotes,
                Lists = Tally(p),
            };
        }
        // By layout: the planner estimates each front layout again, so the top rows are equal estimates, not the same objects.
        var front = p.ParetoFront.Select(e => e.Layout).ToHashSet();
        var table = new ViewTableBuilder(Number("#"), Text("layout"), Number("step time"), Number("days"), Number("MFU"), Number("memory GB"),
            Number("MWh"), Number("cost"), Text("pareto"), Text("bottleneck"));
        var rank = 0;
        foreach (var e in p.TopK)
        {
            var n = ViewOf(e).Record;
            table.Add(Count(++rank), Compact(e.Layout), n.Number("step_time_s"), n.Number("time_to_train_days"), n.Number("mfu"),
                n.Number("memory_per_device_gb"), n.Number("energy_mwh"), n.Number("cost_usd"), front.Contains(e.Layout) ? "*" : "", e.Bottleneck);
        }
        List<ViewNote> notes = [new("Pareto front of time vs energy", ParetoNote([.. p.ParetoFront.Select(e => ViewOf(e).Record)])), .. inputNotes];
        return new ResultView(title,
            $"{Count(p.Evaluated)} layouts tried, {Count(p.FeasibleCount)} fit, {p.ParetoFront.Count} on the Pareto front; ranked by {p.Objective.ToString().ToLowerInvariant()}")
        {
            Record = record,
            Tables = [table.Build()],
            Notes = notes,
            Lists = Tally(p),
        };
    }

    /// <summary>
    /// The front in one sentence, fastest to most frugal; layouts that read alike (one layout, or
    /// a tie to the digits shown) are one point, not a span "from X to X".
    /// </summary>
    private static ViewPhrase ParetoNote(IReadOnlyList<ViewRecord> front)
    {
        var (first, last) = (front[0], front[^1]);
        var (days, mwh) = (first.Number("time_to_train_days"), first.Number("energy_mwh"));
        if (days.ToString() != last.Number("time_to_train_days").ToString() || mwh.ToString() != last.Number("energy_mwh").ToString())
            return ViewPhrase.Of($"{Count(front.Count, "layout")}, from {days} days / {mwh} MWh (fastest) to {last.Number("time_to_train_days")} days / {last.Number("energy_mwh")} MWh (least energy)");
        return front.Count == 1
            ? ViewPhrase.Of($"one layout, {days} days / {mwh} MWh: it is the fastest and uses the least energy")
            : ViewPhrase.Of($"{Count(front.Count)} layouts tie at {days} days / {mwh} MWh: each is the fastest and uses the least energy");
    }

    private static IReadOnlyList<ViewList> Tally(PlanResult p) =>
        p.InfeasibilityReasons.Count == 0 ? [] : [new("layouts that did not fit, by kind (each quoted by its nearest layout)",
            [.. p.InfeasibilityReasons.Select(r => $"{Count(r.Count, "layout")}, the nearest {Compact(r.Example)}: {r.Reason}")])];
}
