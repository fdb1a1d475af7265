using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Uncertainty;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Validation.Calibration;
using static WaferNotebooks.Cli.Units;

namespace WaferNotebooks.Cli;

/// <summary>The human-readable form of each result, for a terminal: headline figures, then aligned tables.</summary>
internal static class TextReport
{
    public static void Write(object result, TextWriter o)
    {
        switch (result)
        {
            case Estimate e: WriteEstimate(e, o); break;
            case Comparison c: WriteComparison(c, o); break;
            case SweepResult s: WriteSweep(s, o); break;
            case PlanResult p: WritePlan(p, o); break;
            case CatalogListing l: WriteCatalog(l, o); break;
            case StepTimeline t: WriteTimeline(t, o); break;
            case ValidationReport v: WriteValidation(v, o); break;
            case CrossValidationReport cv: WriteCrossValidation(cv, o); break;
            case CalibrationResult c: WriteCalibration(c, o); break;
            default: throw new ArgumentException($"No text form for {result.GetType().Name}.", nameof(result));
        }
    }

    private static void WriteEstimate(Estimate e, TextWriter o)
    {
        var r = e.Ranges;
        o.WriteLine($"{e.ModelId} on {e.Devices:N0} × {e.SystemId} ({e.DeviceName}), {e.ExecutionMode}");
        o.WriteLine();
        if (!e.Feasible)
        {
            WriteDoesNotFit(e, o);
            return;
        }
        var facts = new List<(string, string)>
        {
            ("layout", e.Layout.ToString()),
            ("job", $"{Scaled(e.Job.Tokens)} tokens, batch {e.Job.GlobalBatchSeqs:N0} × {e.Job.SeqLen:N0} = {Scaled(e.Job.TokensPerStep)} tokens, {e.Job.Precision.ToString().ToLowerInvariant()}, {Scaled(e.Job.Steps)} steps"),
            ("feasible", e.Feasible ? "yes" : $"no: {e.Reason}"),
            ("time to train", RangeText.Format(e.TimeToTrainDays, r?.TimeToTrainDays, "days") + " without interruptions"),
            ("with downtime", e.Goodput is { } g
                ? (g.Share > 0 ? $"{Num(g.DaysWithDowntime)} days: goodput {Percent(g.Share)}, {Num(g.ExpectedInterruptions)} interruptions expected"
                    : "never finishes: interruptions come faster than checkpoints save work")
                : "not modelled (no failure rate for this system)"),
            ("step time", WithRange(e.StepTimeS, r?.StepTimeS, Seconds)),
            ("throughput", WithRange(e.TokensPerS, r?.TokensPerS, Scaled, " tokens/s") + $", {Num(e.TokensPerSPerDevice)} per device"),
            ("MFU / HFU", $"{Percent(e.Mfu)} / {Percent(e.Hfu)}"),
            ("TFLOP/s per device", $"{Num(e.ModelTflopsPerDevice)} model, {Num(e.HardwareTflopsPerDevice)} hardware"),
            ("memory per device", $"{Num(e.Memory.TotalGb)} of {Num(e.Memory.CapacityGb)} GB {e.Memory.Where}"),
            ("device-hours", Num(e.DeviceHours)),
            ("average power", $"{Num(e.AveragePowerKw)} kW"),
            ("energy", RangeText.WithChoices(RangeText.Format(e.EnergyMwh, r?.EnergyMwh, "MWh"), r?.Choices?.EnergyMwh)),
            ("cost", RangeText.WithChoices(WithRange(e.CostUsd, r?.CostUsd, Usd), r?.Choices?.CostUsd, Usd)),
            ("CO2", RangeText.WithChoices(RangeText.Format(e.Co2Tonnes, r?.Co2Tonnes, "t"), r?.Choices?.Co2Tonnes)),
            ("bottleneck", e.Bottleneck),
        };
        var width = facts.Max(f => f.Item1.Length);
        foreach (var (name, value) in facts)
            o.WriteLine($"{name.PadRight(width)}  {value}");

        o.WriteLine();
        var step = new TextTable("step part", "time", "share", "what");
        foreach (var p in e.Breakdown.Parts)
            step.Add(p.Name, Seconds(p.Seconds), Percent(e.StepTimeS > 0 ? p.Seconds / e.StepTimeS : double.NaN), p.Description);
        step.Write(o);

        o.WriteLine();
        var memory = new TextTable("memory part", "GB", "what");
        foreach (var p in e.Memory.Parts)
            memory.Add(p.Name, Num(p.Gb), p.Description);
        memory.Write(o);

        if (e.Sensitivities is { Count: > 0 } sensitivities)
        {
            o.WriteLine();
            var table = new TextTable("uncertain input", "low", "nominal", "high", "days at low", "days at high");
            foreach (var s in sensitivities.OrderByDescending(s => s.Swing))
                table.Add(s.Parameter, Num(s.LowValue), Num(s.NominalValue), Num(s.HighValue), Num(s.DaysAtLow), Num(s.DaysAtHigh));
            table.Write(o);
        }

        o.WriteLine();
        o.WriteLine("assumptions");
        foreach (var a in e.Assumptions)
            o.WriteLine($"  - {a}");
        if (r is not null)
            o.WriteLine($"  - ranges: {r.Method}");
    }

    /// <summary>
    /// A job that does not fit has no time, throughput, energy or cost: the reason, the part of
    /// memory that overflows, what would shrink it, and the memory table.
    /// </summary>
    private static void WriteDoesNotFit(Estimate e, TextWriter o)
    {
        o.WriteLine($"does not fit: {e.Reason}");
        o.WriteLine($"layout        {e.Layout}");
        if (e.Memory is { Parts.Count: > 0 } m && !m.Fits)
        {
            var largest = MemoryHints.Largest(m);
            o.WriteLine($"overflows     {Num(m.TotalGb)} GB per device of {Num(m.CapacityGb)} GB {m.Where}; largest part: {largest.Name} {Num(largest.Gb)} GB");
            o.WriteLine("to make it fit");
            foreach (var hint in MemoryHints.For(largest.Name, e.Layout))
                o.WriteLine($"  - {hint}");
            o.WriteLine();
            var memory = new TextTable("memory part", "GB", "what");
            foreach (var p in m.Parts)
                memory.Add(p.Name, Num(p.Gb), p.Description);
            memory.Write(o);
        }
    }

    private static void WriteComparison(Comparison c, TextWriter o)
    {
        o.WriteLine($"{c.Job.Model.Id}: {Scaled(c.Job.Tokens)} tokens, batch {c.Job.GlobalBatchSeqs:N0} × {c.Job.SeqLen:N0}, {c.Job.Precision.ToString().ToLowerInvariant()}");
        o.WriteLine();
        var table = new TextTable("system", "devices", "layout", "days", "tokens/s/device", "MFU", "MWh", "cost", "t CO2", "feasible");
        foreach (var e in c.Estimates)
            if (!e.Feasible)
                table.Add(e.SystemId, e.Devices.ToString("N0"), Compact(e.Layout), null, null, null, null, null, null, "no: " + e.Reason);
            else
                table.Add(e.SystemId, e.Devices.ToString("N0"), Compact(e.Layout),
                RangeText.Format(e.TimeToTrainDays, e.Ranges?.TimeToTrainDays), Num(e.TokensPerSPerDevice), Percent(e.Mfu),
                RangeText.Format(e.EnergyMwh, e.Ranges?.EnergyMwh), WithRange(e.CostUsd, e.Ranges?.CostUsd, Usd),
                RangeText.Format(e.Co2Tonnes, e.Ranges?.Co2Tonnes), e.Feasible ? "yes" : "no: " + e.Reason);
        table.Write(o);
        o.WriteLine();
        foreach (var (what, winner) in new[] { ("fastest", c.Fastest), ("least energy", c.LeastEnergy), ("cheapest", c.Cheapest), ("least CO2", c.LeastCo2) })
            o.WriteLine($"{what,-13} {(winner is null ? "none feasible" : $"{winner.SystemId} × {winner.Devices:N0}")}");
    }

    private static void WriteSweep(SweepResult s, TextWriter o)
    {
        o.WriteLine($"{s.Job.Model.Id} on {s.SystemId}: {Scaled(s.Job.Tokens)} tokens, " +
                    (s.FixedLayout is null ? $"best layout by {s.Objective.ToString().ToLowerInvariant()} at each count" : $"layout {s.FixedLayout} with dp growing"));
        o.WriteLine();
        var headers = new List<string> { "devices" };
        if (s.Knob is { } knob) headers.Add(KnobHeader(knob));
        headers.AddRange(["layout", "step time", "tokens/s", "tokens/s/device", "scaling eff.", "MFU", "days", "MWh"]);
        var table = new TextTable([.. headers]);
        foreach (var p in s.Points)
        {
            var e = p.Estimate;
            var cells = new List<string?> { p.Devices.ToString("N0") };
            if (s.Knob is not null) cells.Add(p.KnobValue is { } v ? Scaled(v) : null);
            // A point that does not fit has no throughput, MFU, time or energy.
            if (e.Feasible)
                cells.AddRange([Compact(e.Layout), Seconds(e.StepTimeS), Scaled(e.TokensPerS), Num(e.TokensPerSPerDevice),
                    p.ScalingEfficiency is { } eff ? Percent(eff) : null, Percent(e.Mfu), Num(e.TimeToTrainDays), Num(e.EnergyMwh)]);
            else
                cells.AddRange(["does not fit", null, null, null, null, null, null, null]);
            table.Add([.. cells]);
        }
        table.Write(o);
        foreach (var p in s.Points.Where(p => !p.Estimate.Feasible))
            o.WriteLine($"{p.Devices:N0} devices: does not fit: {p.Estimate.Reason}");
        foreach (var k in s.Skipped)
            o.WriteLine($"{k.Devices:N0} devices{(k.KnobValue is { } v ? $" at {Scaled(v)}" : "")}: skipped: {k.Reason}");
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

    private static void WritePlan(PlanResult p, TextWriter o)
    {
        o.WriteLine($"{p.Job.Model.Id} on {p.Devices:N0} × {p.SystemId}: {p.Evaluated:N0} layouts tried, {p.FeasibleCount:N0} fit; best by {p.Objective.ToString().ToLowerInvariant()}");
        o.WriteLine();
        if (p.Best is null)
        {
            o.WriteLine(p.Why);
            return;
        }
        var front = p.ParetoFront.ToHashSet();
        var table = new TextTable("#", "layout", "step time", "days", "MFU", "memory GB", "MWh", "cost", "pareto");
        var rank = 0;
        foreach (var e in p.TopK)
            table.Add((++rank).ToString(), Compact(e.Layout), Seconds(e.StepTimeS), Num(e.TimeToTrainDays), Percent(e.Mfu),
                Num(e.Memory.TotalGb), Num(e.EnergyMwh), Usd(e.CostUsd), front.Contains(e) ? "*" : "");
        table.Write(o);
        o.WriteLine();
        o.WriteLine($"Pareto front of time vs energy: {p.ParetoFront.Count} layout(s), from {Num(p.ParetoFront[0].TimeToTrainDays)} days / {Num(p.ParetoFront[0].EnergyMwh)} MWh to {Num(p.ParetoFront[^1].TimeToTrainDays)} days / {Num(p.ParetoFront[^1].EnergyMwh)} MWh");
        if (p.InfeasibilityReasons.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("layouts that did not fit:");
            foreach (var r in p.InfeasibilityReasons)
                o.WriteLine($"  {r.Count,6:N0} × {r.Reason}");
        }
    }

    private static void WriteCatalog(CatalogListing listing, TextWriter o)
    {
        var first = true;
        foreach (var t in listing.Tables())
        {
            if (!first) o.WriteLine();
            first = false;
            o.WriteLine($"{t.Title} ({t.Rows.Count})");
            var table = new TextTable([.. t.Columns.Select(c => c.Header)]);
            foreach (var row in t.Rows)
                table.Add([.. row.Select(Cell)]);
            table.Write(o);
        }
    }

    private static string? Cell(object? cell) => cell switch
    {
        null => null,
        double d => Num(d),
        int i => i.ToString("N0"),
        _ => cell.ToString(),
    };

    private static void WriteValidation(ValidationReport v, TextWriter o)
    {
        o.WriteLine($"{v.Source}: {v.Rows.Count} rows");
        o.WriteLine();
        var table = new TextTable("id", "metric", "measured", "predicted", "low", "high", "inside", "error", "devices", "layout", "open knobs");
        foreach (var r in v.Rows.Where(r => !r.Skipped))
            table.Add(r.Id, r.Metric, Num(r.Measured), r.Predicted is { } p ? Num(p) : null,
                r.PredictedLow is { } lo ? Num(lo) : null, r.PredictedHigh is { } hi ? Num(hi) : null,
                r.InsideRange switch { true => "yes", false => $"no ({Percent(r.OutsideRange!.Value)} out)", null => null },
                r.Error is { } e ? (e >= 0 ? "+" : "") + Percent(e) : null, r.Devices.ToString("N0"), Compact(r.Layout),
                r.Assumed is { Count: > 0 } open ? string.Join(",", open) : "-");
        table.Write(o);
        WriteSkipped(v, o);
        o.WriteLine();
        foreach (var (name, part) in new[] { ("all rows", v), ("throughput rows", v.Throughput) })
            o.WriteLine($"{name}: {SummaryText(part.Summary)}");
    }

    private static void WriteSkipped(ValidationReport v, TextWriter o)
    {
        var skipped = v.Rows.Where(r => r.Skipped).ToList();
        if (skipped.Count == 0) return;
        o.WriteLine();
        o.WriteLine("skipped:");
        foreach (var r in skipped)
            o.WriteLine($"  {(r.Id.Length > 0 ? r.Id : $"line {r.Line}")}: {r.Reason}");
    }

    private static string SummaryText(ValidationSummary s) =>
        $"{s.Count - s.Skipped} predicted, {s.Skipped} skipped; |error| mean {Percent(s.MeanAbsError)}, median {Percent(s.MedianAbsError)}, p90 {Percent(s.P90AbsError)}, max {Percent(s.MaxAbsError)}; " +
        $"coverage {Percent(s.Coverage)} inside their range, median range width {Percent(s.MedianRelativeWidth)}, farthest outside {Percent(s.MaxOutsideRange)}";

    private static string Signed(double? e) => e is { } x ? (x >= 0 ? "+" : "") + Percent(x) : Missing;

    private static void WriteCrossValidation(CrossValidationReport cv, TextWriter o)
    {
        o.WriteLine($"{cv.InSample.Source}: {cv.InSample.Rows.Count} rows, cross-validated leaving out one {cv.By} at a time");
        o.WriteLine();
        var table = new TextTable("id", "group", "metric", "measured", "in-sample", "error", "cross-validated", "error");
        for (var i = 0; i < cv.InSample.Rows.Count; i++)
        {
            var (r, x) = (cv.InSample.Rows[i], cv.OutOfGroup.Rows[i]);
            if (r.Skipped) continue;
            table.Add(r.Id, cv.RowGroups[i], r.Metric, Num(r.Measured), r.Predicted is { } p ? Num(p) : null, Signed(r.Error),
                x.Predicted is { } q ? Num(q) : null, Signed(x.Error));
        }
        table.Write(o);
        WriteSkipped(cv.InSample, o);
        o.WriteLine();
        o.WriteLine("refitted without each group:");
        foreach (var f in cv.Folds)
            o.WriteLine($"  {f.Group} ({f.Rows} rows): " + (f.Refit.Count + f.Uncalibrated.Count == 0
                ? "no calibration used these rows; predictions as in-sample"
                : string.Join("; ", f.Refit.Select(v => $"{v.Accelerator}{(v.Framework is { } fw ? "/" + fw : "")} {v.Constant} {v.Value:G4} ({v.Rows.Count} rows)")
                    .Concat(f.Uncalibrated.Select(u => $"{u} uncalibrated (no rows left)")))));
        foreach (var note in cv.Notes)
            o.WriteLine($"note: {note}");
        o.WriteLine();
        foreach (var (name, inSample, outside) in new[] { ("all rows", cv.InSample, cv.OutOfGroup), ("throughput rows", cv.InSample.Throughput, cv.OutOfGroup.Throughput) })
        {
            o.WriteLine($"{name}, in-sample: {SummaryText(inSample.Summary)}");
            o.WriteLine($"{name}, cross-validated: {SummaryText(outside.Summary)}");
        }
    }

    private static void WriteCalibration(CalibrationResult c, TextWriter o)
    {
        var fit = c.Fit;
        int used = fit.Data.Sum(d => d.Rows.Count);
        o.WriteLine($"calibrate {string.Join(", ", fit.Fit)} by {fit.By}: {used} rows used of {string.Join(", ", fit.Data.Select(d => $"{d.File} ({d.Rows.Count})"))}; {c.Unused.Count} not used");
        o.WriteLine();
        var table = new TextTable("group", "constant", "was", "fitted", "rows", "|error| mean before", "after", "median before", "after");
        foreach (var v in fit.Values)
            table.Add(v.Framework is { } fw ? $"{v.Accelerator}/{fw}" : v.Accelerator, v.Constant, v.Previous.ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
                v.Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), v.Rows.Count.ToString("N0"),
                Percent(v.Before.MeanAbsError), Percent(v.After.MeanAbsError), Percent(v.Before.MedianAbsError), Percent(v.After.MedianAbsError));
        table.Write(o);
        o.WriteLine();
        foreach (var v in fit.Values.DistinctBy(v => (v.Accelerator, v.Framework)))
            o.WriteLine($"fitted to ({v.Accelerator}{(v.Framework is { } fw ? "/" + fw : "")}): {string.Join(", ", v.Rows.Take(12))}{(v.Rows.Count > 12 ? $" and {v.Rows.Count - 12} more" : "")}");
        foreach (var g in c.Unused.GroupBy(u => u.Reason))
            o.WriteLine($"not used ({g.Count()}): {g.Key}: {string.Join(", ", g.Take(6).Select(u => u.Id))}{(g.Count() > 6 ? ", ..." : "")}");
        foreach (var note in c.Notes)
            o.WriteLine($"note: {note}");
        o.WriteLine(c.Written is { } path
            ? $"written: {path} (use it with --catalog {path}, or list it in {UserCatalogs.EnvironmentVariable})"
            : "nothing written (give --out FILE to write the overlay)");
    }

    /// <summary>Width of the ASCII Gantt, in characters.</summary>
    private const int GanttWidth = 64;

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

    private static void WriteTimeline(StepTimeline t, TextWriter o)
    {
        if (t.DoesNotFit is { } why)
        {
            o.WriteLine($"{t.ModelId} on {t.SystemId}, {t.Layout}: does not fit, so there is no step to draw: {why}");
            return;
        }
        o.WriteLine($"{t.ModelId} on {t.SystemId}, {t.Layout}: one step of {Seconds(t.StepTimeS)}");
        o.WriteLine(t.Schedule);
        o.WriteLine();
        var width = t.Lanes.Max(l => l.Name.Length);
        foreach (var lane in t.Lanes)
            o.WriteLine($"{lane.Name.PadRight(width)}  |{Bar(lane, t.StepTimeS)}|  {Seconds(lane.BusyS),9}  {Percent(lane.BusyS / t.StepTimeS),6}");
        o.WriteLine($"{"".PadRight(width)}   0{Seconds(t.StepTimeS).PadLeft(GanttWidth)}");
    }
}
