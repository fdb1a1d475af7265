namespace WaferNotebooks.Core.Commands;

/// <summary>Every subcommand, in the order help lists them. Both front ends build themselves from this list.</summary>
public static class Subcommands
{
    public static IReadOnlyList<ISubcommand> All { get; } =
    [
        EstimateCommand.Instance, CompareCommand.Instance, SweepCommand.Instance, PlanCommand.Instance,
        CatalogCommand.Instance, ValidateCommand.Instance, CalibrateCommand.Instance, TimelineCommand.Instance,
    ];

    /// <summary>The unit of a grammar entry.</summary>
    public static ISubcommand For(SubcommandSpec spec) =>
        All.FirstOrDefault(s => s.Spec == spec) ?? throw new InvalidOperationException($"No unit runs the subcommand '{spec.Name}'.");
}
