using System.Globalization;

namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// One run of <c>wafer calibrate</c> as a catalog file records it (the "calibrations" list):
/// the command, when it ran, the constants fitted, how rows were grouped (<see cref="By"/>), the
/// rows of each data file it was fitted to, and the fitted values. A catalog applies each value
/// to the accelerators of its calibration group; a value with a framework only to predictions
/// for that framework (<see cref="SimulatorCatalog.ForFramework"/>).
/// </summary>
public sealed record CalibrationFit(
    string Command,
    string Date,
    IReadOnlyList<string> Fit,
    string By,
    IReadOnlyList<CalibrationDataSet> Data,
    IReadOnlyList<CalibrationValue> Values)
{
    public const string ByAccelerator = "accelerator";
    public const string ByAcceleratorAndFramework = "accelerator+framework";
    public static readonly string[] Groupings = [ByAccelerator, ByAcceleratorAndFramework];

    /// <summary>The catalog's provenance text for a fitted value.</summary>
    public string SourceFor(CalibrationValue v) =>
        $"Fitted by wafer calibrate on {Date} to {v.Rows.Count} measured row(s) of {string.Join(", ", Data.Select(d => d.File))} " +
        $"(least squares on log error; |error| mean {Percent(v.Before.MeanAbsError)} before, {Percent(v.After.MeanAbsError)} after): {Command}";

    static string Percent(double x) => (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Says what is wrong with a fit read from a file, or null.</summary>
    internal string? Problem()
    {
        if (!Groupings.Contains(By)) return $"by '{By}' (allowed: {string.Join(", ", Groupings)})";
        foreach (var v in Values)
        {
            var constant = CalibratedConstant.All.FirstOrDefault(c => c.Name == v.Constant);
            if (constant is null) return $"constant '{v.Constant}' (known: {string.Join(", ", CalibratedConstant.All.Select(c => c.Name))})";
            if (!(v.Value >= constant.Low && v.Value <= constant.High))
                return $"{v.Constant} = {v.Value} for '{v.Accelerator}' is outside its bounds [{constant.Low}, {constant.High}]";
            if ((v.Framework is null) != (By == ByAccelerator))
                return $"value for '{v.Accelerator}' {(v.Framework is null ? "lacks a framework" : "has a framework")} but the fit is by {By}";
        }
        return null;
    }
}

/// <summary>The rows of one data file a fit used, by id; <see cref="File"/> as given to <c>--data</c>.</summary>
public sealed record CalibrationDataSet(string File, IReadOnlyList<string> Rows);

/// <summary>
/// One fitted value: the calibration group (an accelerator id, or the group several accelerators
/// of one die share), the framework for a fit by accelerator+framework, the constant, the value
/// (and the one it replaced), the rows it was fitted to and the in-sample error before and after.
/// </summary>
public sealed record CalibrationValue(
    string Accelerator,
    string? Framework,
    string Constant,
    double Value,
    double Previous,
    IReadOnlyList<string> Rows,
    CalibrationError Before,
    CalibrationError After);

/// <summary>Absolute relative errors (mean, median) and the root mean square of ln(predicted / measured).</summary>
public sealed record CalibrationError(double MeanAbsError, double MedianAbsError, double RmsLogError);
