using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// A layout as written on the command line (tp=8,pp=4,mb=1,...): keys left out are null.
/// <see cref="Resolve"/> fills them for a device count (dp takes the devices the other
/// degrees leave; every other key defaults to 1, zero to 0, recompute to none, sp to off) and
/// checks the constraints a real framework enforces, with a message naming the one that fails.
/// </summary>
public sealed record LayoutSpec(
    int? Tp = null,
    int? Pp = null,
    int? Dp = null,
    int? Cp = null,
    int? Ep = null,
    int? Vpp = null,
    int? MicroBatch = null,
    int? ZeroStage = null,
    Recompute? Recompute = null,
    bool? SequenceParallel = null,
    int? RecomputeLayers = null)
{
    private const string Option = "--layout";

    public static IReadOnlyList<string> Keys { get; } = ["tp", "pp", "dp", "cp", "ep", "vpp", "mb", "zero", "recompute", "sp", "rl"];

    /// <summary>Parses tp=8,pp=4,dp=32,cp=1,ep=1,vpp=2,mb=1,zero=1,recompute=selective,sp=1 (rl=N: full recompute of N layers per stage).</summary>
    public static LayoutSpec Parse(string text)
    {
        var spec = new LayoutSpec();
        var seen = new HashSet<string>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=');
            if (eq <= 0 || eq == item.Length - 1)
                throw new WaferInputException($"{Option} '{text}': '{item}' is not KEY=VALUE; expected e.g. tp=8,pp=4,dp=32");
            var key = item[..eq].Trim().ToLowerInvariant();
            var value = item[(eq + 1)..].Trim();
            if (!seen.Add(key))
                throw new WaferInputException($"{Option} '{text}': {key} is given twice");
            var name = $"{Option} {key}";
            spec = key switch
            {
                "tp" => spec with { Tp = ValueParsers.ParsePositiveInt(name, value) },
                "pp" => spec with { Pp = ValueParsers.ParsePositiveInt(name, value) },
                "dp" => spec with { Dp = ValueParsers.ParsePositiveInt(name, value) },
                "cp" => spec with { Cp = ValueParsers.ParsePositiveInt(name, value) },
                "ep" => spec with { Ep = ValueParsers.ParsePositiveInt(name, value) },
                "vpp" => spec with { Vpp = ValueParsers.ParsePositiveInt(name, value) },
                "mb" => spec with { MicroBatch = ValueParsers.ParsePositiveInt(name, value) },
                "zero" => spec with { ZeroStage = int.Parse(ValueParsers.ParseChoice(name, value, ["0", "1", "2", "3"])) },
                "recompute" => spec with { Recompute = Enum.Parse<Recompute>(ValueParsers.ParseChoice(name, value, ["none", "selective", "full"]), true) },
                "sp" => spec with { SequenceParallel = ValueParsers.ParseChoice(name, value, ["0", "1", "false", "true", "off", "on"]) is "1" or "true" or "on" },
                "rl" => spec with { RecomputeLayers = ValueParsers.ParsePositiveInt(name, value) },
                _ => throw new WaferInputException($"{Option} '{text}': unknown key '{key}'; expected {string.Join(", ", Keys)}"),
            };
        }
        return spec;
    }

    /// <summary>The devices this layout implies when dp is given, else null.</summary>
    public int? ImpliedDevices => Dp is { } dp ? (Tp ?? 1) * (Pp ?? 1) * dp * (Cp ?? 1) : null;

    /// <summary>
    /// A complete layout for <paramref name="devices"/> devices and this job, or a
    /// <see cref="WaferInputException"/> saying which constraint fails.
    /// </summary>
    public Layout Resolve(int devices, ModelSpec model, int globalBatchSeqs, int seqLen)
    {
        int tp = Tp ?? 1, pp = Pp ?? 1, cp = Cp ?? 1, ep = Ep ?? 1, vpp = Vpp ?? 1, mb = MicroBatch ?? 1;
        var modelParallel = tp * pp * cp;
        int dp;
        if (Dp is { } given)
        {
            dp = given;
            if (modelParallel * dp != devices)
                throw Fail($"tp·pp·dp·cp = {tp}·{pp}·{dp}·{cp} = {modelParallel * dp} devices, but --on gives {devices}");
        }
        else
        {
            if (devices % modelParallel != 0)
                throw Fail($"tp·pp·cp = {tp}·{pp}·{cp} = {modelParallel} does not divide {devices} devices");
            dp = devices / modelParallel;
        }
        if (model.Heads % tp != 0)
            throw Fail($"tp={tp} does not divide {model.Heads} heads");
        // Uneven splits are allowed (Llama 3 405B ran 126 layers on pp=16): the estimator puts
        // the extra layers on the first stages, as Megatron does. Only fewer layers than chunks fails.
        if (model.Layers < pp * vpp)
            throw Fail($"pp·vpp = {pp}·{vpp} = {pp * vpp} exceeds the {model.Layers} layers (each pipeline chunk needs at least one layer)");
        if (vpp > 1 && pp == 1)
            throw Fail($"vpp={vpp} interleaves pipeline stages, so it needs pp > 1");
        if (seqLen % cp != 0)
            throw Fail($"cp={cp} does not divide the sequence length {seqLen}");
        if (ep > 1 && model.Moe is null)
            throw Fail($"ep={ep} needs a mixture-of-experts model; {model.Id} is dense");
        if (model.Moe is { } moe && moe.Experts % ep != 0)
            throw Fail($"ep={ep} does not divide {moe.Experts} experts");
        if (dp % ep != 0)
            throw Fail($"ep={ep} must divide dp={dp} (expert parallelism is nested in data parallelism)");
        if (globalBatchSeqs % (mb * dp) != 0)
            throw Fail($"the global batch of {globalBatchSeqs} sequences is not a multiple of mb·dp = {mb}·{dp} = {mb * dp}");
        if (RecomputeLayers is { } rl && Recompute != Parallel.Recompute.Full)
            throw Fail($"rl={rl} recomputes {rl} layers of each stage in full, so it needs recompute=full");
        return new Layout(tp, pp, dp, cp, ep, vpp, mb, ZeroStage ?? 0, Recompute ?? Parallel.Recompute.None, SequenceParallel ?? false, RecomputeLayers ?? 0);
    }

    private static WaferInputException Fail(string why) => new($"{Option}: {why}");
}
