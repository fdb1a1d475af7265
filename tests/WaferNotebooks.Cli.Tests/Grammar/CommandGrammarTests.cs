using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli.Tests.Grammar;

public class CommandGrammarTests
{
    [Fact]
    public void The_grammar_has_the_seven_subcommands_of_the_design_and_calibrate() =>
        Assert.Equal(["estimate", "compare", "sweep", "plan", "catalog", "validate", "calibrate", "timeline"], CommandGrammar.Subcommands.Select(s => s.Name));

    [Fact]
    public void Every_subcommand_and_option_is_described_and_unique()
    {
        foreach (var s in CommandGrammar.Subcommands)
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Description));
            Assert.StartsWith(s.Name + " ", s.Example);
            Assert.Equal(s.Options.Count, s.Options.Select(o => o.Name).Distinct().Count());
            Assert.All(s.Options, o =>
            {
                Assert.StartsWith("--", o.Name);
                Assert.False(string.IsNullOrWhiteSpace(o.Description));
                Assert.True(o.IsFlag || o.HelpName.Length > 0, $"{o.Name} has no help name");
            });
        }
    }

    [Fact]
    public void Front_end_options_are_marked()
    {
        Assert.Equal(FrontEnd.CliOnly, CommandGrammar.Json.FrontEnd);
        Assert.Equal(FrontEnd.NotebookOnly, CommandGrammar.Name.FrontEnd);
        Assert.Equal(FrontEnd.NotebookOnly, CommandGrammar.Offline.FrontEnd);
        Assert.DoesNotContain(CommandGrammar.Estimate.OptionsFor(FrontEnd.CliOnly), o => o.Name == "--name");
        Assert.DoesNotContain(CommandGrammar.Estimate.OptionsFor(FrontEnd.NotebookOnly), o => o.Name == "--json");
    }

    [Fact]
    public void Only_compare_repeats_on()
    {
        Assert.True(CommandGrammar.Compare.FindOption("on")!.Repeatable);
        Assert.All(CommandGrammar.Subcommands.Where(s => s.Name != "compare"), s => Assert.False(s.FindOption("--on")?.Repeatable ?? false));
    }

    [Fact]
    public void Every_subcommand_takes_repeatable_catalog_files_in_both_front_ends()
    {
        Assert.All(CommandGrammar.Subcommands, s =>
        {
            var option = s.FindOption("--catalog");
            Assert.Same(CommandGrammar.UserCatalog, option);
            Assert.Contains(option, s.OptionsFor(FrontEnd.CliOnly));
            Assert.Contains(option, s.OptionsFor(FrontEnd.NotebookOnly));
        });
        Assert.True(CommandGrammar.UserCatalog.Repeatable);
        Assert.Equal(ValueKind.File, CommandGrammar.UserCatalog.Kind);
        Assert.Contains(UserCatalogs.EnvironmentVariable, CommandGrammar.UserCatalog.Description);
    }

    [Fact]
    public void Every_example_parses_into_a_request()
    {
        foreach (var s in CommandGrammar.Subcommands)
        {
            var request = RequestParser.Default.Parse(s.Name, ExampleValues(s.Example));
            Assert.Equal(s.Name, request.Subcommand);
        }
    }

    [Fact]
    public void Completions_come_from_the_catalog_and_the_choices()
    {
        Assert.Contains("llama2-70b", CommandGrammar.CompletionsFor(CommandGrammar.Model));
        Assert.Contains("dgx-h100", CommandGrammar.CompletionsFor(CommandGrammar.On));
        Assert.Contains("cs-3", CommandGrammar.CompletionsFor(CommandGrammar.On));
        Assert.Equal(["bf16", "fp16", "fp8", "fp4"], CommandGrammar.CompletionsFor(CommandGrammar.Precision));
        Assert.Contains("batch=", CommandGrammar.CompletionsFor(CommandGrammar.Vary));
    }

    [Fact]
    public void An_unknown_subcommand_suggests_the_closest_and_lists_the_known_ones() =>
        Assert.Equal("Unknown subcommand 'estimat'; did you mean estimate? Expected one of estimate, compare, sweep, plan, catalog, validate, calibrate, timeline.",
            Assert.Throws<Core.WaferInputException>(() => CommandGrammar.Find("estimat")).Message);

    /// <summary>Splits an example line the way a shell would (no quoting needed in the examples).</summary>
    internal static Dictionary<string, IReadOnlyList<string>> ExampleValues(string example)
    {
        var words = example.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var values = new Dictionary<string, List<string>>();
        string? current = null;
        foreach (var w in words)
        {
            if (w.StartsWith("--"))
            {
                current = w;
                if (!values.ContainsKey(w)) values[w] = [];
            }
            else
            {
                // Example paths are relative to the repository root.
                var value = current == "--data" ? Path.Combine(CliRunner.RepoRoot, w) : w;
                values[current ?? "--kind"] = [.. values.GetValueOrDefault(current ?? "--kind") ?? [], value];
            }
        }
        return values.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value);
    }
}
