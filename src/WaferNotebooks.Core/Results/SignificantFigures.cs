using System.Globalization;

namespace WaferNotebooks.Core.Results;

/// <summary>
/// Numbers as an analytical estimate can claim them: three significant figures, thousands
/// separators from 1,000 up, invariant culture (0.0123, 4.56, 789, 12,345). Shared by every
/// front end so a value reads the same in the terminal, the card and the range text.
/// </summary>
public static class SignificantFigures
{
    public static string Three(double value)
    {
        if (value == 0 || !double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);
        var decimals = Math.Clamp(2 - (int)Math.Floor(Math.Log10(Math.Abs(value))), 0, 15);
        return Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("N" + decimals, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Large counts with a decimal suffix, as token counts and dollars are quoted: 2.00T, 4.19M,
    /// 12.3K; below 10,000 the plain number (8,192 reads better than 8.19K).
    /// </summary>
    public static string Scaled(double value) => Math.Abs(value) switch
    {
        >= 1e12 => Three(value / 1e12) + "T",
        >= 1e9 => Three(value / 1e9) + "B",
        >= 1e6 => Three(value / 1e6) + "M",
        >= 1e4 => Three(value / 1e3) + "K",
        _ => Three(value),
    };
}
