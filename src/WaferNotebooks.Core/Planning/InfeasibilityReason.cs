using WaferNotebooks.Core.Parallel;

namespace WaferNotebooks.Core.Planning;

/// <summary>
/// One kind of "does not fit" among a plan's layouts: <see cref="Count"/> layouts failed for a
/// reason that reads like <see cref="Reason"/> (the first such layout's own words; the others
/// differ only in their numbers), <see cref="Example"/> being that first layout.
/// </summary>
public sealed record InfeasibilityReason(string Reason, int Count, Layout Example);
