using System.CommandLine;
using System.CommandLine.Completions;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli;

/// <summary>
/// Builds the System.CommandLine command of one <see cref="SubcommandSpec"/> of the shared
/// grammar, for <c>--help</c> and shell completions only: the command lines themselves are read
/// by Core's <see cref="CommandLine"/>, the code the notebook directive uses, so both front ends
/// accept and reject exactly the same input with the same messages.
/// </summary>
internal static class GrammarCommand
{
    public static Command Create(SubcommandSpec spec)
    {
        var command = new Command(spec.Name, $"{spec.Description}\nExample: {CommandGrammar.RootName} {spec.Example}");
        foreach (var o in spec.OptionsFor(FrontEnd.CliOnly))
        {
            command.Options.Add(CreateOption(o));
            if (o.Implicit)
            {
                // The same value may come without its name: `catalog systems`.
                var positional = new Argument<string?>(o.Key) { Description = o.Description, Arity = ArgumentArity.ZeroOrOne, HelpName = o.HelpName };
                positional.CompletionSources.Add(Completions(o));
                command.Arguments.Add(positional);
            }
        }
        return command;
    }
    private static Option CreateOption(OptionSpec o)
    {
        var description = o.DefaultText is null ? o.Description : $"{o.Description} Default: {o.DefaultText}.";
        Option option = o switch
        {
            { IsFlag: true } => new Option<bool>(o.Name) { Arity = ArgumentArity.ZeroOrOne },
            { Repeatable: true } => new Option<string[]>(o.Name) { Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false },
            _ => new Option<string>(o.Name),
        };
        option.Description = description;
        if (!o.IsFlag)
        {
            option.HelpName = o.HelpName;
            option.CompletionSources.Add(Completions(o));
        }
        return option;
    }

    private static Func<CompletionContext, IEnumerable<CompletionItem>> Completions(OptionSpec o) =>
        context => CommandGrammar.CompletionsFor(o)
            .Where(v => v.StartsWith(context.WordToComplete, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionItem(v));
}
