using System.Text.Json;

namespace WaferNotebooks.Cli.Tests.Commands;

/// <summary>--vary sets its input at every point: the same input given as an option is refused, not dropped; a value written twice is one point.</summary>
public class SweepKnobInputTests
{
    [Theory]
    [InlineData("--price", "100", "price=1,2")]
    [InlineData("--seq", "8K", "seq=2K,4K")]
    [InlineData("--batch", "512", "batch=256,1024")]
    [InlineData("--tokens", "1T", "tokens=100B,200B")]
    [InlineData("--pue", "1.5", "pue=1.1,1.3")]
    [InlineData("--carbon", "50", "carbon=100,400")]
    public void An_option_the_knob_sets_is_refused(string option, string value, string vary) =>
        CliRunner.AssertRefused(CliRunner.Run("sweep", "--model", "llama2-7b", "--on", "dgx-h100:8", option, value, "--vary", vary),
            $"--vary {vary} sets {option} at every point of the sweep, so {option} {value} would be ignored; leave {option} out, or vary another knob");

    [Fact]
    public void Another_option_beside_the_knob_still_applies()
    {
        var run = CliRunner.Run("sweep", "--model", "llama2-7b", "--on", "dgx-h100:8", "--seq", "2K", "--vary", "batch=256,512", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.All(JsonDocument.Parse(run.Out).RootElement.GetProperty("points").EnumerateArray(),
            p => Assert.Equal(2048, p.GetProperty("job").GetProperty("seq_len").GetInt32()));
    }

    [Fact]
    public void A_value_written_twice_is_one_point()
    {
        var run = CliRunner.Run("sweep", "--model", "llama2-7b", "--on", "dgx-h100:8", "--vary", "seq=2K,2048,4K", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal([2048, 4096], JsonDocument.Parse(run.Out).RootElement.GetProperty("points").EnumerateArray()
            .Select(p => p.GetProperty("job").GetProperty("seq_len").GetInt32()));
    }
}

/// <summary>The sweep's subtitle quoted the job's default tokens (135B) above points run at --vary tokens=1T,2T.</summary>
public class SweepSubtitleTests
{
    [Fact]
    public void Varied_tokens_are_not_quoted_as_one_count()
    {
        var run = CliRunner.Run("sweep", "--model", "llama2-7b", "--on", "dgx-h100", "--counts", "8,16", "--vary", "tokens=1T,2T");
        Assert.Equal(0, run.ExitCode);
        var subtitle = run.Out.Split('\n')[1];
        Assert.StartsWith("tokens as varied, best layout by time at each count", subtitle);
        Assert.DoesNotContain("135B", run.Out);
    }
}

/// <summary>A varied batch of 8 sequences read "8.00" beside one of 512 reading "512": a count of sequences has no decimals.</summary>
public class SweepKnobColumnTests
{
    [Fact]
    public void A_varied_batch_is_a_whole_count_of_sequences()
    {
        var run = CliRunner.Run("sweep", "--model", "llama2-7b", "--on", "dgx-h100", "--counts", "8", "--vary", "batch=8,512");
        Assert.Equal(0, run.ExitCode);
        var rows = run.Out.Split('\n').Where(l => l.TrimStart().StartsWith("8 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Matches(@"^\s*8\s+8\s+tp=", rows[0]);
        Assert.Matches(@"^\s*8\s+512\s+tp=", rows[1]);
        Assert.DoesNotContain("8.00", run.Out);
    }
}

/// <summary>A count beyond the system's size was skipped with "Jeanzay-a100-80gb is built with ...": the sentence's capital changed the id.</summary>
public class SweepSkippedCountTests
{
    [Fact]
    public void A_skipped_count_quotes_the_system_id_as_it_is()
    {
        var run = CliRunner.Run("sweep", "--model", "llama2-7b", "--on", "jeanzay-a100-80gb", "--counts", "256,512");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("512 devices: skipped: jeanzay-a100-80gb is built with at most 416 devices; 512 were asked for.", run.Out);
    }
}
