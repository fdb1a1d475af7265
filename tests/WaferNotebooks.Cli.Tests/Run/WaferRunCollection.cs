namespace WaferNotebooks.Cli.Tests.Run;

/// <summary>Notebook runs share process-wide state (the current directory, the formatters),
/// so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WaferRunCollection
{
    public const string Name = "wafer run";
}
