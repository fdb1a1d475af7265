using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Interactive;

/// <summary>Compact numbers for cards and tables: 1.23M, 4.5T, 1.90 s.</summary>
internal static class Units
{
    public static string Si(double value)
    {
        var a = Math.Abs(value);
        return a switch
        {
            >= 1e12 => $"{value / 1e12:G3}T",
            >= 1e9 => $"{value / 1e9:G3}B",
            >= 1e6 => $"{value / 1e6:G3}M",
            >= 1e3 => $"{value / 1e3:G3}K",
            _ => $"{value:G3}",
        };
    }

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
