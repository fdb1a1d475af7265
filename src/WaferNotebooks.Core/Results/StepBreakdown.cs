namespace WaferNotebooks.Core.Results;

/// <summary>
/// One share of a training step's wall time. Only exposed (not overlapped) time is counted, so
/// the parts of a breakdown sum to the step time.
/// </summary>
public sealed record StepPart(StepPartKind Kind, double Seconds, string Description)
{
    /// <summary>A part named by its short id (compute, tp_comm); an unknown id is refused.</summary>
    public StepPart(string name, double seconds, string description) : this(StepParts.Parse(name), seconds, description) { }

    /// <summary>The short id: compute, tp_comm, memoryx_update.</summary>
    public string Name => Kind.Id();
}

/// <summary>
/// The step time split into parts that sum to it. Estimators store the seconds only; the parts'
/// descriptions are written from the estimate's <see cref="EstimateText"/> when
/// <see cref="Parts"/> is first read.
/// </summary>
public sealed class StepBreakdown
{
    private readonly StepPartKind[] _kinds;
    private readonly double[] _seconds;
    private readonly EstimateText? _text;
    private IReadOnlyList<StepPart>? _parts;

    /// <summary>A breakdown whose parts carry their descriptions already.</summary>
    public StepBreakdown(IReadOnlyList<StepPart> parts)
    {
        _parts = parts;
        _kinds = new StepPartKind[parts.Count];
        _seconds = new double[parts.Count];
        for (var i = 0; i < parts.Count; i++)
            (_kinds[i], _seconds[i]) = (parts[i].Kind, parts[i].Seconds);
        Total = Sum(_seconds);
    }

    /// <summary>Seconds by part in <paramref name="kinds"/> order; descriptions come from <paramref name="text"/> when read.</summary>
    public StepBreakdown(StepPartKind[] kinds, double[] seconds, EstimateText? text)
    {
        if (kinds.Length != seconds.Length)
            throw new ArgumentException($"{kinds.Length} part kinds for {seconds.Length} times.", nameof(seconds));
        (_kinds, _seconds, _text) = (kinds, seconds, text);
        Total = Sum(seconds);
    }

    /// <summary>The parts in breakdown order, with their descriptions.</summary>
    public IReadOnlyList<StepPart> Parts => _parts ??= Describe();

    /// <summary>The step time: the parts' sum.</summary>
    public double Total { get; }

    /// <summary>Seconds of one part; 0 when the breakdown has no such part.</summary>
    public double this[StepPartKind kind]
    {
        get
        {
            var i = Array.IndexOf(_kinds, kind);
            return i < 0 ? 0 : _seconds[i];
        }
    }

    /// <summary>Seconds of the part with this short id; 0 for a part the breakdown lacks.</summary>
    public double this[string name] => StepParts.TryParse(name, out var kind) ? this[kind] : 0;

    /// <summary>The kind of the largest part (the first of equals): what bounds the step.</summary>
    public StepPartKind LargestKind
    {
        get
        {
            var best = -1;
            for (var i = 0; i < _seconds.Length; i++)
                if (best < 0 || _seconds[i].CompareTo(_seconds[best]) > 0)
                    best = i;
            return best < 0 ? StepPartKind.Compute : _kinds[best];
        }
    }

    /// <summary>The largest part: what bounds the step.</summary>
    public StepPart Largest
    {
        get
        {
            if (_seconds.Length == 0) return new StepPart(StepPartKind.Compute, 0, "");
            var kind = LargestKind;
            return Parts[Array.IndexOf(_kinds, kind)];
        }
    }

    private IReadOnlyList<StepPart> Describe()
    {
        var descriptions = _text?.Words.StepDescriptions;
        var parts = new StepPart[_kinds.Length];
        for (var i = 0; i < parts.Length; i++)
            parts[i] = new StepPart(_kinds[i], _seconds[i], descriptions is not null && i < descriptions.Count ? descriptions[i] : "");
        return parts;
    }

    private static double Sum(double[] values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum;
    }
}
