using WaferNotebooks.Core.Parallel;

namespace WaferNotebooks.Core.Planning;

/// <summary>
/// One kind of "does not fit" among a plan's layouts: <see cref="Count"/> layouts failed for
/// reasons that differ only in their numbers. <see cref="Example"/> is the nearest of them (the
/// smallest share of device memory) and <see cref="Reason"/> its own words, so a group's memory
/// figure is the least any of its layouts needs, never more than another layout of the group.
/// </summary>
public sealed record InfeasibilityReason(string Reason, int Count, Layout Example)
{
    /// <summary>One line of the tally: how many layouts, the nearest of them, and its reason.</summary>
    public override string ToString() => FormattableString.Invariant($"{Count:N0} {(Count == 1 ? "layout" : "layouts")}, the nearest {Example}: {Reason}");
}
