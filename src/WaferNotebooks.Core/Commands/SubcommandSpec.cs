using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Commands;

/// <summary>One subcommand of the grammar: its name, what it does, an example and its options.</summary>
public sealed record SubcommandSpec(string Name, string Description, string Example, IReadOnlyList<OptionSpec> Options)
{
    public OptionSpec? FindOption(string name)
    {
        var key = name.TrimStart('-');
        return Options.FirstOrDefault(o => string.Equals(o.Key, key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// An option this subcommand does not take, with the closest names it does take. Option
    /// names are short, so a typo is one edit per three letters at most ("--foo" is not "--on").
    /// </summary>
    public WaferInputException UnknownOption(string name)
    {
        var typed = name.TrimStart('-');
        return new WaferInputException($"{Name} does not take --{typed}; {CloseMatches.DidYouMean(typed, Options.Select(o => o.Key), "--")}'{Name} --help' lists its options.");
    }

    /// <summary>The options one front end shows (drops the other front end's own options).</summary>
    public IEnumerable<OptionSpec> OptionsFor(FrontEnd frontEnd) => Options.Where(o => o.AppliesTo(frontEnd));
}
