using System.Globalization;

namespace WaferNotebooks.Interactive.Tests;

/// <summary>Durations in cards read like the charts' axes: seconds from a second up, milliseconds below, microseconds below a millisecond, three figures.</summary>
public class UnitsTests
{
    [Theory]
    [InlineData(1.902, "1.90 s")]
    [InlineData(5.2893, "5.29 s")]
    [InlineData(12.34, "12.3 s")]
    [InlineData(123.4, "123 s")]
    [InlineData(0.5321, "532 ms")]
    [InlineData(0.01234, "12.3 ms")]
    [InlineData(0.0012, "1.20 ms")]
    [InlineData(0.9996, "1.00 s")]
    [InlineData(9.996, "10.0 s")]
    [InlineData(0, "0 ms")]
    [InlineData(0.00001, "10.0 µs")]
    [InlineData(0.0009996, "1.00 ms")]
    [InlineData(0.000000532, "0.532 µs")]
    public void Duration_switches_to_seconds_at_one_second_and_to_microseconds_below_a_millisecond_with_three_significant_figures(double seconds, string expected)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try { Assert.Equal(expected, WaferNotebooks.Core.Commands.ValueText.Duration(seconds)); }
        finally { CultureInfo.CurrentCulture = culture; }
    }
}
