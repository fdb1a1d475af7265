using System.Globalization;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// The one way a number reads in a view: three significant figures with thousands separators,
/// K/M/B/T for large counts, durations in seconds or milliseconds (the rule the charts' axes
/// use), percentages to a tenth, and a range as "low–high" in the same format as its value.
/// </summary>
public static class ValueText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Shown for a number that does not exist (a point that does not fit).</summary>
    public const string Missing = "–";

    public static string Num(double v) => double.IsFinite(v) ? SignificantFigures.Three(v) : Missing;

    /// <summary>Large counts with a suffix: 2.00T, 4.19M, 512.</summary>
    public static string Scaled(double v) => double.IsFinite(v) ? SignificantFigures.Scaled(v) : Missing;

    public static string Count(int n) => n.ToString("N0", Invariant);

    /// <summary>A count with its noun, singular for one: "1 point", "7 points".</summary>
    public static string Count(int n, string noun) => $"{Count(n)} {noun}{(n == 1 ? "" : "s")}";

    /// <summary>
    /// Seconds once a duration reaches a second, milliseconds below, microseconds below a
    /// millisecond (a SwarmX reduction of 10 µs read "0.0100 ms"), to three significant figures
    /// ("1.90 s", "532 ms", "10.0 µs"); rounded before the unit is chosen, so 0.9996 s reads "1.00 s".
    /// </summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds)) return Missing;
        var rounded = ThreeFigures(seconds);
        if (Math.Abs(rounded) >= 1) return $"{SignificantFigures.Three(rounded)} s";
        var ms = ThreeFigures(rounded * 1e3);
        return Math.Abs(ms) >= 1 || ms == 0 ? $"{SignificantFigures.Three(ms)} ms" : $"{SignificantFigures.Three(ThreeFigures(ms * 1e3))} µs";
    }

    public static string Percent(double fraction) => double.IsFinite(fraction) ? (fraction * 100).ToString("F1", Invariant) + "%" : Missing;

    /// <summary>A signed relative error: +4.5%, -3.0%.</summary>
    public static string Signed(double? fraction) => fraction is { } x ? (x >= 0 ? "+" : "") + Percent(x) : Missing;

    public static string Usd(double v) => double.IsFinite(v) ? "$" + Scaled(v) : Missing;

    /// <summary>A fitted constant as written in overlays: 4 significant digits.</summary>
    public static string Constant(double v) => v.ToString("G4", Invariant);

    /// <summary>
    /// "low–high" of a range in the value's own format, or null when there is no range or it
    /// rounds to the value itself. Every range of every view is written here, so splitting a
    /// range into its parts changes one place.
    /// </summary>
    public static string? Range(double nominal, MetricRange? range, Func<double, string> format)
    {
        if (range is null || !double.IsFinite(range.Low) || !double.IsFinite(range.High)) return null;
        var (text, low, high) = (format(nominal), format(range.Low), format(range.High));
        return low == text && high == text ? null : $"{low}–{high}";
    }

    /// <summary>
    /// The model's range, then apart how far the user's open choices (PUE, price list, grid) move
    /// the value: "424–619; by choice of PUE: 533–779". Null when neither moves it.
    /// </summary>
    public static string? Range(double nominal, MetricRange? range, ChoiceRange? choices, Func<double, string> format)
    {
        var model = Range(nominal, range, format);
        var chosen = choices is { Moves: true } c ? $"by choice of {string.Join(", ", c.Inputs)}: {format(c.Low)}–{format(c.High)}" : null;
        return model is null ? chosen : chosen is null ? model : $"{model}; {chosen}";
    }

    /// <summary>A value with its range in brackets, for table cells: "52.4 (48.1–60.2)".</summary>
    public static string WithRange(double nominal, MetricRange? range, Func<double, string> format) =>
        Range(nominal, range, format) is { } r ? $"{format(nominal)} ({r})" : format(nominal);

    /// <summary>A number in its unit's format, without the unit's word (the fact's words or the column header say it).</summary>
    public static string Format(double value, ViewUnit unit) => unit switch
    {
        ViewUnit.Count => double.IsFinite(value) ? value.ToString("N0", Invariant) : Missing,
        ViewUnit.Tokens or ViewUnit.TokensPerSecond or ViewUnit.Scaled => Scaled(value),
        ViewUnit.Seconds => Duration(value),
        ViewUnit.Fraction => Percent(value),
        ViewUnit.RelativeError => double.IsFinite(value) ? Signed(value) : Missing,
        ViewUnit.Usd => Usd(value),
        ViewUnit.Constant => double.IsFinite(value) ? Constant(value) : Missing,
        _ => Num(value),
    };

    /// <summary>A typed number's ranges as a fact shows them (<see cref="Range(double, MetricRange?, ChoiceRange?, Func{double, string})"/>).</summary>
    public static string? Range(ViewNumber n) => Range(n.Value, n.Range, n.Choices, v => Format(v, n.Unit));

    /// <summary>A typed number with its model range in brackets, for table cells.</summary>
    public static string WithRange(ViewNumber n) => WithRange(n.Value, n.Range, v => Format(v, n.Unit));

    /// <summary>Layout items at their default value, left out of table cells.</summary>
    private static readonly HashSet<string> DefaultItems = ["cp=1", "ep=1", "vpp=1", "zero=0", "recompute=none", "sp=0"];

    /// <summary>A layout for a table cell: tp, pp, dp and mb always, the other keys only when not at their default.</summary>
    public static string Compact(Layout layout) => Compact(layout.ToString());

    public static string Compact(string layout) => string.Join(",", layout.Split(',').Where(item => !DefaultItems.Contains(item)));

    private static double ThreeFigures(double value)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        var scale = Math.Pow(10, 2 - Math.Floor(Math.Log10(Math.Abs(value))));
        return Math.Round(value * scale) / scale;
    }
}
