using WaferNotebooks.Core;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Sweeps;

namespace WaferNotebooks.Cli.Tests.Grammar;

public class ValueParsersTests
{
    [Theory]
    [InlineData("2T", 2e12)]
    [InlineData("2t", 2e12)]
    [InlineData("1.5B", 1.5e9)]
    [InlineData("300M", 3e8)]
    [InlineData("50K", 5e4)]
    [InlineData("1.4e12", 1.4e12)]
    [InlineData("123456", 123456)]
    [InlineData(" 2T ", 2e12)]
    public void Token_counts_take_decimal_suffixes(string text, double expected) =>
        Assert.Equal(expected, ValueParsers.ParseTokenCount("--tokens", text), 6);

    [Fact]
    public void A_bad_token_suffix_says_what_is_expected()
    {
        var e = Assert.Throws<WaferInputException>(() => ValueParsers.ParseTokenCount("--tokens", "2X"));
        Assert.Equal("--tokens '2X': expected a number with an optional K/M/B/T suffix, e.g. 2T", e.Message);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("two")]
    public void Token_counts_must_be_positive_numbers(string text) =>
        Assert.StartsWith($"--tokens '{text}':", Assert.Throws<WaferInputException>(() => ValueParsers.ParseTokenCount("--tokens", text)).Message);

    [Theory]
    [InlineData("1024", 4096, 1024)]
    [InlineData("4M", 4096, 1024)]
    [InlineData("4M", 2048, 2048)]
    [InlineData("512K", 4096, 128)]
    [InlineData("3M", 2048, 1536)]
    public void Batches_are_sequences_or_binary_token_counts(string text, int seq, int expectedSeqs) =>
        Assert.Equal(expectedSeqs, ValueParsers.ParseBatch("--batch", text).ToSequences(seq));

    [Theory]
    [InlineData("-8")]
    [InlineData("1.5")]
    [InlineData("4T")]
    [InlineData("abc")]
    public void Bad_batches_name_the_option(string text) =>
        Assert.StartsWith($"--batch '{text}':", Assert.Throws<WaferInputException>(() => ValueParsers.ParseBatch("--batch", text)).Message);

    [Theory]
    [InlineData("4096", false, 4096)]
    [InlineData("8K", true, 8192)]
    [InlineData("2k", true, 2048)]
    public void Integers_take_K_as_1024_only_where_asked(string text, bool kibi, int expected) =>
        Assert.Equal(expected, ValueParsers.ParsePositiveInt("--seq", text, kibi));

    [Fact]
    public void Negative_integers_are_refused() =>
        Assert.Equal("--top '-3': must be a positive whole number",
            Assert.Throws<WaferInputException>(() => ValueParsers.ParsePositiveInt("--top", "-3")).Message);

    [Theory]
    [InlineData("--pue", "0.9", 1, "--pue '0.9': must be at least 1")]
    [InlineData("--price", "-1", 0, "--price '-1': must not be negative")]
    [InlineData("--carbon", "lots", 0, "--carbon 'lots': expected a number, e.g. 400")]
    public void Numbers_have_a_floor(string option, string text, double minimum, string message) =>
        Assert.Equal(message, Assert.Throws<WaferInputException>(() => ValueParsers.ParseNumber(option, text, minimum, "400")).Message);

    /// <summary>Whole numbers (evaluation steps and batches) read as every number does, then must be whole: one parsing path.</summary>
    [Theory]
    [InlineData("1000", 1000.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData(" 0 ", 0.0)]
    public void Whole_numbers_read_as_numbers_do(string text, double expected) =>
        Assert.Equal(expected, ValueParsers.ParseWholeNumber("--eval-iters", text, 0, "100", 1e6));

    [Theory]
    [InlineData("1.5", "--eval-interval 1.5: expected a whole number, e.g. 1000")]
    [InlineData("0", "--eval-interval '0': must be at least 1")]
    [InlineData("2 steps", "--eval-interval '2 steps': give the number alone, without the unit 'steps': 2")]
    [InlineData("2e9", "--eval-interval '2e9': must be at most 1,000,000,000")]
    public void Whole_numbers_refuse_fractions_and_what_any_number_refuses(string text, string message) =>
        Assert.Equal(message, Assert.Throws<WaferInputException>(() => ValueParsers.ParseWholeNumber("--eval-interval", text, 1, "1000", 1e9)).Message);

    [Fact]
    public void Numbers_use_a_dot_whatever_the_culture()
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal(1.25, ValueParsers.ParseNumber("--pue", "1.25", 1, "1.2"));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    [Theory]
    [InlineData("dgx-h100:512", "dgx-h100", 512)]
    [InlineData("cs-3", "cs-3", null)]
    [InlineData("h100-roce:16K", "h100-roce", 16000)]
    public void System_targets_split_at_the_last_colon(string text, string id, int? devices) =>
        Assert.Equal((id, devices), ValueParsers.ParseSystemTarget("--on", text));

    [Theory]
    [InlineData("dgx-h100:-4")]
    [InlineData("dgx-h100:0")]
    [InlineData("dgx-h100:many")]
    [InlineData("dgx-h100:2.5")]
    public void Device_counts_must_be_positive_integers(string text) =>
        Assert.StartsWith($"--on {text}: device count must be a positive integer",
            Assert.Throws<WaferInputException>(() => ValueParsers.ParseSystemTarget("--on", text)).Message);

    [Fact]
    public void The_device_count_message_matches_the_documented_one() =>
        Assert.Equal("--on dgx-h100:-4: device count must be a positive integer, e.g. dgx-h100:512",
            Assert.Throws<WaferInputException>(() => ValueParsers.ParseSystemTarget("--on", "dgx-h100:-4")).Message);

    [Theory]
    [InlineData("8,16,32", new[] { 8, 16, 32 })]
    [InlineData("32,8,16,8", new[] { 8, 16, 32 })]
    [InlineData("8..64", new[] { 8, 16, 32, 64 })]
    [InlineData("8..100", new[] { 8, 16, 32, 64, 100 })]
    [InlineData("64..256:64", new[] { 64, 128, 192, 256 })]
    [InlineData("1K..4K", new[] { 1000, 2000, 4000 })]
    [InlineData("16", new[] { 16 })]
    public void Counts_are_lists_or_ranges(string text, int[] expected) =>
        Assert.Equal(expected, ValueParsers.ParseCounts("--counts", text));

    [Theory]
    [InlineData("64..8", "the range must rise")]
    [InlineData("8,x", "expected a list 8,16,32")]
    [InlineData("0..8", "device counts must be positive")]
    [InlineData("1..1000000:1", "more than 100,000 device counts")]
    public void Bad_counts_say_why(string text, string why) =>
        Assert.Contains(why, Assert.Throws<WaferInputException>(() => ValueParsers.ParseCounts("--counts", text)).Message);

    [Theory]
    [InlineData("bf16", Precision.Bf16)]
    [InlineData("FP8", Precision.Fp8)]
    [InlineData("fp16", Precision.Fp16)]
    [InlineData("fp4", Precision.Fp4)]
    public void Precisions_parse_case_insensitively(string text, Precision expected) =>
        Assert.Equal(expected, ValueParsers.ParsePrecision("--precision", text));

    [Fact]
    public void An_unknown_precision_lists_the_choices() =>
        Assert.Equal("--precision 'fp32': expected one of bf16, fp16, fp8, fp4",
            Assert.Throws<WaferInputException>(() => ValueParsers.ParsePrecision("--precision", "fp32")).Message);

    [Fact]
    public void Knobs_parse_with_their_own_value_kinds()
    {
        var batch = ValueParsers.ParseKnob("--vary", "batch=512,4M", 4096);
        Assert.Equal(KnobKind.GlobalBatch, batch.Kind);
        Assert.Equal([512.0, 1024.0], batch.Values);
        var tokens = ValueParsers.ParseKnob("--vary", "tokens=1T,2T", 4096);
        Assert.Equal([1e12, 2e12], tokens.Values);
        Assert.Contains("expected one of batch", Assert.Throws<WaferInputException>(() => ValueParsers.ParseKnob("--vary", "speed=1,2", 4096)).Message);
        Assert.StartsWith("--vary pue '0.5'", Assert.Throws<WaferInputException>(() => ValueParsers.ParseKnob("--vary", "pue=1.1,0.5", 4096)).Message);
    }

    [Theory]
    [InlineData("run1", true)]
    [InlineData("_x", true)]
    [InlineData("1run", false)]
    [InlineData("my-run", false)]
    public void Names_are_csharp_identifiers(string text, bool ok)
    {
        if (ok)
            Assert.Equal(text, ValueParsers.ParseIdentifier("--name", text));
        else
            Assert.Throws<WaferInputException>(() => ValueParsers.ParseIdentifier("--name", text));
    }
}
