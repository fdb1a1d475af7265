namespace WaferNotebooks.Cli.Tests.Run;

/// <summary>Notebook runs share process-wide state (the current directory, the formatters),
/// so they run one at a time; the local feed is built once, before the first of them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WaferRunCollection : ICollectionFixture<LocalFeed>
{
    public const string Name = "wafer run";
}
