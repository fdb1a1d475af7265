namespace WaferNotebooks.Cli.Tests;

/// <summary>
/// The fuzzer's findings, each kept: extreme numbers and malformed catalogs are refused as bad
/// input with a message naming what was wrong, quickly, never wrapped to a plausible answer or
/// reported as an internal error.
/// </summary>
public class InputLimitsTests
{
    private const string Job = "--model llama2-7b --on dgx-h100:64";

    [Theory]
    [InlineData($"estimate {Job} --batch 9999999M", "--batch '9999999M': is 2,559,999,744 sequences of 4,096 tokens; the simulator takes at most 16,777,216")]
    [InlineData("compare --model llama2-7b --on dgx-h100:64 --on cs-3:2 --batch 2147483647", "--batch '2147483647': is 2,147,483,647 sequences")]
    [InlineData("estimate --model layers=32,hidden=1100000000,heads=32,vocab=32000 --on dgx-h100:64", "hidden 1,100,000,000 is more than the simulator takes (at most 1,048,576)")]
    [InlineData("estimate --model layers=2147483647,hidden=4096,heads=32,vocab=32000 --on dgx-h100:64", "layers 2,147,483,647 is more than the simulator takes (at most 10,000)")]
    [InlineData($"estimate {Job} --pue 1e308", "--pue '1e308': must be at most 10")]
    [InlineData($"estimate {Job} --price 1e300", "--price '1e300': must be at most 1,000,000")]
    [InlineData($"estimate {Job} --price 1e400", "--price '1e400': expected a number")]
    [InlineData($"estimate {Job} --tokens 1M", "--tokens: 1,000,000 tokens are 0.238 of one step of 4,194,304 tokens")]
    // Read as 1.5, not quoted as "2 tokens"; a default that is below one step is named as the default, not blamed on --tokens.
    [InlineData($"estimate {Job} --tokens 1.5", "--tokens: 1.5 tokens are 3.58E-07 of one step")]
    [InlineData("estimate --model layers=2,hidden=64,heads=4,vocab=100 --on dgx-h100:8", "--tokens not given: the default, 20 tokens per parameter (2,234,880 tokens), is 0.533 of one step of 4,194,304 tokens")]
    [InlineData($"estimate {Job} --tokens 1e30", "--tokens '1e30': at most 10^16 tokens (10,000T)")]
    [InlineData("estimate --model llama2-7b --on dgx-h100:2147483647", "There is no parallel layout of llama2-7b on 2,147,483,647")]
    [InlineData("estimate --model mixtral-8x7b --on h100:1G", "There is no parallel layout of mixtral-8x7b on 1,000,000,000")]
    [InlineData("estimate --model llama2-7b --on dgx-h100 --layout tp=65536,pp=65536,dp=1", "4,294,967,296 devices are more than the simulator counts")]
    public void Extreme_numbers_are_refused_with_a_message(string line, string message)
    {
        var run = CliRunner.Run(line.Split(' '));
        CliRunner.AssertRefused(run, message);
    }

    [Theory]
    [InlineData("""{"systems":[null]}""", "systems entry number 1 must be an object, found null")]
    [InlineData("""{"models":[3]}""", "models entry number 1 must be an object, found number")]
    [InlineData("""{"systems":{}}""", "\"systems\" must be an array of entries, found object")]
    [InlineData("""[1,2]""", "expected an object with \"accelerators\", \"systems\" or \"models\", found array")]
    [InlineData("""{"models":[{"id":"m","name":"m","layers":2,"hidden":64,"ffn_hidden":null,"heads":2,"vocab":100}]}""", "models entry 'm': \"ffn_hidden\" is null")]
    [InlineData("""{"accelerators":[{"id":"x","price_per_hour":-2}]}""", "accelerators entry 'x': \"price_per_hour\" is -2; it must be a finite number, not negative")]
    [InlineData("""{"accelerators":[{"id":"x","tdp_w":{"value":-1}}]}""", "accelerators entry 'x': \"tdp_w.value\" is -1")]
    public void Malformed_user_catalogs_name_the_file_entry_and_field(string json, string message)
    {
        var path = Path.Combine(Path.GetTempPath(), $"wafer-catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var run = CliRunner.Run("catalog", "--catalog", path);
            CliRunner.AssertRefused(run, $"Catalog file '{path}'", message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Run_with_out_pointing_at_a_file_is_bad_input()
    {
        var file = Path.GetTempFileName();
        try
        {
            var run = CliRunner.Run("run", Path.Combine(CliRunner.RepoRoot, "notebooks", "01-quickstart.ipynb"), "--out", file);
            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Contains("is a file; pass a folder", run.Err);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(",24,2304,9216,24,24,", ",24,2304,9216,25,25,", "impossible shape: hidden (2304) must be divisible by heads (25)")]
    [InlineData(",512,,,,dgx-a100-80gb,", ",512,,8,9,dgx-a100-80gb,", "impossible shape: active experts (9) must be between 1 and experts (8)")]
    public void Validation_rows_with_impossible_shapes_are_refused_on_their_line(string from, string to, string message)
    {
        var lines = File.ReadLines(Path.Combine(CliRunner.RepoRoot, "data", "validation", "runs.csv")).Take(2).ToArray();
        Assert.Contains(from, lines[1]);
        var path = Path.Combine(Path.GetTempPath(), $"wafer-shape-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, [lines[0], lines[1].Replace(from, to)]);
        try
        {
            var run = CliRunner.Run("validate", "--data", path);
            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Contains("line 2: malformed row: " + message, run.Err);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_validation_file_with_no_rows_is_an_error_not_zero_percent()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wafer-header-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, [File.ReadLines(Path.Combine(CliRunner.RepoRoot, "data", "validation", "runs.csv")).First()]);
        try
        {
            CliRunner.AssertRefused(CliRunner.Run("validate", "--data", path), "has a header and no rows");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_honours_cancellation_between_rows()
    {
        var lines = File.ReadLines(Path.Combine(CliRunner.RepoRoot, "data", "validation", "runs.csv")).ToArray();
        var path = Path.Combine(Path.GetTempPath(), $"wafer-many-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, [lines[0], .. Enumerable.Repeat(lines[1], 2000)]);
        try
        {
            // 2,000 rows take seconds; Ctrl+C half a second in must stop between rows, not after the last.
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            var run = CliRunner.Run(cancel.Token, "validate", "--data", path);
            Assert.Equal(ExitCodes.Cancelled, run.ExitCode);
            Assert.Contains("cancelled", run.Err);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
