using System.CommandLine;
using System.CommandLine.Completions;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli;

/// <summary>
/// Builds a System.CommandLine command from one <see cref="SubcommandSpec"/> of the shared
/// grammar. Every option takes raw strings: values are parsed by <see cref="RequestParser"/>, the
/// same code the notebook directive uses, so both front ends accept and reject exactly the same
/// input with the same messages.
/// </summary>
internal static class GrammarCommand
{
    public static Command Create(SubcommandSpec spec, Func<SubcommandSpec, IReadOnlyDictionary<string, IReadOnlyList<string>>, CancellationToken, Task<int>> run)
    {
        var command = new Command(spec.Name, $"{spec.Description}\nExample: {CommandGrammar.RootName} {spec.Example}");
        var symbols = new List<(OptionSpec Spec, Option Option, Argument? Argument)>();
        foreach (var o in spec.OptionsFor(FrontEnd.CliOnly))
        {
            var option = CreateOption(o);
            command.Options.Add(option);
            Argument? argument = null;
            if (o.Implicit)
            {
                // The same value may come without its name: `catalog systems`.
                var positional = new Argument<string?>(o.Key) { Description = o.Description, Arity = ArgumentArity.ZeroOrOne, HelpName = o.HelpName };
                positional.CompletionSources.Add(Completions(o));
                command.Arguments.Add(positional);
                argument = positional;
            }
            symbols.Add((o, option, argument));
        }
        command.SetAction((parse, ct) =>
        {
            var values = new Dictionary<string, IReadOnlyList<string>>();
            foreach (var (o, option, argument) in symbols)
            {
                var given = new List<string>();
                if (argument is not null && parse.GetResult(argument) is { } a)
                    given.AddRange(a.Tokens.Select(t => t.Value));
                // A bool option has an implicit result (its default) even when absent.
                if (parse.GetResult(option) is { Implicit: false } r)
                    given.AddRange(r.Tokens.Select(t => t.Value));
                else if (given.Count == 0)
                    continue;
                values[o.Name] = given;
            }
            return run(spec, values, ct);
        });
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
