using WaferNotebooks.Core.Charting;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Results;
using static WaferNotebooks.Core.Commands.CommandGrammar;
using static WaferNotebooks.Core.Commands.ValueText;
using static WaferNotebooks.Core.Commands.ViewTableBuilder;

namespace WaferNotebooks.Core.Commands;

/// <summary><c>compare</c>: one job on several systems side by side, with the winner on each metric.</summary>
public sealed class CompareCommand : Subcommand<CompareRequest, Comparison>
{
    public static CompareCommand Instance { get; } = new();

    public override SubcommandSpec Spec { get; } = new("compare",
        "Run one job on several systems (--on repeated) and compare them side by side.",
        "compare --model llama2-70b --tokens 2T --on dgx-h100:512 --on dgx-a100-80gb:1024 --on cs-3:16",
        [.. JobOptions, OnRepeated, Layout, Objective, .. EconomicOptions, .. PhysicsOptions, .. SharedOptions]);

    public override CompareRequest Parse(RequestArgs a)
    {
        var job = a.Job();
        var layout = a.LayoutSpec();
        var targets = a.All(OnRepeated)
            .Select(text => a.Target(text, layout))
            .ToList();
        // The same system twice is the same estimate twice, and a tie for every winner.
        if (targets.GroupBy(t => (t.System.Id, t.Devices)).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new WaferInputException($"{OnRepeated.Name} {twice.Key.Id}:{twice.Key.Devices} is given {twice.Count()} times; compare each system once, or vary the device count with sweep");
        var compared = targets
            .Select(t => new ComparisonTarget(a.WithRelease(a.WithPowerCap(t.System, gpuClassOnly: true), wafersOnly: true), t.Devices, layout?.Resolve(t.Devices, job, t.System)))
            .ToList();
        a.RefuseGpuSoftware([.. targets.Select(t => t.System)]);
        a.RefuseInterruptionOptions([.. targets.Select(t => t.System)]);
        if (a.One(PowerCap) is { } cap && targets.All(t => t.System is not GpuCluster))
            throw new WaferInputException($"{PowerCap.Name} {cap}: none of the compared systems is GPU-class; wafer-scale systems have no user power limit");
        if (a.One(Release) is { } release && targets.All(t => t.System is not WaferCluster))
            throw new WaferInputException($"{Release.Name} {release}: none of the compared systems is wafer-scale; GPU-class systems take {Framework.Name}");
        return new CompareRequest(job, compared, a.Economics(), a.Objective());
    }

    public override Comparison Run(CompareRequest r, RunContext context)
    {
        var comparison = Comparison.Run(r.Job, r.Targets, r.Economics, r.Objective, context.Progress, context.Cancellation);
        return comparison with
        {
            Estimates = [.. comparison.Estimates.Select((e, i) => InputNotes.Add(
                RangedEstimate.WithRanges(e, r.Job, r.Targets[i].System, r.Economics, compilerChooses: r.Targets[i].Layout is null), r, r.Targets[i].System, r.Economics))],
        };
    }

    public override string? DoesNotFit(Comparison c) =>
        c.Estimates.All(e => !e.Feasible) ? "no system of the comparison can run the job" : null;

    /// <summary>Charts only of what can run: a system that does not fit is a marked gap, never a bar.</summary>
    public override IReadOnlyList<ChartFigure> Figures(Comparison c, IChartRenderer charts) => charts.Comparison(c);

    /// <summary>A row per system from that system's own estimate view (nested under <c>estimates</c>), so its numbers are the ones estimate shows.</summary>
    public override ResultView View(Comparison c)
    {
        var views = c.Estimates.Select(e => EstimateView.For(e)).ToList();
        var table = new ViewTableBuilder(Text("system"), Number("devices"), Text("layout"), Ranged("days"), Number("tokens/s/device"), Number("MFU"),
            Ranged("MWh"), Ranged("cost"), Ranged("t CO2"), Text("feasible"), Text("bottleneck"));
        foreach (var (e, v) in c.Estimates.Zip(views))
            if (e.Feasible)
                table.Add(e.SystemId, Count(e.Devices), Compact(e.Layout), v.Record.Number("time_to_train_days"), v.Record.Number("tokens_per_s_per_device"),
                    v.Record.Number("mfu"), v.Record.Number("energy_mwh"), v.Record.Number("cost_usd"), v.Record.Number("co2_t"), "yes", e.Bottleneck);
            else
                table.Add(e.SystemId, Count(e.Devices), Compact(e.Layout), null, null, null, null, null, null, "no: " + e.Reason, null);
        var winners = new[] { ("fastest", c.Fastest), ("least energy", c.LeastEnergy), ("cheapest", c.Cheapest), ("least CO2", c.LeastCo2) }
            .Select(w => $"{w.Item1}: {(w.Item2 is { } e ? $"{e.SystemId}:{e.Devices}" : "none feasible")}");
        return new ResultView($"{c.Job.Model.Id}: {Count(c.Estimates.Count, "system")} compared",
            $"{Scaled(c.Job.Tokens)} tokens, batch {Count(c.Job.GlobalBatchSeqs)} × {Count(c.Job.SeqLen)}, {c.Job.Precision.ToString().ToLowerInvariant()}; " +
            $"layouts chosen for {c.Objective.ToString().ToLowerInvariant()} where not given")
        {
            DoesNotFit = DoesNotFit(c) is { } why ? new DoesNotFitView(why) : null,
            Record = new()
            {
                ["model"] = c.Job.Model.Id,
                ["objective"] = ViewValue.SnakeCase(c.Objective),
                ["estimates"] = ViewArray.Of(views, v => new NestedView(v)),
                ["best"] = Winner(c.Best(c.Objective)),
                ["fastest"] = Winner(c.Fastest),
                ["least_energy"] = Winner(c.LeastEnergy),
                ["cheapest"] = Winner(c.Cheapest),
                ["least_co2"] = Winner(c.LeastCo2),
                ["input_notes"] = ViewValue.Strings(InputNotes.Distinct(c.Estimates)),
            },
            Tables = [table.Build()],
            Notes = [new("Winners", string.Join("; ", winners)), .. ViewNote.Warnings(InputNotes.Distinct(c.Estimates))],
        };
    }

    private static ViewColumn Ranged(string header) => Number(header) with { WithRanges = true };

    private static ViewRecord? Winner(Estimate? e) => e is null ? null : new() { ["system"] = e.SystemId, ["devices"] = e.Devices };
}
