using WaferNotebooks.Core;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli.Tests.Grammar;

/// <summary>A word outside an option's fixed set of choices is refused with the close choices first and every valid one listed.</summary>
public class ChoiceSuggestionTests
{
    private static string Fails(string subcommand, params (string Name, string Value)[] options) =>
        Assert.ThrowsAny<WaferInputException>(() => RequestParser.Default.Parse(subcommand,
            options.ToDictionary(o => o.Name, o => (IReadOnlyList<string>)[o.Value]))).Message;

    [Theory]
    [InlineData("--objective", "tme", "--objective 'tme': did you mean time? expected one of time, energy, cost")]
    [InlineData("--objective", "energie", "--objective 'energie': did you mean energy? expected one of time, energy, cost")]
    [InlineData("--precision", "bf-16", "--precision 'bf-16': did you mean bf16? expected one of bf16, fp16, fp8, fp4")]
    [InlineData("--framework", "megatorn-lm", "--framework 'megatorn-lm': did you mean megatron-lm? expected one of megatron-lm, megatron-core,")]
    public void A_misspelt_choice_gets_the_close_ones_and_the_list(string option, string value, string message) =>
        Assert.StartsWith(message, Fails("estimate", ("--model", "llama2-70b"), ("--on", "dgx-h100:512"), (option, value)));

    [Fact]
    public void A_word_close_to_no_choice_gets_the_list_alone() =>
        Assert.Equal("--objective 'speed': expected one of time, energy, cost",
            Fails("estimate", ("--model", "llama2-70b"), ("--on", "dgx-h100:512"), ("--objective", "speed")));

    [Fact]
    public void Every_subcommand_option_with_fixed_choices_suggests()
    {
        Assert.StartsWith("--kind 'sytems': did you mean systems?", Fails("catalog", ("--kind", "sytems")));
        Assert.StartsWith("--vary 'btch': did you mean batch?",
            Fails("sweep", ("--model", "llama3-70b"), ("--on", "dgx-h100:64"), ("--vary", "btch=256,512")));
        Assert.StartsWith("--layout recompute 'ful': did you mean full?",
            Fails("estimate", ("--model", "llama2-70b"), ("--on", "dgx-h100:512"), ("--layout", "tp=8,recompute=ful")));
        Assert.StartsWith("--cv 'papr': did you mean paper?",
            Fails("validate", ("--data", Path.Combine(CliRunner.RepoRoot, "data", "validation", "runs.csv")), ("--cv", "papr")));
        Assert.StartsWith("--fit 'launch': did you mean launch_s?",
            Fails("calibrate", ("--data", Path.Combine(CliRunner.RepoRoot, "data", "validation", "runs.csv")), ("--fit", "launch")));
    }

    /// <summary>Option names and layout keys get the hint every other refusal gives (CloseMatches.DidYouMean): the two closest, joined by "or".</summary>
    [Fact]
    public void Misspelt_option_names_and_layout_keys_get_the_same_hint_as_choices()
    {
        Assert.Equal("estimate does not take --p; did you mean --power-cap or --precision? 'estimate --help' lists its options.",
            Assert.Throws<WaferInputException>(() => CommandLine.Parse(["estimate", "--model", "llama3-8b", "--p", "1"], FrontEnd.CliOnly)).Message);
        Assert.StartsWith("--layout 'tp=1,p=2': unknown key 'p'; did you mean cp or dp? expected tp, pp,",
            Fails("estimate", ("--model", "llama2-70b"), ("--on", "dgx-h100:512"), ("--layout", "tp=1,p=2")));
        Assert.Equal("did you mean --tokens? ", Core.Catalog.CloseMatches.DidYouMean("tokenz", ["tokens", "model"], "--"));
    }

    [Fact]
    public void A_number_is_not_taken_for_a_typo() =>
        Assert.Equal("--layout zero '4': expected one of 0, 1, 2, 3",
            Fails("estimate", ("--model", "llama2-70b"), ("--on", "dgx-h100:512"), ("--layout", "zero=4")));
}
