namespace WaferNotebooks.Charts;

/// <summary>
/// Legend names for the parts a result breaks into. Core names parts by short ids (tp_comm,
/// working_set) that records and JSON keep; a reader of a chart gets words. An id without an
/// entry is shown with its underscores as spaces.
/// </summary>
internal static class PartNames
{
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

    /// <summary>A step part's legend name, as Core's typed parts name it (<see cref="Core.Results.StepParts.Label"/>).</summary>
    public static string Step(string id) => Core.Results.StepParts.TryParse(id, out var kind) ? Core.Results.StepParts.Label(kind) : Words(id);

    public static string Memory(string id) => MemoryParts.GetValueOrDefault(id) ?? Words(id);

    private static string Words(string id) => id.Replace('_', ' ');
}
