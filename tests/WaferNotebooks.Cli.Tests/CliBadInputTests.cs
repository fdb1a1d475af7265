namespace WaferNotebooks.Cli.Tests;

/// <summary>Bad input: a clear message on stderr, a non-zero exit, never a stack trace.</summary>
public class CliBadInputTests
{
    [Fact]
    public void Unknown_model_suggests_close_ids() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "llama2-70", "--on", "dgx-h100:512"), "llama2-70b");

    [Fact]
    public void Unknown_system_suggests_close_ids() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h10:512"), "dgx-h100");

    [Fact]
    public void Malformed_tokens() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--tokens", "2X"),
            "--tokens '2X': expected a number with an optional K/M/B/T suffix, e.g. 2T");

    [Fact]
    public void Negative_device_count() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:-4"),
            "--on dgx-h100:-4: device count must be a positive integer");

    [Fact]
    public void A_device_count_beyond_the_limit_is_not_called_negative() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:99999999999"),
            "--on dgx-h100:99999999999: the simulator takes at most 2,147,483,647 devices");

    [Theory]
    [InlineData("--power-cap", "700W", "--power-cap '700W': give the number alone, without the unit 'W': 700")]
    [InlineData("--checkpoint-bandwidth", "2 GB/s", "--checkpoint-bandwidth '2 GB/s': give the number alone, without the unit 'GB/s': 2")]
    [InlineData("--carbon", "1,5", "--carbon '1,5': write numbers without commas: a dot for decimals and no thousands separator, e.g. 400")]
    [InlineData("--eval-interval", "1.5", "--eval-interval 1.5: expected a whole number, e.g. 1000")]
    public void Numbers_with_units_decimal_commas_or_fractions_of_a_step_say_how_to_write_them(string option, string value, string message) =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", option, value), message);

    /// <summary>A K/M batch is tokens; one below a sequence used to round to one sequence (up to twice the tokens asked for, or 4,096 for 1K) without a word.</summary>
    [Theory]
    [InlineData("1K", "--batch '1K': 1,024 tokens (a K/M suffix means tokens, in powers of two) is less than one sequence of 4,096; give sequences without a suffix (1024 sequences), or at least 4,096 tokens")]
    [InlineData("1.5K", "--batch '1.5K': 1,536 tokens")]
    [InlineData("2K", "--batch '2K': 2,048 tokens")]
    public void A_token_batch_smaller_than_one_sequence_is_refused(string batch, string message) =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--batch", batch), message);

    /// <summary>The same system twice was two identical rows and a tie for every winner.</summary>
    [Fact]
    public void Compare_refuses_a_system_given_twice() =>
        CliRunner.AssertRefused(CliRunner.Run("compare", "--model", "llama2-7b", "--on", "dgx-h100:64", "--on", "cs-3:2", "--on", "dgx-h100:64"),
            "--on dgx-h100:64 is given 2 times; compare each system once, or vary the device count with sweep");

    /// <summary>--objective picks among the planner's layouts; beside a fixed --layout it was accepted and changed nothing.</summary>
    [Theory]
    [InlineData("estimate", "--on", "dgx-h100:64")]
    [InlineData("timeline", "--on", "dgx-h100:64")]
    [InlineData("sweep", "--on", "dgx-h100", "--counts", "64,128")]
    public void An_objective_beside_a_fixed_layout_is_refused(string subcommand, params string[] on) =>
        CliRunner.AssertRefused(CliRunner.Run([subcommand, "--model", "llama2-7b", .. on, "--layout", "tp=2", "--objective", "Energy"]),
            "--objective Energy: --layout fixes the layout, so no layout is chosen for energy; leave --objective out, or leave --layout out to run the best layout for energy");

    [Fact]
    public void Compare_takes_an_objective_beside_a_layout_since_it_ranks_the_systems_by_it()
    {
        var run = CliRunner.Run("compare", "--model", "llama2-7b", "--tokens", "100B", "--on", "dgx-h100:64", "--on", "dgx-a100-80gb:64", "--layout", "tp=2", "--objective", "energy", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("energy", System.Text.Json.JsonDocument.Parse(run.Out).RootElement.GetProperty("objective").GetString());
    }

    [Fact]
    public void Impossible_layout() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:192", "--layout", "tp=3"),
            "--layout: tp=3 does not divide the 64 attention heads");

    [Fact]
    public void Negative_price() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--price", "-2"),
            "--price '-2': must not be negative");

    [Fact]
    public void Non_numeric_seq() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--seq", "long"),
            "--seq 'long': expected a whole number");

    [Fact]
    public void Missing_model() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--on", "dgx-h100:512"), "estimate needs --model ID");

    /// <summary>
    /// Unknown options and subcommands: the same exit code, no stack trace, the closest names
    /// (the grammar's own messages since the CLI and the notebook share one reading of a line).
    /// </summary>
    [Theory]
    [InlineData("error: estimate does not take --bogus; 'estimate --help' lists its options.", "estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--bogus", "1")]
    [InlineData("error: estimate does not take --tokenz; did you mean --tokens?", "estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--tokenz", "1T")]
    [InlineData("Run 'wafer estimate --help' for usage.", "estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--bogus", "1")]
    [InlineData("error: Unknown subcommand 'estimat'; did you mean estimate?", "estimat", "--model", "llama2-70b")]
    [InlineData("Run 'wafer --help' for usage.", "estimat")]
    public void Parse_errors_are_bad_input(string fragment, params string[] args)
    {
        var run = CliRunner.Run(args);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(fragment, run.Err);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.DoesNotContain("Usage:", run.Err);
    }

    [Fact]
    public void Missing_data_file() =>
        CliRunner.AssertRefused(CliRunner.Run("validate", "--data", "no-such-file.csv"), "--data 'no-such-file.csv': file not found");

    [Fact]
    public void A_job_that_does_not_fit_exits_with_its_own_code()
    {
        // 405B parameters with their optimizer state cannot fit in 8 GPUs of 80 GB, whatever the layout.
        var run = CliRunner.Run("estimate", "--model", "llama3-405b", "--on", "dgx-h100:8", "--tokens", "1T");
        Assert.Equal(ExitCodes.Infeasible, run.ExitCode);
        Assert.StartsWith("does not fit: ", run.Err);
        Assert.DoesNotContain("does not fit: does not fit", run.Err);
        Assert.Contains("feasible", run.Out);
    }
}
