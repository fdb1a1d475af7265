using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Interactive;

/// <summary>Durations for cards and tables: 1.90 s, 532 ms.</summary>
internal static class Units
{
    /// <summary>
    /// A duration in seconds once it reaches a second, milliseconds below (the rule the charts'
    /// TimeUnit uses), to three significant figures with trailing zeros kept: "1.90 s", "532 ms".
    /// Rounded before the unit is chosen, so 0.9996 s reads "1.00 s", not "1000 ms".
    /// </summary>
    public static string Duration(double seconds)
    {
        var rounded = ThreeFigures(seconds);
        return Math.Abs(rounded) >= 1 ? $"{SignificantFigures.Three(rounded)} s" : $"{SignificantFigures.Three(ThreeFigures(rounded * 1e3))} ms";
    }

    private static double ThreeFigures(double value)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        var scale = Math.Pow(10, 2 - Math.Floor(Math.Log10(Math.Abs(value))));
        return Math.Round(value * scale) / scale;
    }
}
