namespace WaferNotebooks.Core.Results;

/// <summary>
/// The closed set of shares a training step's wall time splits into. GPU-class estimates use
/// compute … other and launch waits in breakdown order; wafer-scale ones compute, weight streaming, gradient
/// reduction, MemoryX update and other.
/// </summary>
public enum StepPartKind
{
    Compute,
    Recompute,
    TpComm,
    PpComm,
    DpComm,
    CpComm,
    EpComm,
    Bubble,
    Optimizer,
    WeightStreaming,
    GradientReduction,
    MemoryXUpdate,
    Other,
    /// <summary>The GPU idle while the host launches kernels slower than they run.</summary>
    LaunchWait,
    /// <summary>Activation copies to and from host memory (offload=N) not hidden under compute.</summary>
    Offload,
}

/// <summary>
/// The one place step parts get their names: the short id that records, JSON and the CLI table
/// keep (tp_comm), and the words a chart legend or a Gantt lane shows (tensor-parallel comm.).
/// </summary>
public static class StepParts
{
    private static readonly string[] Ids =
        ["compute", "recompute", "tp_comm", "pp_comm", "dp_comm", "cp_comm", "ep_comm", "bubble", "optimizer",
         "weight_streaming", "gradient_reduction", "memoryx_update", "other", "launch_wait", "offload"];

    private static readonly string[] Labels =
        ["compute", "recomputation", "tensor-parallel comm.", "pipeline sends", "data-parallel sync", "context-parallel comm.",
         "expert all-to-all", "pipeline bubble", "optimizer step", "weight streaming", "gradient reduction", "MemoryX update", "other", "launch waits", "activation offload"];

    /// <summary>Every kind, in declaration order.</summary>
    public static IReadOnlyList<StepPartKind> All { get; } = Enum.GetValues<StepPartKind>();

    /// <summary>The short id: compute, tp_comm, memoryx_update.</summary>
    public static string Id(this StepPartKind kind) => Ids[(int)kind];

    /// <summary>The words a legend shows: recomputation, tensor-parallel comm., MemoryX update.</summary>
    public static string Label(this StepPartKind kind) => Labels[(int)kind];

    /// <summary>The kind of a short id; false for an id no estimator uses.</summary>
    public static bool TryParse(string id, out StepPartKind kind)
    {
        var i = Array.IndexOf(Ids, id);
        kind = i < 0 ? default : (StepPartKind)i;
        return i >= 0;
    }

    /// <summary>The kind of a short id, or an exception naming the ids that exist.</summary>
    public static StepPartKind Parse(string id) => TryParse(id, out var kind)
        ? kind
        : throw new ArgumentException($"'{id}' is not a step part; the parts are {string.Join(", ", Ids)}.", nameof(id));
}
