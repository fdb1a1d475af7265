using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Timeline;

/// <summary>One bar of the Gantt: an interval of one step, labelled, attributed to a breakdown part.</summary>
public sealed record TimelineSegment(double StartS, double DurationS, string Label, string Part)
{
    public double EndS => StartS + DurationS;
}

/// <summary>One row of the Gantt. Kind is compute, communication, bubble, weight_streaming, optimizer or other.</summary>
public sealed record TimelineLane(string Name, string Kind, IReadOnlyList<TimelineSegment> Segments)
{
    public double BusyS => Segments.Sum(s => s.DurationS);
}

/// <summary>
/// One training step of an estimate, drawn as lanes of segments on a time axis from 0 to the
/// step time. It shows one device (on a pipeline, a device of the first stage) and only the
/// exposed time of each breakdown part, so every part's segments add up to that part and the
/// last segment ends at the step time; overlapped communication is hidden inside compute and
/// has no bar. The schedule is a drawing of the breakdown, not a second model:
/// <list type="bullet">
/// <item>GPU (3D parallel, 1F1B, Narayanan et al. 2021): the step's micro-batches
/// (global batch / (dp·mb)), drawn in up to <see cref="MaxGroups"/> groups. Each group runs a
/// forward (a third of compute, the backward being twice the forward) followed by its exposed
/// TP/CP/EP communication and a pipeline send, and a backward (its recompute first, then the
/// rest of compute) followed by its communication and send. The first stage does min(pp−1, groups)
/// warm-up forwards, then alternates one forward and one backward, then drains the warm-up
/// backwards (cool-down). Two thirds of the bubble sit before its first backward (it waits for
/// the gradient to come back through the pipeline); the other third is spread over the
/// cool-down. Exposed data-parallel communication, the optimizer step and other time follow.</item>
/// <item>Wafer-scale weight streaming: layers (in up to <see cref="MaxGroups"/> groups) run
/// forward, each after its exposed weight streaming, then backward in reverse, each followed by
/// its exposed gradient reduction through SwarmX; the MemoryX weight update ends the step.</item>
/// <item>Any other part is drawn after these, in breakdown order, on a lane of its own.</item>
/// </list>
/// </summary>
public sealed record StepTimeline(string ModelId, string SystemId, string Layout, double StepTimeS, IReadOnlyList<TimelineLane> Lanes, string Schedule)
{
    /// <summary>Groups micro-batches (or layers) so a step of thousands draws as a readable Gantt.</summary>
    public const int MaxGroups = 48;

    public TimelineLane? this[string name] => Lanes.FirstOrDefault(l => l.Name == name);

    /// <summary>Why the step cannot run (the job does not fit); the timeline then has no lanes.</summary>
    public string? DoesNotFit { get; init; }

    /// <summary>What the user's options did not do on the step's estimate (<see cref="Results.Estimate.InputNotes"/>).</summary>
    public IReadOnlyList<string> InputNotes { get; init; } = [];

    public static StepTimeline From(Estimate estimate)
    {
        if (!estimate.Feasible)
            return new StepTimeline(estimate.ModelId, estimate.SystemId, estimate.Layout.ToString(), 0, [], "")
            {
                DoesNotFit = estimate.Reason ?? "the job does not fit",
            };
        var parts = estimate.Breakdown;
        var mode = estimate.ExecutionMode;
        var builder = new Builder(parts, mode);
        if (mode.IsWafer)
            BuildWeightStreaming(builder, estimate);
        else
            BuildPipeline(builder, estimate);
        builder.PlaceRemaining();
        return new StepTimeline(estimate.ModelId, estimate.SystemId, estimate.Layout.ToString(), estimate.StepTimeS,
            builder.Lanes(), mode.Schedule);
    }

    private static void BuildPipeline(Builder b, Estimate estimate)
    {
        var layout = estimate.Layout;
        var microBatches = Math.Max(1, estimate.Job.GlobalBatchSeqs / Math.Max(1, layout.Dp * layout.MicroBatch));
        var groups = Math.Min(microBatches, MaxGroups);
        var unit = groups == microBatches ? "micro-batch" : "micro-batch group";
        var warmUp = Math.Min(layout.Pp - 1, groups);
        var bubble = b.Total("bubble");
        var comm = new[] { "tp_comm", "cp_comm", "ep_comm" };

        void Forward(int g)
        {
            b.Place("compute", b.Total("compute") / 3 / groups, $"forward {unit} {g + 1}");
            foreach (var c in comm)
                b.Place(c, b.Total(c) / 3 / groups, $"forward {unit} {g + 1}");
            b.Place("pp_comm", b.Total("pp_comm") / 2 / groups, $"send activations {g + 1}");
        }

        var waited = false;
        void Backward(int g)
        {
            if (!waited)
            {
                // The first backward waits for its gradient to travel back through the pipeline.
                b.Place("bubble", warmUp > 0 ? bubble * 2 / 3 : bubble, "pipeline warm-up bubble");
                waited = true;
            }
            if (warmUp > 0 && g >= groups - warmUp)
                b.Place("bubble", bubble / 3 / warmUp, "pipeline cool-down bubble");
            b.Place("recompute", b.Total("recompute") / groups, $"recompute {unit} {g + 1}");
            b.Place("compute", b.Total("compute") * 2 / 3 / groups, $"backward {unit} {g + 1}");
            foreach (var c in comm)
                b.Place(c, b.Total(c) * 2 / 3 / groups, $"backward {unit} {g + 1}");
            b.Place("pp_comm", b.Total("pp_comm") / 2 / groups, $"send gradients {g + 1}");
        }

        for (var g = 0; g < warmUp; g++)
            Forward(g);
        for (var g = warmUp; g < groups; g++)
        {
            Forward(g);
            Backward(g - warmUp);
        }
        for (var g = groups - warmUp; g < groups; g++)
            Backward(g);
        b.Place("dp_comm", b.Total("dp_comm"), "gradient reduction (exposed)");
        b.Place("optimizer", b.Total("optimizer"), "optimizer step");
    }

    private static void BuildWeightStreaming(Builder b, Estimate estimate)
    {
        var layers = estimate.Job.Model.Layers;
        var groups = Math.Min(layers, MaxGroups);
        var unit = groups == layers ? "layer" : "layer group";
        for (var g = 0; g < groups; g++)
        {
            b.Place("weight_streaming", b.Total("weight_streaming") / 2 / groups, $"stream weights, {unit} {g + 1}");
            b.Place("compute", b.Total("compute") / 3 / groups, $"forward {unit} {g + 1}");
        }
        for (var g = groups - 1; g >= 0; g--)
        {
            b.Place("weight_streaming", b.Total("weight_streaming") / 2 / groups, $"stream weights, {unit} {g + 1}");
            b.Place("compute", b.Total("compute") * 2 / 3 / groups, $"backward {unit} {g + 1}");
            b.Place("gradient_reduction", b.Total("gradient_reduction") / groups, $"reduce gradients, {unit} {g + 1}");
        }
        b.Place("memoryx_update", b.Total("memoryx_update"), b.OnWafer ? "weight update on the wafer" : "weight update in MemoryX");
    }

    /// <summary>Lays segments end to end on one clock and keeps track of which parts are drawn.</summary>
    private sealed class Builder(StepBreakdown breakdown, ExecutionMode mode)
    {
        /// <summary>Layer-pipelined: weights and optimizer state stay in SRAM, MemoryX is not used.</summary>
        public bool OnWafer => mode == ExecutionMode.LayerPipelined;

        private readonly Dictionary<string, List<TimelineSegment>> _byPart = [];
        private double _clock;

        public double Total(string part) => breakdown[part];

        public void Place(string part, double seconds, string label)
        {
            if (seconds <= 0)
                return;
            if (!_byPart.TryGetValue(part, out var list))
                _byPart[part] = list = [];
            list.Add(new TimelineSegment(_clock, seconds, label, part));
            _clock += seconds;
        }

        /// <summary>Draws every part the schedule did not place (other, and parts of future estimators).</summary>
        public void PlaceRemaining()
        {
            foreach (var part in breakdown.Parts.Where(p => !_byPart.ContainsKey(p.Name)))
                Place(part.Name, part.Seconds, part.Description.Length > 0 ? part.Description : part.Name);
        }

        public IReadOnlyList<TimelineLane> Lanes() =>
            _byPart.GroupBy(kv => OnWafer && kv.Key == "memoryx_update" ? (Name: "optimizer (on the wafer)", Kind: "optimizer") : LaneOf(kv.Key))
                .Select(g => new TimelineLane(g.Key.Name, g.Key.Kind, g.SelectMany(kv => kv.Value).OrderBy(s => s.StartS).ToList()))
                .OrderBy(l => LaneOrder.IndexOf(l.Kind))
                .ToList();

        private static readonly List<string> LaneOrder = ["compute", "communication", "weight_streaming", "bubble", "optimizer", "other"];

        /// <summary>Compute and recompute share the compute lane; each communication kind has its own.</summary>
        private static (string Name, string Kind) LaneOf(string part) => part switch
        {
            "compute" or "recompute" => ("compute", "compute"),
            "tp_comm" => ("tensor-parallel comm", "communication"),
            "pp_comm" => ("pipeline p2p", "communication"),
            "dp_comm" => ("data-parallel comm", "communication"),
            "cp_comm" => ("context-parallel comm", "communication"),
            "ep_comm" => ("expert all-to-all", "communication"),
            "gradient_reduction" => ("gradient reduction (SwarmX)", "communication"),
            "weight_streaming" => ("weight streaming (MemoryX)", "weight_streaming"),
            "bubble" => ("pipeline bubble", "bubble"),
            "optimizer" => ("optimizer", "optimizer"),
            "memoryx_update" => ("optimizer (MemoryX)", "optimizer"),
            _ => (part, "other"),
        };
    }
}
