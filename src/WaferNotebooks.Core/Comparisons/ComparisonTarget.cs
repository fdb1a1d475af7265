using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;

namespace WaferNotebooks.Core.Comparisons;

/// <summary>One side of a comparison: a system, how many of its devices, and optionally a layout (else the planner's best).</summary>
public sealed record ComparisonTarget(SystemSpec System, int Devices, Layout? Layout = null);
