using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Gpu;

namespace WaferNotebooks.Core.Tests.Commands;

/// <summary>--framework NAME@YYYY-MM: a month before the framework existed or after the current one is refused, never costed as its oldest or today's profile.</summary>
public class FrameworkReleaseTests
{
    [Theory]
    [InlineData("megatron-lm@1999-01", "megatron-lm@2019-08")]
    [InlineData("nemo@2018-05", "nemo@2019-08")]
    [InlineData("deepspeed@2019-12", "deepspeed@2020-02")]
    [InlineData("llm-foundry@2021-01", "fsdp@2021-02")]
    [InlineData("torchtitan+compiled@2024-03", "torchtitan@2024-04")]
    public void A_month_before_the_first_release_is_refused_naming_the_earliest_valid_month(string text, string earliest)
    {
        var e = Assert.Throws<WaferInputException>(() => ValueParsers.ParseFramework("--framework", text));
        Assert.Contains($"the earliest valid month is {earliest}", e.Message);
        Assert.Contains("first released in", e.Message);
    }

    [Fact]
    public void Every_framework_has_a_first_release_with_its_source_and_its_first_month_is_accepted()
    {
        foreach (var f in TrainingFramework.All)
        {
            Assert.True(f.FirstRelease > new DateOnly(2015, 1, 1), f.Name);
            Assert.False(string.IsNullOrWhiteSpace(f.FirstReleaseSource), f.Name);
            var month = f.FirstRelease.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Same(f, ValueParsers.ParseFramework("--framework", $"{f.Name}@{month}").Framework);
        }
    }

    /// <summary>A fixed clock, so the latest valid month does not move with the day the tests run.</summary>
    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    static readonly FixedClock MidDecember2026 = new(new DateTimeOffset(2026, 12, 2, 15, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("megatron-lm@2030-01", "megatron-lm@2026-12")]
    [InlineData("nemo@2027-01", "nemo@2026-12")]
    [InlineData("torchtitan+compiled@2027-06", "torchtitan@2026-12")]
    public void A_month_after_the_current_one_is_refused_naming_the_latest_valid_month(string text, string latest)
    {
        var e = Assert.Throws<WaferInputException>(() => ValueParsers.ParseFramework("--framework", text, MidDecember2026));
        Assert.Contains($"the latest valid month is {latest}", e.Message);
        Assert.Contains("after the current month", e.Message);
    }

    [Fact]
    public void The_current_month_is_accepted()
    {
        var (framework, software) = ValueParsers.ParseFramework("--framework", "megatron-lm@2026-12", MidDecember2026);
        Assert.Same(TrainingFramework.MegatronLm, framework);
        Assert.Equal(TrainingFramework.MegatronLm.SoftwareAt(new DateOnly(2026, 12, 1)), software);
    }
}
