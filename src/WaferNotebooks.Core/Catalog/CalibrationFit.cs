using System.Globalization;

namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// One run of <c>wafer calibrate</c> as a catalog file records it (the "calibrations" list):
/// the command, when it ran, the constants fitted, how rows were grouped (<see cref="By"/>), the
/// rows of each data file it was fitted to, and the fitted values. A catalog applies each value
/// to the accelerators of its calibration group; a value with a framework (or, fitted by
/// accelerator+family, a software family) only to predictions for that framework or the
/// frameworks of that family (<see cref="SimulatorCatalog.ForFramework"/>).
/// </summary>
public sealed record CalibrationFit(
    string Command,
    string Date,
    IReadOnlyList<string> Fit,
    string By,
    IReadOnlyList<CalibrationDataSet> Data,
    IReadOnlyList<CalibrationValue> Values,
    string? Weight = null)
{
    public const string ByAccelerator = "accelerator";
    public const string ByAcceleratorAndFramework = "accelerator+framework";
    /// <summary>Per group and the software family of the rows' framework (<see cref="SoftwareFamily"/>): a value's framework is then a family.</summary>
    public const string ByAcceleratorAndFamily = "accelerator+family";
    public static readonly string[] Groupings = [ByAccelerator, ByAcceleratorAndFramework, ByAcceleratorAndFamily];

    /// <summary>Whether a value of this fit applies to predictions for <paramref name="framework"/> (a canonical framework name).</summary>
    public bool AppliesTo(CalibrationValue v, string framework) =>
        v.Framework is { } own && string.Equals(own, By == ByAcceleratorAndFamily ? SoftwareFamily.Of(framework) : framework, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// How rows weigh in the fit (<c>--weight</c>): rows = each row once; paper = each publication
    /// (the source column up to its first comma) once, its rows sharing one weight; source = each
    /// source (one table or section) once. A file that does not say was fitted by rows.
    /// </summary>
    public const string WeightRows = "rows", WeightPaper = "paper", WeightSource = "source";
    public static readonly string[] Weightings = [WeightRows, WeightPaper, WeightSource];

    /// <summary>The weighting the fit used (<see cref="WeightRows"/> when the file does not say).</summary>
    public string Weighting => Weight ?? WeightRows;

    /// <summary>The catalog's provenance text for a fitted value.</summary>
    public string SourceFor(CalibrationValue v) =>
        $"Fitted by wafer calibrate on {Date} to {v.Rows.Count} measured row(s) of {string.Join(", ", Data.Select(d => d.File))} " +
        $"(least squares on log error, {(Weighting == WeightRows ? "each row once" : $"each {Weighting} once")}; |error| mean {Percent(v.Before.MeanAbsError)} before, {Percent(v.After.MeanAbsError)} after" +
        (v.Low is { } lo && v.High is { } hi ? $"; single rows want {lo.ToString("G3", CultureInfo.InvariantCulture)}–{hi.ToString("G3", CultureInfo.InvariantCulture)}, 10th–90th percentile, the range" : "") +
        $"): {Command}";

    static string Percent(double x) => (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Says what is wrong with a fit read from a file, or null.</summary>
    internal string? Problem()
    {
        if (!Groupings.Contains(By)) return $"by '{By}' (allowed: {string.Join(", ", Groupings)})";
        if (!Weightings.Contains(Weighting)) return $"weight '{Weight}' (allowed: {string.Join(", ", Weightings)})";
        foreach (var v in Values)
        {
            var constant = CalibratedConstant.All.FirstOrDefault(c => c.Name == v.Constant);
            if (constant is null) return $"constant '{v.Constant}' (known: {string.Join(", ", CalibratedConstant.All.Select(c => c.Name))})";
            if (!(v.Value >= constant.Low && v.Value <= constant.High))
                return $"{v.Constant} = {v.Value} for '{v.Accelerator}' is outside its bounds [{constant.Low}, {constant.High}]";
            if (v.Low is { } lo && v.High is { } hi && !(lo >= constant.Low && lo <= v.Value && v.Value <= hi && hi <= constant.High))
                return $"{v.Constant} band [{lo}, {hi}] for '{v.Accelerator}' must contain the value {v.Value} and lie within the bounds [{constant.Low}, {constant.High}]";
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
/// <see cref="Low"/>–<see cref="High"/> is the value's band: the 10th to 90th percentile (weighted
/// as the fit) of the values each row alone would want, so the constant of a row like these lies in
/// it four times in five. The catalog gives the constant this range, and every estimate's range
/// carries it (null in files written before bands were recorded: no range).
/// </summary>
public sealed record CalibrationValue(
    string Accelerator,
    string? Framework,
    string Constant,
    double Value,
    double Previous,
    IReadOnlyList<string> Rows,
    CalibrationError Before,
    CalibrationError After,
    double? Low = null,
    double? High = null);

/// <summary>Absolute relative errors (mean, median) and the root mean square of ln(predicted / measured).</summary>
public sealed record CalibrationError(double MeanAbsError, double MedianAbsError, double RmsLogError);
