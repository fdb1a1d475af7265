namespace WaferNotebooks.Core.Commands;

/// <summary>Every subcommand, in the order help lists them. Both front ends build themselves from this list.</summary>
public static class Subcommands
{
    public static IReadOnlyList<ISubcommand> All { get; } =
    [
        EstimateCommand.Instance, CompareCommand.Instance, SweepCommand.Instance, PlanCommand.Instance,
        CatalogCommand.Instance, ValidateCommand.Instance, CalibrateCommand.Instance, TimelineCommand.Instance,
    ];

    /// <summary>
    /// The result a value notebook code holds stands for (an Estimate from <c>--name</c>), found
    /// by the subcommand that shares its type; null for a value no subcommand shares.
    /// </summary>
    public static CommandResult? ResultOf<T>(T shared) where T : notnull
    {
        var finder = new ResultFinder<T>(shared);
        foreach (var unit in All)
            unit.VisitSharedTypes(finder);
        return finder.Found;
    }

    private sealed class ResultFinder<TValue>(TValue value) : ISharedTypeVisitor where TValue : notnull
    {
        public CommandResult? Found { get; private set; }

        public void Visit<T>(Func<T, CommandResult> toResult) where T : notnull
        {
            if (Found is null && value is T typed) Found = toResult(typed);
        }
    }

    /// <summary>The unit of a grammar entry.</summary>
    public static ISubcommand For(SubcommandSpec spec) =>
        All.FirstOrDefault(s => s.Spec == spec) ?? throw new InvalidOperationException($"No unit runs the subcommand '{spec.Name}'.");
}
