using System.Runtime.CompilerServices;
using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Workload;

/// <summary>
/// The parameter count of each model, worked out once: a plan or a sweep estimates thousands of
/// layouts of one model, and the count depends on the model alone. Keyed by the model object, so
/// an edited copy (a <c>with</c> expression, an inline model) gets its own count.
/// </summary>
static class ParameterCounts
{
    static readonly ConditionalWeakTable<ModelSpec, ParameterCount> Counts = new();

    public static ParameterCount Of(ModelSpec model) => Counts.GetValue(model, TransformerArithmetic.Parameters);
}
