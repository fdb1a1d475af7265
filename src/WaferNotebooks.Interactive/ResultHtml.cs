using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;
using WaferNotebooks.Core;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Timeline;
using static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;
using static WaferNotebooks.Interactive.SummaryCard;

namespace WaferNotebooks.Interactive;

/// <summary>
/// What a result looks like in a notebook: its summary card, then its charts. Used by the
/// #!wafer directive and by the HTML formatters, so display(result) shows the same thing.
/// </summary>
public static class ResultHtml
{
    /// <summary>The HTML of a result, or null for a type this extension does not draw.</summary>
    public static IHtmlContent? Render(object result, bool offline, NotebookSettings settings)
    {
        var charts = ChartRendererLoader.Renderer;
        IHtmlContent? body = result switch
        {
            Estimate e => Wrap(EstimateCard(e), charts.StepBreakdown(e, offline), charts.MemoryBreakdown(e, offline)),
            Comparison c => Wrap(ComparisonTable(c), charts.ComparisonBars(c, offline), charts.ComparisonScatter(c, offline)),
            SweepResult s => Wrap(SweepTable(s), charts.SweepScaling(s, offline), charts.SweepMfu(s, offline)),
            PlanResult p => Wrap(PlanTable(p), charts.PlanScatter(p, offline)),
            StepTimeline t => Wrap(TimelineCard(t), charts.Timeline(t, offline)),
            _ => null,
        };
        if (body is null || !offline || !settings.TakePlotlyInline()) return body;
        return new HtmlString(charts.PlotlyScript() + body);
    }

    private static IHtmlContent Wrap(IHtmlContent card, params string[] charts) =>
        div[@class: "wafer-result"](card, charts.Select(c => div[@class: "wafer-chart"](new HtmlString(c))));

    private static IHtmlContent Table(string[] headers, IEnumerable<string[]> rows) =>
        table[style: "border-collapse:collapse;margin-top:6px;font-size:13px;color:inherit"](
            thead(tr(headers.Select(h => th[style: "text-align:left;padding:3px 10px;border-bottom:" + Border](h)))),
            tbody(rows.Select(r => tr(r.Select(c => td[style: "padding:3px 10px;border-bottom:" + Border](c))))));

    private static IHtmlContent ComparisonTable(Comparison c)
    {
        var rows = c.Estimates.Select(e => new[]
        {
            $"{e.SystemId}:{e.Devices}", e.Feasible ? $"{e.TimeToTrainDays:F1}" : "does not fit", $"{e.EnergyMwh:F0}",
            $"${Units.Si(e.CostUsd)}", $"{e.Co2Tonnes:F0}", $"{e.Mfu:P1}", $"{Units.Si(e.TokensPerSPerDevice)}", e.Bottleneck,
        });
        var winners = new[] { ("fastest", c.Fastest), ("least energy", c.LeastEnergy), ("cheapest", c.Cheapest) }
            .Where(w => w.Item2 is not null).Select(w => $"{w.Item1}: {w.Item2!.SystemId}:{w.Item2.Devices}");
        return Card($"{c.Job.Model.Id}: {c.Estimates.Count} systems compared", $"{Units.Si(c.Job.Tokens)} tokens; layouts chosen for {c.Objective.ToString().ToLowerInvariant()} where not given",
            [Table(["system", "days", "MWh", "cost", "t CO2", "MFU", "tokens/s/device", "bottleneck"], rows)],
            Note("Winners", string.Join("; ", winners)));
    }

    private static IHtmlContent SweepTable(SweepResult s)
    {
        var rows = s.Points.Select(p => new[]
        {
            $"{p.Devices}", p.KnobValue is { } v ? $"{v:G4}" : "", p.Estimate.Feasible ? $"{p.Estimate.TimeToTrainDays:F1}" : p.Estimate.Reason ?? "does not fit",
            $"{Units.Si(p.Estimate.TokensPerS)}", $"{p.Estimate.Mfu:P1}", p.ScalingEfficiency is { } eff ? $"{eff:P0}" : "", p.Estimate.Layout.ToString(),
        });
        return Card($"{s.Job.Model.Id} on {s.SystemId}: {s.Points.Count} points", s.FixedLayout is null ? $"best layout for {s.Objective.ToString().ToLowerInvariant()} at each point" : $"layout {s.FixedLayout}",
            [Table(["devices", s.Knob?.ToString() ?? "", "days", "tokens/s", "MFU", "scaling efficiency", "layout"], rows)]);
    }

    private static IHtmlContent PlanTable(PlanResult p)
    {
        var rows = p.TopK.Select((e, i) => new[]
        {
            $"{i + 1}", e.Layout.ToString(), $"{e.TimeToTrainDays:F1}", $"{e.EnergyMwh:F0}", $"${Units.Si(e.CostUsd)}", $"{e.Mfu:P1}", $"{e.Memory.TotalGb:F1}", e.Bottleneck,
        });
        var notes = p.Why is { } why ? new[] { Note("Nothing fits", why, warning: true) } : [];
        return Card($"Plan: {p.Job.Model.Id} on {p.SystemId} × {p.Devices}",
            $"{p.Evaluated} layouts evaluated, {p.FeasibleCount} feasible, {p.ParetoFront.Count} on the Pareto front; ranked by {p.Objective.ToString().ToLowerInvariant()}",
            [Table(["#", "layout", "days", "MWh", "cost", "MFU", "GB/device", "bottleneck"], rows)], notes);
    }

    private static IHtmlContent TimelineCard(StepTimeline t) =>
        Card($"One step of {t.ModelId} on {t.SystemId}", $"{t.Layout}; {t.Schedule}",
            [Stat("step time", $"{t.StepTimeS * 1e3:G4} ms"), .. t.Lanes.Select(l => Stat(l.Name, $"{l.BusyS * 1e3:G4} ms busy"))]);
}
