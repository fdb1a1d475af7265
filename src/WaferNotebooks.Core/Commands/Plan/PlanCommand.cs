using WaferNotebooks.Core.Charting;
using System.Text.Json.Nodes;
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
        target = target with { System = a.WithRelease(a.WithPowerCap(target.System)) };
        var top = a.One(Top) is { } t ? ValueParsers.ParsePositiveInt(Top.Name, t) : DefaultTop;
        return new PlanRequest(job, target, a.Economics(), a.Objective(), top);
    }

    public override PlanResult Run(PlanRequest r, RunContext context) =>
        Simulator.Plan(r.Job, r.Target.System, r.Target.Devices, r.Economics, r.Objective, r.Top, context.Progress, context.Cancellation);

    public override string? DoesNotFit(PlanResult p) => p.Best is null ? p.Why : null;

    public override IReadOnlyList<string> Charts(PlanResult p, IChartRenderer charts, bool offline) => [charts.PlanScatter(p, offline)];

    public override ResultView View(PlanResult p)
    {
        var title = $"Plan: {p.Job.Model.Id} on {p.SystemId} × {Count(p.Devices)}";
        if (p.Best is null)
            return EstimateView.DoesNotFitView(title, $"{Count(p.Evaluated)} layouts evaluated, none feasible", p.NearestMiss, p.Why!);
        var front = p.ParetoFront.ToHashSet();
        var table = new ViewTableBuilder(Number("#"), Text("layout"), Number("step time"), Number("days"), Number("MFU"), Number("memory GB"),
            Number("MWh"), Number("cost"), Text("pareto"), Text("bottleneck"));
        var rank = 0;
        foreach (var e in p.TopK)
            table.Add((++rank).ToString(System.Globalization.CultureInfo.InvariantCulture), Compact(e.Layout), Duration(e.StepTimeS), Num(e.TimeToTrainDays),
                Percent(e.Mfu), Num(e.Memory.TotalGb), Num(e.EnergyMwh), Usd(e.CostUsd), front.Contains(e) ? "*" : "", e.Bottleneck);
        var notes = new List<ViewNote>
        {
            new("Pareto front of time vs energy", $"{p.ParetoFront.Count} layout(s), from {Num(p.ParetoFront[0].TimeToTrainDays)} days / {Num(p.ParetoFront[0].EnergyMwh)} MWh " +
                $"to {Num(p.ParetoFront[^1].TimeToTrainDays)} days / {Num(p.ParetoFront[^1].EnergyMwh)} MWh"),
        };
        return new ResultView(title,
            $"{Count(p.Evaluated)} layouts tried, {Count(p.FeasibleCount)} fit, {p.ParetoFront.Count} on the Pareto front; ranked by {p.Objective.ToString().ToLowerInvariant()}")
        {
            Tables = [table.Build()],
            Notes = notes,
            Lists = p.InfeasibilityReasons.Count == 0 ? [] : [new("layouts that did not fit", [.. p.InfeasibilityReasons.Select(r => $"{Count(r.Count)} × {r.Reason}")])],
        };
    }

    public override JsonNode Json(PlanResult p) => new JsonObject
    {
        ["model"] = p.Job.Model.Id,
        ["system"] = p.SystemId,
        ["devices"] = p.Devices,
        ["objective"] = ResultJson.Lower(p.Objective),
        ["evaluated"] = p.Evaluated,
        ["feasible"] = p.FeasibleCount,
        ["infeasible"] = p.Infeasible,
        ["why"] = p.Why,
        ["best"] = p.Best is { } b ? ResultJson.Estimate(b) : null,
        ["top"] = ResultJson.Array(p.TopK, ResultJson.Estimate),
        ["pareto_front"] = ResultJson.Array(p.ParetoFront, ResultJson.Estimate),
        ["points"] = ResultJson.Array(p.Points, pt => new JsonObject
        {
            ["layout"] = ResultJson.Layout(pt.Layout),
            ["step_time_s"] = ResultJson.Number(pt.StepTimeS),
            ["time_to_train_days"] = ResultJson.Number(pt.TimeToTrainDays),
            ["energy_mwh"] = ResultJson.Number(pt.EnergyMwh),
            ["cost_usd"] = ResultJson.Number(pt.CostUsd),
            ["tokens_per_s"] = ResultJson.Number(pt.TokensPerS),
            ["mfu"] = ResultJson.Number(pt.Mfu),
            ["memory_per_device_gb"] = ResultJson.Number(pt.MemoryPerDeviceGb),
            ["on_pareto_front"] = pt.OnParetoFront,
        }),
        ["infeasibility_reasons"] = ResultJson.Array(p.InfeasibilityReasons, r => new JsonObject
        {
            ["reason"] = r.Reason,
            ["count"] = r.Count,
            ["example_layout"] = ResultJson.Layout(r.Example),
        }),
        ["nearest_miss"] = p.NearestMiss is { } miss ? ResultJson.Estimate(miss) : null,
    };
}
