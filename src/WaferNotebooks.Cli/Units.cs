using System.Globalization;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Cli;

/// <summary>Numbers for people: thousands separators, K/M/B/T, time units, and "nominal (low–high)" ranges.</summary>
internal static class Units
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Shown for a number that could not be computed (an infeasible layout).</summary>
    public const string Missing = "–";

    /// <summary>Three significant digits, with separators above 1000: 0.0123, 4.56, 789, 12,345.</summary>
    public static string Num(double v) => double.IsFinite(v) ? SignificantFigures.Three(v) : Missing;

    /// <summary>Large counts with a suffix: 2.00T, 4.19M, 512.</summary>
    public static string Scaled(double v) => double.IsFinite(v) ? SignificantFigures.Scaled(v) : Missing;

    public static string Seconds(double s) => !double.IsFinite(s) ? Missing : s switch
    {
        < 1e-3 => Num(s * 1e6) + " µs",
        < 1 => Num(s * 1e3) + " ms",
        < 120 => Num(s) + " s",
        < 7200 => Num(s / 60) + " min",
        _ => Num(s / 3600) + " h",
    };

    public static string Percent(double fraction) => double.IsFinite(fraction) ? (fraction * 100).ToString("F1", Invariant) + "%" : Missing;

    public static string Usd(double v) => double.IsFinite(v) ? "$" + Scaled(v) : Missing;

    /// <summary>Layout items at their default value, left out of table cells.</summary>
    private static readonly HashSet<string> DefaultItems = ["cp=1", "ep=1", "vpp=1", "zero=0", "recompute=none", "sp=0"];

    /// <summary>A layout for a table cell: tp, pp, dp and mb always, the other keys only when not at their default.</summary>
    public static string Compact(Layout layout) => Compact(layout.ToString());

    /// <summary>The same for a layout already written out (tp=8,pp=4,...).</summary>
    public static string Compact(string layout) =>
        string.Join(",", layout.Split(',').Where(item => !DefaultItems.Contains(item)));

    /// <summary>
    /// "5.29 s (5.06 s–6.11 s)": the nominal value and, when the estimate has one, its range,
    /// for values with their own formatter (durations, money, large counts); plain numbers use
    /// <see cref="Core.Uncertainty.RangeText"/>.
    /// </summary>
    public static string WithRange(double nominal, MetricRange? range, Func<double, string> format, string unit = "")
    {
        var text = format(nominal);
        if (range is null || !double.IsFinite(range.Low) || !double.IsFinite(range.High))
            return text + unit;
        var (low, high) = (format(range.Low), format(range.High));
        return low == text && high == text ? text + unit : $"{text}{unit} ({low}–{high})";
    }
}
