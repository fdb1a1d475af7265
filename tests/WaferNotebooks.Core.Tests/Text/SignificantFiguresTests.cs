using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Tests.Text;

public class SignificantFiguresTests
{
    [Theory]
    [InlineData(0.012345, "0.0123")]
    [InlineData(4.5649, "4.56")]
    [InlineData(789.4, "789")]
    [InlineData(12345, "12,345")]
    [InlineData(1.9, "1.90")]
    public void ThreeKeepsThreeFiguresAndSeparators(double value, string expected) =>
        Assert.Equal(expected, SignificantFigures.Three(value));

    [Theory]
    [InlineData(8192, "8,192")]
    [InlineData(12_345, "12.3K")]
    [InlineData(4_194_304, "4.19M")]
    [InlineData(1.9e6, "1.90M")]
    [InlineData(2e12, "2.00T")]
    [InlineData(-3.5e9, "-3.50B")]
    public void ScaledUsesDecimalSuffixesFromTenThousand(double value, string expected) =>
        Assert.Equal(expected, SignificantFigures.Scaled(value));
}
