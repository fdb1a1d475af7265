namespace WaferNotebooks.Core.Results;

/// <summary>
/// How a system runs the job: the closed set of execution modes the estimators model. Reads as
/// its id ("3d-parallel") wherever it is written as text, so records, JSON and the CLI keep the
/// words they always had; <see cref="Schedule"/> is the caption of its step's Gantt chart.
/// </summary>
public sealed class ExecutionMode
{
    /// <summary>GPU-class clusters: tensor, pipeline, data (and context, expert) parallelism.</summary>
    public static readonly ExecutionMode ThreeDParallel = new("3d-parallel", "3D parallel",
        "1F1B pipeline, first stage: warm-up forwards, steady one-forward-one-backward, cool-down backwards; exposed communication after the compute it follows.");

    /// <summary>Wafer-scale: weights live in MemoryX and stream through the wafer layer by layer.</summary>
    public static readonly ExecutionMode WeightStreaming = new("weight-streaming", "weight streaming",
        "Weight streaming: layer-by-layer forward with weights streamed from MemoryX, backward with gradients reduced through SwarmX, optimizer step in MemoryX.");

    /// <summary>Wafer-scale: the whole model and its optimizer state stay in on-wafer SRAM, one layer stage per region.</summary>
    public static readonly ExecutionMode LayerPipelined = new("layer-pipelined", "layer pipelined",
        "Layer pipelined: every layer and its optimizer state stay in the wafer's SRAM; sequences flow through the layer stages forward and back, with the pipeline fill and drain and the Adam step on the wafer.");

    /// <summary>Every mode, GPU first.</summary>
    public static IReadOnlyList<ExecutionMode> All { get; } = [ThreeDParallel, WeightStreaming, LayerPipelined];

    private ExecutionMode(string id, string name, string schedule) => (Id, Name, Schedule) = (id, name, schedule);

    /// <summary>The short id records and JSON carry: 3d-parallel, weight-streaming, layer-pipelined.</summary>
    public string Id { get; }

    /// <summary>The mode in words.</summary>
    public string Name { get; }

    /// <summary>What one step of this mode looks like on a timeline, as the Gantt caption says it.</summary>
    public string Schedule { get; }

    /// <summary>Runs on a wafer-scale system.</summary>
    public bool IsWafer => this != ThreeDParallel;

    public override string ToString() => Id;

    /// <summary>The mode of an id, or an exception naming the ids that exist.</summary>
    public static ExecutionMode Parse(string id) => All.FirstOrDefault(m => m.Id == id)
        ?? throw new ArgumentException($"'{id}' is not an execution mode; the modes are {string.Join(", ", All.Select(m => m.Id))}.", nameof(id));
}
