using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Simulation;

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
        return [.. rows.Select(r =>
        {
            ct.ThrowIfCancellationRequested();
            if (!runs.TryGetValue(r.Framework, out var run)) runs[r.Framework] = run = RunFor(catalog, r.Framework);
            return new PredictedRow(r, run.Predict(r.Case));
        })];
    }

    /// <summary>What <c>wafer validate</c> reports for a data file: every row predicted (<see cref="Predict"/>), malformed rows as skipped, in file order.</summary>
    public static ValidationReport Validate(SimulatorCatalog catalog, ValidationData data, CancellationToken ct = default) =>
        new(data.Name, [.. Predict(catalog, data.Rows, ct).Select(p => p.Prediction).Concat(data.Malformed).OrderBy(r => r.Line)]);

    /// <summary>The validation of rows of one framework, with the systems of <see cref="SystemsFor"/>.</summary>
    public static ValidationRun RunFor(SimulatorCatalog catalog, string framework) =>
        new(SystemsFor(catalog, framework), s => Simulator.Estimators.FirstOrDefault(e => e.Supports(s)));

    /// <summary>
    /// The systems as validation predicts runs of one framework on them: the catalog with that
    /// framework's fitted values applied (<see cref="SimulatorCatalog.ForFramework"/>), as
    /// <c>--framework</c> applies them to an estimate, and with <see cref="UncalibratedRange"/> as
    /// the range of each constant an accelerator has no fit of.
    /// </summary>
    public static Func<string, SystemSpec> SystemsFor(SimulatorCatalog catalog, string framework)
    {
        var forFramework = catalog.ForFramework(framework);
        return id =>
        {
            var system = forFramework.FindSystem(id);
            if (system is not GpuCluster g) return system;
            var device = g.Device;
            foreach (var k in CalibratedConstant.All)
                if (k.Given(device) is null && UncalibratedRange(forFramework, k, device.Vendor) is { } range)
                {
                    double v = k.Get(device);
                    device = k.Set(device, Sourced.Assumed(v,
                        $"{k.Name} not calibrated for {device.Name}: {v:G3} (the model's default), within the span of the fitted accelerators' bands and the default, {range.Low:G3}–{range.High:G3}",
                        Math.Min(v, range.Low), Math.Max(v, range.High)));
                }
            return g with { Device = device };
        };
    }

    /// <summary>
    /// What a constant may be on an accelerator no fit covers: from the lowest to the highest band
    /// edge of the accelerators that have a fitted value (each fit's 10th–90th percentile of what
    /// single rows want), and the model's uncalibrated default. Devices are assumed to vary as the
    /// calibrated ones of the same vendor do (one software ecosystem: an H100 as the A100 and
    /// Blackwell, not as a Gaudi 2), or as all calibrated ones when the vendor has none; null when
    /// no accelerator has a fit of the constant.
    /// </summary>
    public static (double Low, double High)? UncalibratedRange(SimulatorCatalog catalog, CalibratedConstant constant, string? vendor = null)
    {
        Sourced[] FittedOf(IEnumerable<Accelerator> accelerators) =>
            [.. accelerators.Select(a => constant.Given(a)).OfType<Sourced>().Where(s => s.Confidence == Confidence.Derived)];
        var fitted = FittedOf(catalog.Accelerators.Where(a => string.Equals(a.Vendor, vendor, StringComparison.OrdinalIgnoreCase)));
        if (fitted.Length == 0) fitted = FittedOf(catalog.Accelerators);
        if (fitted.Length == 0) return null;
        var edges = fitted.SelectMany(s => new[] { s.Low ?? s.Value, s.High ?? s.Value }).ToArray();
        return (edges.Min(), edges.Max());
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

    /// <summary>The calibration group a row's fitted values are stored under, and its framework (by accelerator+framework) or software family (by accelerator+family).</summary>
    public static (string Accelerator, string? Framework) KeyOf(PredictedRow row, SimulatorCatalog catalog, string by)
    {
        var device = ((GpuCluster)catalog.FindSystem(row.Prediction.SystemId)).Device;
        return (catalog.CalibrationGroupOf(device.Id), by switch
        {
            CalibrationFit.ByAcceleratorAndFramework => row.Data.Framework,
            CalibrationFit.ByAcceleratorAndFamily => SoftwareFamily.Of(row.Data.Framework),
            _ => null,
        });
    }

    /// <summary>
    /// Share of the fit's row weight below the low end of a value's band, and above its high end:
    /// the band holds the values 80% of the rows want, the share of measurements a range is meant
    /// to contain (data/validation/README.md, coverage).
    /// </summary>
    public const double BandTail = 0.1;

    /// <summary>
    /// Fits the constants for each calibration group of the rows (all of which must be usable),
    /// each row weighted as <paramref name="weight"/> says (<see cref="CalibrationFit.Weightings"/>),
    /// and gives each value its band (<see cref="CalibrationValue.Low"/>). Groups whose rows do not
    /// depend on a constant leave it out, with a note.
    /// </summary>
    public static IReadOnlyList<CalibrationValue> Fit(
        SimulatorCatalog catalog, IReadOnlyList<PredictedRow> rows, IReadOnlyList<CalibratedConstant> constants, string by, ICollection<string> notes,
        CancellationToken ct = default, string weight = CalibrationFit.WeightRows)
    {
        var values = new List<CalibrationValue>();
        foreach (var group in rows.GroupBy(r => KeyOf(r, catalog, by)).OrderBy(g => g.Key.Accelerator, StringComparer.Ordinal).ThenBy(g => g.Key.Framework, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            // Each row on its system as it ran (its power cap), so trial values see the run's clock.
            var systems = members.Select(r => (GpuCluster)ValidationRun.PowerCapped(r.Data.Case, catalog.ForFramework(r.Data.Framework).FindSystem(r.Prediction.SystemId))).ToArray();
            var weights = Weights(members, weight);
            double PredictRow(int i, double[] x)
            {
                ct.ThrowIfCancellationRequested();
                var device = systems[i].Device;
                for (int k = 0; k < constants.Count; k++)
                    device = constants[k].Set(device, Sourced.Assumed(x[k], "trial value of a calibration"));
                return members[i].Prediction.Repredict!(systems[i] with { Device = device }) ?? double.NaN;
            }
            double Miss(int i, double p) => p > 0 ? Math.Pow(Math.Log(p / members[i].Prediction.Measured), 2) : 100;
            double[] Predictions(double[] x) => [.. members.Select((_, i) => PredictRow(i, x))];
            double Objective(double[] x) => Predictions(x).Select((p, i) => weights[i] * Miss(i, p)).Sum();

            var start = constants.Select(c => c.Get(systems[0].Device)).ToArray();
            double[] low = [.. constants.Select(c => c.Low)], high = [.. constants.Select(c => c.High)], tolerance = [.. constants.Select(c => c.Tolerance)];
            var (best, _, flat) = BoundedSearch.Minimise(Objective, start, low, high, tolerance);
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
                var (bandLow, bandHigh) = Band(k, fitted, members.Length, weights, PredictRow, Miss, low, high, tolerance);
                values.Add(new CalibrationValue(group.Key.Accelerator, group.Key.Framework, constants[k].Name, fitted[k], start[k], ids, before, after,
                    Math.Min(fitted[k], Math.Round(bandLow, Digits(tolerance[k]))), Math.Max(fitted[k], Math.Round(bandHigh, Digits(tolerance[k])))));
            }
        }
        return values;
    }

    /// <summary>
    /// The value of constant k each row alone would want (the others at their fitted values; rows
    /// that do not depend on it left out), and the weighted <see cref="BandTail"/> and 1 − BandTail
    /// quantiles of those values.
    /// </summary>
    static (double Low, double High) Band(int k, double[] fitted, int count, double[] weights, Func<int, double[], double> predict, Func<int, double, double> miss,
        double[] low, double[] high, double[] tolerance)
    {
        var wanted = new List<(double Value, double Weight)>();
        for (int i = 0; i < count; i++)
        {
            double RowMiss(double[] x) { var y = (double[])fitted.Clone(); y[k] = x[0]; return miss(i, predict(i, y)); }
            var (x, _, flat) = BoundedSearch.Minimise(RowMiss, [fitted[k]], [low[k]], [high[k]], [tolerance[k]]);
            if (!flat[0]) wanted.Add((x[0], weights[i]));
        }
        if (wanted.Count == 0) return (fitted[k], fitted[k]);
        return (WeightedQuantile(wanted, BandTail), WeightedQuantile(wanted, 1 - BandTail));
    }

    /// <summary>The q-quantile of weighted values: each value sits at the middle of its weight on the cumulative scale, linear in between.</summary>
    public static double WeightedQuantile(IReadOnlyList<(double Value, double Weight)> items, double q)
    {
        var sorted = items.OrderBy(x => x.Value).ToArray();
        double total = sorted.Sum(x => x.Weight), cumulative = 0;
        var positions = sorted.Select(x => { double at = (cumulative + x.Weight / 2) / total; cumulative += x.Weight; return at; }).ToArray();
        if (q <= positions[0]) return sorted[0].Value;
        for (int j = 1; j < sorted.Length; j++)
            if (q <= positions[j])
                return sorted[j - 1].Value + (sorted[j].Value - sorted[j - 1].Value) * (q - positions[j - 1]) / (positions[j] - positions[j - 1]);
        return sorted[^1].Value;
    }

    /// <summary>Each row's weight in a fit: 1, or 1 / (rows of its paper or source) so that each counts once.</summary>
    public static double[] Weights(IReadOnlyList<PredictedRow> rows, string weight)
    {
        if (weight == CalibrationFit.WeightRows) return [.. rows.Select(_ => 1.0)];
        if (!CalibrationFit.Weightings.Contains(weight))
            throw new WaferInputException($"--weight '{weight}': expected one of {string.Join(", ", CalibrationFit.Weightings)}");
        var groups = rows.Select(r => CrossValidation.GroupOf(r.Data, weight)).ToArray();
        var counts = groups.GroupBy(g => g, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return [.. groups.Select(g => 1.0 / counts[g])];
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
