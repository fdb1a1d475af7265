namespace WaferNotebooks.Core.Commands;

/// <summary>What an option's value is; the front ends use it for type hints and help text.</summary>
public enum ValueKind
{
    /// <summary>Present or absent; takes no value.</summary>
    Flag,
    /// <summary>A model id from the catalog, or an inline architecture (layers=..,hidden=..,heads=..,vocab=..).</summary>
    Model,
    /// <summary>SYSTEM[:COUNT], a system id with an optional device count.</summary>
    SystemTarget,
    /// <summary>A count with an optional K/M/B/T suffix (powers of ten).</summary>
    TokenCount,
    /// <summary>Global batch: sequences, or tokens with a K/M suffix (powers of two).</summary>
    Batch,
    /// <summary>A positive integer; sequence lengths accept K = 1024.</summary>
    Integer,
    /// <summary>A non-negative decimal number.</summary>
    Number,
    /// <summary>tp=8,pp=4,dp=32,... (see <see cref="LayoutSpec"/>).</summary>
    Layout,
    /// <summary>One of <see cref="OptionSpec.AllowedValues"/>.</summary>
    Choice,
    /// <summary>Device counts: a list 8,16,32 or a range 8..4096 (doubling) or 64..512:64 (step).</summary>
    Counts,
    /// <summary>KNOB=V1,V2,... where KNOB is one of <see cref="OptionSpec.AllowedValues"/>.</summary>
    Knob,
    /// <summary>A path to a file.</summary>
    File,
    /// <summary>A path to a file to write.</summary>
    OutputFile,
    /// <summary>Free text, parsed by the subcommand.</summary>
    Text,
    /// <summary>A C# identifier.</summary>
    Identifier,
}

/// <summary>Which front end takes an option: both, only the terminal, or only the notebook.</summary>
public enum FrontEnd { Both, CliOnly, NotebookOnly }

/// <summary>Where completion values come from.</summary>
public enum CompletionSource
{
    /// <summary>No completions beyond <see cref="OptionSpec.AllowedValues"/>.</summary>
    None,
    /// <summary>Model ids of <c>SimulatorCatalog.Default</c>.</summary>
    ModelIds,
    /// <summary>System ids of <c>SimulatorCatalog.Default</c>.</summary>
    SystemIds,
}

/// <summary>
/// One option of a subcommand, defined once and adapted by the CLI (System.CommandLine) and the
/// notebook directive (KernelDirectiveParameter). <see cref="Name"/> includes the leading
/// dashes. An <see cref="Implicit"/> option may also be given without its name, as the first
/// bare word after the subcommand (<c>catalog systems</c>). <see cref="Required"/> options are
/// checked by <see cref="RequestParser"/>, not by the front ends, so that <c>--help</c> works
/// without them.
/// </summary>
public sealed record OptionSpec(
    string Name,
    string Description,
    ValueKind Kind,
    string HelpName,
    string? DefaultText = null,
    bool Required = false,
    bool Repeatable = false,
    bool Implicit = false,
    IReadOnlyList<string>? AllowedValues = null,
    CompletionSource Completions = CompletionSource.None,
    FrontEnd FrontEnd = FrontEnd.Both)
{
    public bool IsFlag => Kind == ValueKind.Flag;

    /// <summary>The name without its leading dashes ("--on" → "on").</summary>
    public string Key => Name.TrimStart('-');

    public bool AppliesTo(FrontEnd frontEnd) => FrontEnd == FrontEnd.Both || FrontEnd == frontEnd;
}
