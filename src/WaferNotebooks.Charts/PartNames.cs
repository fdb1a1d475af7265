namespace WaferNotebooks.Charts;

/// <summary>
/// Legend names for the parts a result breaks into. Core names parts by short ids (tp_comm,
/// working_set) that records and JSON keep; a reader of a chart gets words. An id without an
/// entry is shown with its underscores as spaces.
/// </summary>
internal static class PartNames
{
    private static readonly Dictionary<string, string> StepParts = new(StringComparer.Ordinal)
    {
        ["compute"] = "compute",
        ["recompute"] = "recomputation",
        ["tp_comm"] = "tensor-parallel comm.",
        ["pp_comm"] = "pipeline sends",
        ["dp_comm"] = "data-parallel sync",
        ["cp_comm"] = "context-parallel comm.",
        ["ep_comm"] = "expert all-to-all",
        ["bubble"] = "pipeline bubble",
        ["optimizer"] = "optimizer step",
        ["weight_streaming"] = "weight streaming",
        ["gradient_reduction"] = "gradient reduction",
        ["memoryx_update"] = "MemoryX update",
        ["other"] = "other",
    };

    private static readonly Dictionary<string, string> MemoryParts = new(StringComparer.Ordinal)
    {
        ["weights"] = "weights",
        ["gradients"] = "gradients",
        ["optimizer"] = "optimizer state",
        ["activations"] = "activations",
        ["logits"] = "logits",
        ["buffers"] = "buffers",
        ["stream_buffers"] = "stream buffers",
        ["working_set"] = "logits working set",
    };

    public static string Step(string id) => StepParts.GetValueOrDefault(id) ?? Words(id);

    public static string Memory(string id) => MemoryParts.GetValueOrDefault(id) ?? Words(id);

    private static string Words(string id) => id.Replace('_', ' ');
}
