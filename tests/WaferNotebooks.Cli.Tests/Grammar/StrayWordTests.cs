using WaferNotebooks.Core;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli.Tests.Grammar;

/// <summary>A word without an option name before it is refused with what it was taken for and what to write instead, for every subcommand.</summary>
public class StrayWordTests
{
    private static string Fails(params string[] words) =>
        Assert.Throws<WaferInputException>(() => CommandLine.Parse(words, FrontEnd.CliOnly)).Message;

    [Fact]
    public void A_second_kind_after_kind_says_catalog_lists_one()
    {
        Assert.Equal("catalog: 'systems' would be a second --kind after --kind systems, and catalog takes one; write catalog systems or catalog --kind systems (without it: all three)",
            Fails("catalog", "--kind", "systems", "systems"));
        Assert.Equal("catalog: 'models' would be a second --kind after 'systems', and catalog takes one; write catalog models or catalog --kind models (without it: all three)",
            Fails("catalog", "systems", "models"));
        // The same kind by name after the word: the word already gave it.
        Assert.Equal("catalog: --kind models would be a second --kind after 'systems', and catalog takes one; write catalog models or catalog --kind models (without it: all three)",
            Fails("catalog", "systems", "--kind", "models"));
    }

    [Fact]
    public void A_word_after_a_switch_is_not_its_value()
    {
        Assert.Equal("--json is a switch and takes no value, so 'true' after it is not read; write --json alone",
            Fails("estimate", "--model", "llama3-8b", "--on", "dgx-h100:8", "--json", "true"));
        // A known id after a switch lacks its own option rather than being the switch's value.
        Assert.Equal("estimate: 'llama3-8b' has no option name before it; did you mean --model llama3-8b?",
            Fails("estimate", "--json", "llama3-8b", "--on", "dgx-h100:8"));
    }

    [Fact]
    public void A_known_id_without_its_option_gets_the_option()
    {
        Assert.Equal("estimate: 'dgx-h100:8' has no option name before it (--model took 'llama3-8b'); did you mean --on dgx-h100:8?",
            Fails("estimate", "--model", "llama3-8b", "dgx-h100:8"));
        Assert.Equal("plan: 'llama3-8b' has no option name before it; did you mean --model llama3-8b?",
            Fails("plan", "llama3-8b", "--on", "dgx-h100:8"));
        Assert.Equal("validate: 'paper' has no option name before it (--data took 'runs.csv'); did you mean --cv paper?",
            Fails("validate", "--data", "runs.csv", "paper"));
        Assert.Equal("sweep: 'dgx-h100' has no option name before it (--model took 'llama3-8b'); did you mean --on dgx-h100?",
            Fails("sweep", "--model", "llama3-8b", "dgx-h100", "--counts", "8..64"));
    }

    [Theory]
    [InlineData("estimate", "1T", "estimate --model llama2-7b --on dgx-h100:64 1T")]
    [InlineData("compare", "fast", "compare --model llama2-7b --on dgx-h100:64 --on cs-3:4 fast")]
    [InlineData("timeline", "extra", "timeline --model llama2-7b --on dgx-h100:64 extra")]
    [InlineData("validate", "fast", "validate --data runs.csv fast")]
    [InlineData("calibrate", "x", "calibrate --data runs.csv --fit launch_s x")]
    public void Any_other_stray_word_names_the_option_before_it_and_gives_an_example(string subcommand, string word, string line)
    {
        var message = Fails(line.Split(' '));
        var example = CommandGrammar.Find(subcommand).Example;
        var before = line.Split(' ')[^3];
        Assert.Equal($"{subcommand}: '{word}' has no option name before it ({before} took '{line.Split(' ')[^2]}'); " +
            $"every value follows its option's name (quote a value that has spaces), for example: {example}", message);
    }

    [Fact]
    public void A_stray_word_first_gives_the_example() =>
        Assert.Equal("validate: 'runs.csv' has no option name before it; every value follows its option's name (quote a value that has spaces), for example: "
            + CommandGrammar.Find("validate").Example, Fails("validate", "runs.csv"));
}
