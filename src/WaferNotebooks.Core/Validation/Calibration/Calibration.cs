using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Validation.Calibration;

/// <summary>A data row with its prediction under the catalog (which can be repeated with a constant changed).</summary>
public sealed record PredictedRow(DataRow Data, ValidationRow Prediction);

/// <summary>A row a calibration did not use, and why.</summary>
public sealed record UnusedRow(string File, string Id, string Reason);

/// <summary>
/// Fits catalog constants (<see cref="CalibratedConstant"/>) to measured rows: for each
/// calibration group (an accelerator, or the accelerators of one die; with the framework when
/// fitting by accelerator+framework) the values that minimise Σ ln(predicted / measured)² over
/// the group's rows, found by <see cref="BoundedSearch"/> within each constant's bounds. Only
/// steady-state throughput rows on GPU-class systems are used: whole-run metrics also carry
/// restarts and evaluations that no constant of the step model should absorb. Each row is
/// predicted once with the catalog (layouts chosen as the validation does: the framework-default
/// choice does not depend on speed) and then re-predicted for each trial value.
/// </summary>
public static class Calibration
{
    /// <summary>Predicts the rows with the catalog, each with the fitted values of its framework applied.</summary>
    public static IReadOnlyList<PredictedRow> Predict(SimulatorCatalog catalog, IEnumerable<DataRow> rows, CancellationToken ct = default)
    {
        var runs = new Dictionary<string, ValidationRun>();
        ValidationRun RunFor(string framework)
        {
            if (runs.TryGetValue(framework, out var run)) return run;
            var forFramework = catalog.ForFramework(framework);
            return runs[framework] = new ValidationRun(forFramework.FindSystem, s => Simulator.Estimators.FirstOrDefault(e => e.Supports(s)));
        }
        return [.. rows.Select(r =>
        {
            ct.ThrowIfCancellationRequested();
            return new PredictedRow(r, RunFor(r.Framework).Predict(r.Case));
        })];
    }

    /// <summary>Why a predicted row cannot be used to fit a constant, or null when it can.</summary>
    public static string? Unusable(PredictedRow row, SimulatorCatalog catalog)
    {
        var p = row.Prediction;
        if (p.Skipped) return $"not predicted: {p.Reason}";
        if (!ValidationReport.ThroughputMetrics.Contains(p.Metric))
            return $"whole-run metric {p.Metric}: fits use steady-state throughput rows only";
        if (p.Repredict is null || p.Predicted is not > 0) return "no prediction to vary";
        return catalog.FindSystem(p.SystemId) is GpuCluster ? null : $"system {p.SystemId} is not GPU-class: the fitted constants belong to the GPU model";
    }

    /// <summary>The calibration group a row's fitted values are stored under, and its framework when fitting by accelerator+framework.</summary>
    public static (string Accelerator, string? Framework) KeyOf(PredictedRow row, SimulatorCatalog catalog, string by)
    {
        var device = ((GpuCluster)catalog.FindSystem(row.Prediction.SystemId)).Device;
        return (catalog.CalibrationGroupOf(device.Id), by == CalibrationFit.ByAcceleratorAndFramework ? row.Data.Framework : null);
    }

    /// <summary>
    /// Fits the constants for each calibration group of the rows (all of which must be usable).
    /// Groups whose rows do not depend on a constant leave it out, with a note.
    /// </summary>
    public static IReadOnlyList<CalibrationValue> Fit(
        SimulatorCatalog catalog, IReadOnlyList<PredictedRow> rows, IReadOnlyList<CalibratedConstant> constants, string by, ICollection<string> notes)
    {
        var values = new List<CalibrationValue>();
        foreach (var group in rows.GroupBy(r => KeyOf(r, catalog, by)).OrderBy(g => g.Key.Accelerator, StringComparer.Ordinal).ThenBy(g => g.Key.Framework, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            var systems = members.Select(r => (GpuCluster)catalog.ForFramework(r.Data.Framework).FindSystem(r.Prediction.SystemId)).ToArray();
            double[] Predictions(double[] x) => members.Select((r, i) =>
            {
                var device = systems[i].Device;
                for (int k = 0; k < constants.Count; k++)
                    device = constants[k].Set(device, Sourced.Assumed(x[k], "trial value of a calibration"));
                return r.Prediction.Repredict!(systems[i] with { Device = device }) ?? double.NaN;
            }).ToArray();
            double Objective(double[] x) => Predictions(x).Zip(members, (p, r) => p > 0 ? Math.Pow(Math.Log(p / r.Prediction.Measured), 2) : 100).Sum();

            var start = constants.Select(c => c.Get(systems[0].Device)).ToArray();
            var (best, _, flat) = BoundedSearch.Minimise(Objective,
                start, [.. constants.Select(c => c.Low)], [.. constants.Select(c => c.High)], [.. constants.Select(c => c.Tolerance)]);
            var fitted = best.Select((v, k) => flat[k] ? start[k] : Math.Round(v, Digits(constants[k].Tolerance))).ToArray();
            // Rounding to the tolerance can land a hair worse than the value in place when that is already the optimum: keep it then.
            if (Objective(fitted) > Objective(start)) fitted = start;
            var before = Errors(Predictions(start), members);
            var after = Errors(Predictions(fitted), members);
            var ids = members.Select(r => r.Data.Case.Id).ToArray();
            string name = group.Key.Framework is { } fw ? $"{group.Key.Accelerator} with {fw}" : group.Key.Accelerator;
            for (int k = 0; k < constants.Count; k++)
            {
                if (flat[k])
                {
                    notes.Add($"{name}: its {members.Length} row(s) do not depend on {constants[k].Name}; not fitted, kept at {start[k]:G4}");
                    continue;
                }
                if (Math.Abs(fitted[k] - constants[k].Low) < constants[k].Tolerance || Math.Abs(fitted[k] - constants[k].High) < constants[k].Tolerance)
                    notes.Add($"{name}: {constants[k].Name} = {fitted[k]:G4} sits at a bound of [{constants[k].Low:G4}, {constants[k].High:G4}]: the rows want a value the bounds exclude, so something else is off");
                values.Add(new CalibrationValue(group.Key.Accelerator, group.Key.Framework, constants[k].Name, fitted[k], start[k], ids, before, after));
            }
        }
        return values;
    }

    static int Digits(double tolerance) => Math.Max(0, (int)Math.Ceiling(-Math.Log10(tolerance)));

    static CalibrationError Errors(double[] predicted, PredictedRow[] rows)
    {
        var measured = rows.Select(r => r.Prediction.Measured).ToArray();
        var abs = predicted.Zip(measured, (p, m) => Math.Abs(p / m - 1)).Order().ToArray();
        double rms = Math.Sqrt(predicted.Zip(measured, (p, m) => Math.Pow(Math.Log(p / m), 2)).Average());
        return new CalibrationError(abs.Average(), ValidationSummary.Percentile(abs, 0.5), rms);
    }
}
