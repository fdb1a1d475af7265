using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;
using WaferNotebooks.Core;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Validation.Calibration;
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
    public static IHtmlContent? Render(object result, bool offline)
    {
        var charts = ChartRendererLoader.Renderer;
        IHtmlContent? body = result switch
        {
            Estimate { Feasible: false } e => Wrap(DoesNotFitCard($"{e.ModelId} on {e.SystemId} × {e.Devices}", EstimateSubtitle(e), e.Reason ?? "the layout does not fit", e.Memory, e.Layout)),
            Estimate e => Wrap(EstimateCard(e), charts.StepBreakdown(e, offline), charts.MemoryBreakdown(e, offline)),
            // Charts only of what can run: a system, count or plan that does not fit is a marked gap or a card, never a bar.
            Comparison c when c.Estimates.All(e => !e.Feasible) => Wrap(ComparisonTable(c)),
            Comparison c => Wrap(ComparisonTable(c), charts.ComparisonBars(c, offline), charts.ComparisonScatter(c, offline)),
            SweepResult s => Wrap(SweepTable(s), [charts.SweepScaling(s, offline), charts.SweepMfu(s, offline), .. s.HasGoodput ? [charts.SweepGoodput(s, offline)] : Array.Empty<string>()]),
            PlanResult { Best: null } p => Wrap(DoesNotFitCard($"Plan: {p.Job.Model.Id} on {p.SystemId} × {p.Devices}",
                $"{p.Evaluated:N0} layouts evaluated, none feasible", p.Why!, p.NearestMiss?.Memory, p.NearestMiss?.Layout)),
            PlanResult p => Wrap(PlanTable(p), charts.PlanScatter(p, offline)),
            StepTimeline { DoesNotFit: { } why } t => Wrap(DoesNotFitCard($"One step of {t.ModelId} on {t.SystemId}", t.Layout, why)),
            StepTimeline t => Wrap(TimelineCard(t), charts.Timeline(t, offline)),
            ValidationReport v => Wrap(ValidationCard(v), charts.ValidationParity(v, offline)),
            CrossValidationReport cv => Wrap(CrossValidationCard(cv), charts.ValidationParity(cv.OutOfGroup with { Source = cv.OutOfGroup.Source + ", cross-validated" }, offline)),
            CalibrationResult c => Wrap(CalibrationCard(c)),
            CatalogListing c => div[@class: "wafer-result"](c.Tables().Select(CatalogCard)),
            _ => null,
        };
        // Each offline output carries plotly.js itself, so it draws after any other cell is re-run
        // or the saved notebook is reopened; charts already on the page skip unpacking it.
        if (body is null || !offline || result is CatalogListing) return body;
        return new HtmlString(charts.PlotlyBundle() + body);
    }

    private static IHtmlContent Wrap(IHtmlContent card, params string[] charts) =>
        div[@class: "wafer-result"](card, charts.Select(c => div[@class: "wafer-chart"](new HtmlString(c))));

    /// <summary>Sorts a table by the clicked column (numbers numerically), toggling the direction; defined once per page.</summary>
    private const string SortScript =
        "window.waferSort=window.waferSort||function(th){var t=th.closest('table'),i=Array.prototype.indexOf.call(th.parentNode.children,th)," +
        "b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=th.getAttribute('data-asc')!=='1';th.setAttribute('data-asc',asc?'1':'0');" +
        "function num(s){var n=parseFloat(s.replace(/[^0-9.eE+-]/g,''));return isNaN(n)?null:n;}" +
        "rows.sort(function(a,c){var x=a.cells[i].innerText,y=c.cells[i].innerText,nx=num(x),ny=num(y);" +
        "var r=(nx!==null&&ny!==null)?nx-ny:x.localeCompare(y);return asc?r:-r;});rows.forEach(function(r){b.appendChild(r);});};";

    /// <summary>
    /// A table whose columns sort on a click on their header. It scrolls sideways inside its card
    /// rather than squeezing columns: cells do not wrap, numbers sit right-aligned, and text longer
    /// than <see cref="MaxCellChars"/> is cut with an ellipsis, the full text in its title.
    /// </summary>
    private static IHtmlContent Table(string[] headers, IEnumerable<string[]> rows)
    {
        var body = rows.ToList();
        var numeric = headers.Select((_, i) => body.All(r => r[i].Length == 0 || NumberCell.IsMatch(r[i])) && body.Any(r => r[i].Length > 0)).ToArray();
        string Align(int i) => numeric[i] ? "text-align:right;" : "text-align:left;";
        return div[style: "overflow-x:auto;max-width:100%"](script(new HtmlString(SortScript)),
            table[style: "border-collapse:collapse;margin-top:6px;font-size:13px;color:inherit"](
                thead(tr(headers.Select((h, i) => th[style: Align(i) + CellStyle + "cursor:pointer", onclick: "waferSort(this)", title: "sort"](h)))),
                tbody(body.Select(r => tr(r.Select((c, i) => TableCell(c, Align(i))))))));
    }

    private const string CellStyle = "padding:3px 10px;vertical-align:top;white-space:nowrap;border-bottom:" + Border + ";";
    private const int MaxCellChars = 72;

    /// <summary>A figure as these tables print them: 12.3, +4.5%, $1.2M, 3.4K.</summary>
    private static readonly Regex NumberCell = new(@"^[+\-$]?\d[\d.,]*(?:[eE][+\-]?\d+)?\s?[%KMBT]?$");

    private static IHtmlContent TableCell(string text, string align) => text.Length <= MaxCellChars
        ? td[style: align + CellStyle](text)
        : td[style: align + CellStyle + "max-width:" + MaxCellChars / 2 + "em;overflow:hidden;text-overflow:ellipsis", title: text](text);

    private static IHtmlContent ValidationCard(ValidationReport v)
    {
        var s = v.Summary;
        var rows = v.Rows.Select(r => new[]
        {
            r.Id, r.Metric, $"{r.SystemId}:{r.Devices}", $"{r.Measured:G4}", r.Predicted is { } p ? $"{p:G4}" : "",
            r.PredictedLow is { } lo && r.PredictedHigh is { } hi ? $"{lo:G4} – {hi:G4}" : "",
            r.InsideRange switch { true => "yes", false => $"no ({r.OutsideRange:0.0%} out)", null => "" },
            r.Error is { } e ? $"{e:+0.0%;-0.0%}" : "",
            r.Skipped ? $"skipped: {r.Reason}" : r.Layout, string.Join(", ", r.Assumed ?? []),
        });
        return Card($"Validation: {v.Source}", $"{s.Count} rows, {s.Skipped} skipped; absolute relative error mean {s.MeanAbsError:P1}, median {s.MedianAbsError:P1}, p90 {s.P90AbsError:P1}, max {s.MaxAbsError:P1}; " +
            $"{s.Coverage:P0} of measurements inside their range, median range width {s.MedianRelativeWidth:P1}, farthest outside {s.MaxOutsideRange:P1}",
            [Table(["id", "metric", "system", "measured", "predicted", "range", "inside", "error", "layout / note", "open knobs"], rows)]);
    }

    private static string Summary(ValidationSummary s) =>
        $"mean {s.MeanAbsError:P1}, median {s.MedianAbsError:P1}, p90 {s.P90AbsError:P1}, max {s.MaxAbsError:P1}";

    private static IHtmlContent CrossValidationCard(CrossValidationReport cv)
    {
        var rows = cv.InSample.Rows.Select((r, i) => (r, x: cv.OutOfGroup.Rows[i], g: cv.RowGroups[i])).Where(t => !t.r.Skipped).Select(t => new[]
        {
            t.r.Id, t.g, t.r.Metric, $"{t.r.Measured:G4}", t.r.Predicted is { } p ? $"{p:G4}" : "", t.r.Error is { } e ? $"{e:+0.0%;-0.0%}" : "",
            t.x.Predicted is { } q ? $"{q:G4}" : "", t.x.Error is { } f ? $"{f:+0.0%;-0.0%}" : "",
        });
        var folds = cv.Folds.Where(f => f.Refit.Count + f.Uncalibrated.Count > 0)
            .Select(f => $"{f.Group}: " + string.Join("; ", f.Refit.Select(v => $"{v.Accelerator} {v.Constant} {v.Value:G4}").Concat(f.Uncalibrated.Select(u => $"{u} uncalibrated"))));
        return Card($"Cross-validation: {cv.InSample.Source}, leaving out one {cv.By} at a time",
            $"|error| in-sample {Summary(cv.InSample.Summary)}; cross-validated {Summary(cv.OutOfGroup.Summary)}",
            [Table(["id", cv.By, "metric", "measured", "in-sample", "error", "cross-validated", "error"], rows)],
            [Note("Refitted without each group", string.Join(" | ", folds.DefaultIfEmpty("no group held out a calibration row"))), .. cv.Notes.Select(n => Note("Note", n))]);
    }

    private static IHtmlContent CalibrationCard(CalibrationResult c)
    {
        var rows = c.Fit.Values.Select(v => new[]
        {
            v.Framework is { } fw ? $"{v.Accelerator}/{fw}" : v.Accelerator, v.Constant, $"{v.Previous:G4}", $"{v.Value:G4}", $"{v.Rows.Count}",
            $"{v.Before.MeanAbsError:P1}", $"{v.After.MeanAbsError:P1}", string.Join(", ", v.Rows),
        });
        return Card($"Calibration: {string.Join(", ", c.Fit.Fit)} by {c.Fit.By}",
            c.Written is { } path ? $"written to {path}; load it with --catalog {path}" : "not written (give --out FILE)",
            [Table(["group", "constant", "was", "fitted", "rows", "|error| before", "after", "fitted to"], rows)],
            [.. c.Notes.Select(n => Note("Note", n)), .. c.Unused.GroupBy(u => u.Reason).Select(g => Note($"Not used ({g.Count()})", $"{g.Key}: {string.Join(", ", g.Select(u => u.Id))}"))]);
    }

    private static IHtmlContent CatalogCard(CatalogTable t) =>
        Card(t.Title, $"{t.Rows.Count} entries; click a header to sort",
            [Table(t.Columns.Select(c => c.Header).ToArray(), t.Rows.Select(r => r.Select(Cell).ToArray()))]);

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G4"),
        _ => value.ToString() ?? "",
    };

    private static IHtmlContent ComparisonTable(Comparison c)
    {
        var rows = c.Estimates.Select(e => e.Feasible
            ? new[]
            {
                $"{e.SystemId}:{e.Devices}", $"{e.TimeToTrainDays:F1}", $"{e.EnergyMwh:F0}",
                $"${SignificantFigures.Scaled(e.CostUsd)}", $"{e.Co2Tonnes:F0}", $"{e.Mfu:P1}", $"{SignificantFigures.Scaled(e.TokensPerSPerDevice)}", e.Bottleneck,
            }
            : [$"{e.SystemId}:{e.Devices}", "", "", "", "", "", "", "does not fit: " + e.Reason]);
        var winners = new[] { ("fastest", c.Fastest), ("least energy", c.LeastEnergy), ("cheapest", c.Cheapest) }
            .Where(w => w.Item2 is not null).Select(w => $"{w.Item1}: {w.Item2!.SystemId}:{w.Item2.Devices}");
        return Card($"{c.Job.Model.Id}: {c.Estimates.Count} systems compared", $"{SignificantFigures.Scaled(c.Job.Tokens)} tokens; layouts chosen for {c.Objective.ToString().ToLowerInvariant()} where not given",
            [Table(["system", "days", "MWh", "cost", "t CO2", "MFU", "tokens/s/device", "bottleneck"], rows)],
            Note("Winners", string.Join("; ", winners)));
    }

    private static IHtmlContent SweepTable(SweepResult s)
    {
        // A point that does not fit has no throughput or MFU: its row says why instead.
        var rows = s.Points.Select(p => p.Estimate.Feasible
            ? new[]
            {
                $"{p.Devices}", p.KnobValue is { } v ? $"{v:G4}" : "", $"{p.Estimate.TimeToTrainDays:F1}",
                $"{SignificantFigures.Scaled(p.Estimate.TokensPerS)}", $"{p.Estimate.Mfu:P1}", p.ScalingEfficiency is { } eff ? $"{eff:P0}" : "", p.Estimate.Layout.ToString(),
            }
            : [$"{p.Devices}", p.KnobValue is { } k ? $"{k:G4}" : "", "", "", "", "", "does not fit: " + (p.Estimate.Reason ?? "no layout fits")]);
        var notes = s.Skipped.Count == 0 ? [] : new[]
        {
            Note($"Skipped {s.Skipped.Count} point(s) no layout can use", string.Join("; ", s.Skipped.Take(5).Select(k => $"{k.Devices:N0}: {k.Reason}")) + (s.Skipped.Count > 5 ? "; …" : "")),
        };
        return Card($"{s.Job.Model.Id} on {s.SystemId}: {s.Points.Count} points", s.FixedLayout is null ? $"best layout for {s.Objective.ToString().ToLowerInvariant()} at each point" : $"layout {s.FixedLayout}",
            [Table(["devices", s.Knob?.ToString() ?? "", "days", "tokens/s", "MFU", "scaling efficiency", "layout"], rows)], notes);
    }

    private static IHtmlContent PlanTable(PlanResult p)
    {
        var rows = p.TopK.Select((e, i) => new[]
        {
            $"{i + 1}", e.Layout.ToString(), $"{e.TimeToTrainDays:F1}", $"{e.EnergyMwh:F0}", $"${SignificantFigures.Scaled(e.CostUsd)}", $"{e.Mfu:P1}", $"{e.Memory.TotalGb:F1}", e.Bottleneck,
        });
        var notes = p.Why is { } why ? new[] { Note("Nothing fits", why, warning: true) } : [];
        return Card($"Plan: {p.Job.Model.Id} on {p.SystemId} × {p.Devices}",
            $"{p.Evaluated} layouts evaluated, {p.FeasibleCount} feasible, {p.ParetoFront.Count} on the Pareto front; ranked by {p.Objective.ToString().ToLowerInvariant()}",
            [Table(["#", "layout", "days", "MWh", "cost", "MFU", "GB/device", "bottleneck"], rows)], notes);
    }

    private static IHtmlContent TimelineCard(StepTimeline t) =>
        Card($"One step of {t.ModelId} on {t.SystemId}", $"{t.Layout}; {t.Schedule}",
            [Stat("step time", Units.Duration(t.StepTimeS)), .. t.Lanes.Select(l => Stat(l.Name, $"{Units.Duration(l.BusyS)} busy"))]);
}
