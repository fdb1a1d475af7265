namespace WaferNotebooks.Interactive;

/// <summary>Compact numbers for cards and tables: 1.23M, 4.5T.</summary>
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
}
