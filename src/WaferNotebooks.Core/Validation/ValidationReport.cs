using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// One row's outcome: the measured value, the prediction in the same unit, the signed relative
/// error (predicted − measured) / measured, and the range of predictions over the knobs the row
/// leaves open (<see cref="Assumed"/>): low and high equal the nominal when nothing is open.
/// </summary>
public sealed record ValidationRow(
    string Id,
    int Line,
    string Metric,
    double Measured,
    double? Predicted,
    double? Error,
    bool Skipped,
    string? Reason,
    string SystemId = "",
    int Devices = 0,
    string Layout = "",
    IReadOnlyList<string>? Notes = null,
    double? PredictedLow = null,
    double? PredictedHigh = null,
    IReadOnlyList<string>? Assumed = null)
{
    public double? AbsError => Error is { } e ? Math.Abs(e) : null;

    /// <summary>Whether the measurement lies within [low, high]; null for a skipped row.</summary>
    public bool? InsideRange => PredictedLow is { } lo && PredictedHigh is { } hi ? Measured >= lo && Measured <= hi : null;

    /// <summary>How far the measurement lies outside the range, relative to the measurement (0 inside).</summary>
    public double? OutsideRange => PredictedLow is { } lo && PredictedHigh is { } hi
        ? Math.Max(0, Math.Max(lo - Measured, Measured - hi)) / Measured
        : null;

    /// <summary>(high − low) / nominal.</summary>
    public double? RelativeWidth => PredictedLow is { } lo && PredictedHigh is { } hi && Predicted is > 0 ? (hi - lo) / Predicted : null;

    /// <summary>
    /// The row's metric predicted again on a changed version of its system (a fitted constant
    /// varied), with the same job, software and layout: calibration varies constants without
    /// searching layouts again. Null for a skipped row.
    /// </summary>
    public Func<SystemSpec, double?>? Repredict { get; init; }

    /// <summary>
    /// Why the memory model says the layout the row was predicted at does not fit (the estimate's
    /// reason); null when it fits or the row was skipped. Such a row is still predicted and counted
    /// in the error figures (the measurement shows the run did fit: the miss is the memory model's),
    /// and the summary counts it (<see cref="ValidationSummary.DoesNotFit"/>).
    /// </summary>
    public string? DoesNotFit { get; init; }

    public static ValidationRow Skip(string id, int line, string metric, double measured, string reason) =>
        new(id, line, metric, measured, null, null, true, reason);
}

/// <summary>
/// Error statistics over the rows that ran (absolute relative errors of the nominal), and of the
/// ranges: coverage (share of rows whose measurement lies inside its range), the median relative
/// width (high − low) / nominal, and the largest distance of a measurement outside its range;
/// how many of the rows that ran were predicted at a layout the memory model says does not fit.
/// </summary>
/// <param name="Predicted">Rows with an error; with none, the error figures are 0 and mean nothing.</param>
/// <param name="Ranged">Predicted rows with a range; with none, coverage, width and farthest outside are 0 and mean nothing.</param>
public sealed record ValidationSummary(int Count, int Skipped, double MeanAbsError, double MedianAbsError, double P90AbsError, double MaxAbsError,
    double Coverage = 0, double MedianRelativeWidth = 0, double MaxOutsideRange = 0, int DoesNotFit = 0, int Predicted = 0, int Ranged = 0)
{
    public static ValidationSummary Of(IReadOnlyList<ValidationRow> rows)
    {
        var ran = rows.Where(r => !r.Skipped && r.AbsError is not null).ToArray();
        var errors = ran.Select(r => r.AbsError!.Value).OrderBy(e => e).ToArray();
        int skipped = rows.Count(r => r.Skipped);
        if (errors.Length == 0) return new ValidationSummary(rows.Count, skipped, 0, 0, 0, 0);
        int doesNotFit = ran.Count(r => r.DoesNotFit is not null);
        var ranged = ran.Where(r => r.InsideRange is not null).ToArray();
        var widths = ranged.Select(r => r.RelativeWidth ?? 0).OrderBy(w => w).ToArray();
        return new ValidationSummary(rows.Count, skipped, errors.Average(), Percentile(errors, 0.5), Percentile(errors, 0.9), errors[^1],
            ranged.Length == 0 ? 0 : (double)ranged.Count(r => r.InsideRange == true) / ranged.Length,
            widths.Length == 0 ? 0 : Percentile(widths, 0.5),
            ranged.Length == 0 ? 0 : ranged.Max(r => r.OutsideRange!.Value), doesNotFit, ran.Length, ranged.Length);
    }

    /// <summary>Linear interpolation between closest ranks of a sorted array.</summary>
    public static double Percentile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}

/// <summary>Every row of a validation file and the summary over them.</summary>
public sealed record ValidationReport(string Source, IReadOnlyList<ValidationRow> Rows)
{
    /// <summary>Metrics that measure steady-state throughput (the tested ones).</summary>
    public static readonly IReadOnlySet<string> ThroughputMetrics = new HashSet<string>
        { "hfu_tflops_per_device", "mfu_percent", "tokens_per_s_per_device", "iteration_s" };

    public ValidationSummary Summary => ValidationSummary.Of(Rows);

    public ValidationReport Where(Func<ValidationRow, bool> keep) => this with { Rows = Rows.Where(keep).ToArray() };

    public ValidationReport Throughput => Where(r => ThroughputMetrics.Contains(r.Metric));
}
