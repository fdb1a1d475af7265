using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Interactive;

/// <summary>Durations as the cards and the charts' axes read them; the one rule is Core's <see cref="ValueText.Duration"/>.</summary>
internal static class Units
{
    public static string Duration(double seconds) => ValueText.Duration(seconds);
}
