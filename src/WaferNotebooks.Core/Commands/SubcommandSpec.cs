namespace WaferNotebooks.Core.Commands;

/// <summary>One subcommand of the grammar: its name, what it does, an example and its options.</summary>
public sealed record SubcommandSpec(string Name, string Description, string Example, IReadOnlyList<OptionSpec> Options)
{
    public OptionSpec? FindOption(string name)
    {
        var key = name.TrimStart('-');
        return Options.FirstOrDefault(o => string.Equals(o.Key, key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The options one front end shows (drops the other front end's own options).</summary>
    public IEnumerable<OptionSpec> OptionsFor(FrontEnd frontEnd) => Options.Where(o => o.AppliesTo(frontEnd));
}
