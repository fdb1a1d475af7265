using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Charts;

/// <summary>
/// The unit a chart shows durations in: seconds once the span reaches a second, milliseconds
/// below that, so an axis reads "5.29 s" rather than "5289 ms" with false precision.
/// </summary>
internal sealed record TimeUnit(string Symbol, string Plural, double PerSecond)
{
    private static readonly TimeUnit Seconds = new("s", "seconds", 1);
    private static readonly TimeUnit Milliseconds = new("ms", "milliseconds", 1e3);

    public static TimeUnit For(double spanS) => spanS >= 1 ? Seconds : Milliseconds;

    public double Of(double seconds) => seconds * PerSecond;

    /// <summary>Three significant figures, the precision an analytical estimate can claim.</summary>
    public string Format(double seconds) => $"{SignificantFigures.Three(Of(seconds))} {Symbol}";
}
