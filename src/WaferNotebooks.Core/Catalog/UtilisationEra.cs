using System.Globalization;

namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// One Cerebras software-release era of a wafer cluster's sustained utilisation: the release
/// (<c>R2.0</c>), the month its first measured log dates from (YYYY-MM), the utilisation with its
/// range, and the measured rows it was fitted to (docs/wafer-model.md §6.1). An era applies from
/// its month until the next era's.
/// </summary>
public sealed record UtilisationEra(string Release, string From, Sourced Utilisation, IReadOnlyList<string> Rows)
{
    /// <summary>The first day of <see cref="From"/>.</summary>
    public DateOnly Start => Month(From) ?? throw new FormatException($"utilisation era {Release}: from must be YYYY-MM, not '{From}'");

    /// <summary>The release as (major, minor); null when it is not written R<i>major</i>.<i>minor</i>[.<i>patch</i>].</summary>
    public (int Major, int Minor)? Version => ParseVersion(Release);

    /// <summary>Release text as users and logs write it (R2.0.3, r2.5, 2.1, "R2.5 (job image 2.5.1)") as (major, minor).</summary>
    public static (int Major, int Minor)? ParseVersion(string text)
    {
        var t = text.Trim();
        if (t.StartsWith('R') || t.StartsWith('r')) t = t[1..];
        var parts = t.Split([' ', '('], 2)[0].Split('.');
        return parts.Length >= 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor)
            ? (major, minor) : null;
    }

    /// <summary>The era name of a release: R<i>major</i>.<i>minor</i>.</summary>
    public static string NameOf((int Major, int Minor) v) => $"R{v.Major}.{v.Minor}";

    public static DateOnly? Month(string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>Says what is wrong with an era list read from a catalog file, or null.</summary>
    public static string? Problem(IReadOnlyList<UtilisationEra> eras)
    {
        foreach (var e in eras)
        {
            if (e.Version is null) return $"utilisation era '{e.Release}': the release must be written R<major>.<minor>, e.g. R2.0";
            if (Month(e.From) is null) return $"utilisation era {e.Release}: from must be YYYY-MM, not '{e.From}'";
            if (e.Utilisation.Value is <= 0 or > 1) return $"utilisation era {e.Release}: the utilisation must be a fraction in (0, 1]";
        }
        for (int i = 1; i < eras.Count; i++)
            if (eras[i].Start <= eras[i - 1].Start || eras[i].Version!.Value.CompareTo(eras[i - 1].Version!.Value) <= 0)
                return $"utilisation eras must be listed oldest first, with later months and releases ({eras[i - 1].Release} {eras[i - 1].From} before {eras[i].Release} {eras[i].From})";
        return null;
    }
}
