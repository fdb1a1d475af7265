using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Uncertainty;

namespace WaferNotebooks.Core.Tests.Uncertainty;

public class RangeTextTests
{
    [Theory]
    [InlineData(9.1234, 6.8, 13.44, "days", "9.12 days (6.80–13.4)")]
    [InlineData(108.4, 77.2, 360.1, "days", "108 days (77.2–360)")]
    [InlineData(1234.5, 1234.6, 1234.9, "MWh", "1,235 MWh")]
    [InlineData(0.0564, 0.0492, 0.125, "", "0.0564 (0.0492–0.125)")]
    public void A_value_prints_with_its_range_at_three_significant_figures(double nominal, double low, double high, string unit, string expected) =>
        Assert.Equal(expected, RangeText.Format(nominal, new MetricRange(low, high), unit));

    [Fact]
    public void Without_a_range_only_the_value_prints() =>
        Assert.Equal("42.0 kW", RangeText.Format(42, null, "kW"));
}
