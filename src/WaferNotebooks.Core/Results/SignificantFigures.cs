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
}
