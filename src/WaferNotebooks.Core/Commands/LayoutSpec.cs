using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

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
    int? RecomputeLayers = null,
    int? FirstStageLayers = null,
    int? LastStageLayers = null,
    int? ShardGroup = null,
    int? SecondaryShard = null,
    int? OffloadLayers = null,
    RematPolicy? Remat = null)
{
    private const string Option = "--layout";

    public static IReadOnlyList<string> Keys { get; } = ["tp", "pp", "dp", "cp", "ep", "vpp", "mb", "zero", "recompute", "sp", "rl", "first", "last", "shard", "hpz", "offload", "remat"];

    /// <summary>Parses tp=8,pp=4,dp=32,cp=1,ep=1,vpp=2,mb=1,zero=1,recompute=selective,sp=1 (rl=N: full recompute of N layers per stage; first=N, last=N: layers of the first and last pipeline stages; shard=N: ZeRO shards over N of the data-parallel ranks, HSDP; hpz=N: ZeRO++ secondary weight shards over N ranks; offload=N: activations of N layers per stage in host memory; remat=NAME: a MaxText remat policy, <see cref="RematPolicy"/>).</summary>
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
                "first" => spec with { FirstStageLayers = ValueParsers.ParsePositiveInt(name, value) },
                "last" => spec with { LastStageLayers = ValueParsers.ParsePositiveInt(name, value) },
                "shard" => spec with { ShardGroup = ValueParsers.ParsePositiveInt(name, value) },
                "hpz" => spec with { SecondaryShard = ValueParsers.ParsePositiveInt(name, value) },
                "offload" => spec with { OffloadLayers = ValueParsers.ParsePositiveInt(name, value) },
                "remat" => spec with { Remat = RematPolicy.Parse(ValueParsers.ParseChoice(name, value, RematPolicy.Names)) },
                _ => throw new WaferInputException($"{Option} '{text}': unknown key '{key}'; {CloseMatches.DidYouMean(key, Keys)}expected {string.Join(", ", Keys)}"),
            };
        }
        return spec;
    }

    /// <summary>The devices this layout implies when dp is given, else null (64-bit: tp=65536,pp=65536 must not wrap).</summary>
    public long? ImpliedDevices => Dp is { } dp ? (long)(Tp ?? 1) * (Pp ?? 1) * dp * (Cp ?? 1) : null;

    /// <summary>
    /// A complete layout for <paramref name="devices"/> devices of the system and this job, or a
    /// <see cref="WaferInputException"/> naming the rule of <see cref="LayoutRules"/> it breaks.
    /// Only the filling of left-out keys is decided here; whether the layout can run is the rulebook's.
    /// </summary>
    public Layout Resolve(int devices, TrainingJob job, SystemSpec system)
    {
        int tp = Tp ?? 1, pp = Pp ?? 1, cp = Cp ?? 1;
        long modelParallel = (long)tp * pp * cp;
        int dp;
        if (Dp is { } given)
            dp = given;
        else if (devices % modelParallel != 0)
            throw Fail($"tp·pp·cp = {tp}·{pp}·{cp} = {modelParallel:N0} does not divide {devices:N0} devices");
        else
            dp = (int)(devices / modelParallel);
        var layout = new Layout(tp, pp, dp, cp, Ep ?? 1, Vpp ?? 1, MicroBatch ?? 1, ZeroStage ?? 0,
            Recompute ?? Remat?.Recompute ?? Workload.Recompute.None, SequenceParallel ?? false, RecomputeLayers ?? 0, FirstStageLayers ?? 0, LastStageLayers ?? 0, ShardGroup ?? 0, SecondaryShard ?? 0, OffloadLayers ?? 0, Remat);
        if (LayoutRules.Violation(job, system, devices, layout) is { } violation)
            throw Fail(violation);
        return layout;
    }

    private static WaferInputException Fail(string why) => new($"{Option}: {why}");
}
