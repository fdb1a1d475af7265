using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// A Cerebras wafer-scale cluster: N CS systems (one wafer each) fed by MemoryX (weights and
/// optimizer state) through the SwarmX broadcast/reduce tree. One "device" is one CS system.
/// Bandwidths are per system and per direction, GB/s. Every figure is a <see cref="Sourced"/>
/// value; those that are not dense, measured figures carry the low/high the uncertainty
/// analysis sweeps. Numbers live in Catalog/Data/wafer.json; docs/wafer-model.md explains each.
/// </summary>
public sealed record WaferCluster(
    string Id,
    string Name,
    Sourced Cores,
    Sourced SramGb,
    [property: JsonPropertyName("sram_pbps")] Sourced SramPBps,
    [property: JsonPropertyName("fabric_pbps")] Sourced FabricPBps,
    /// <summary>Nominal dense 16-bit peak of one system, TFLOP/s (the CS-3 "125 PF" is a sparse figure). The denominator of MFU; not swept, because throughput enters only as peak × utilisation, the one measured quantity.</summary>
    Sourced PeakTflops16,
    /// <summary>Fraction of the nominal dense peak the wafer sustains in weight streaming, fitted to measured training logs: with the peak, the one sustained-throughput parameter.</summary>
    Sourced ComputeUtilisation,
    /// <summary>Fraction of the nominal dense peak the wafer sustains in layer-pipelined mode (its own assumption).</summary>
    Sourced LayerPipelinedUtilisation,
    /// <summary>Share of SRAM left for tensors after the program, routing and fabric buffers.</summary>
    Sourced UsableSramFraction,
    /// <summary>SRAM that stages the weight and gradient streams, GB.</summary>
    Sourced StreamBufferGb,
    /// <summary>System I/O into (and, separately, out of) the wafer, GB/s per direction.</summary>
    [property: JsonPropertyName("system_io_gbps")] Sourced SystemIoGBps,
    /// <summary>MemoryX capacities Cerebras offers, TB.</summary>
    [property: JsonPropertyName("memoryx_options_tb")] IReadOnlyList<double> MemoryXOptionsTb,
    /// <summary>MemoryX bytes per parameter as Cerebras sizes it (capacity of an option / the largest model it is sold for).</summary>
    [property: JsonPropertyName("memoryx_bytes_per_param")] Sourced MemoryXBytesPerParam,
    /// <summary>The configured MemoryX capacity, TB (default: the largest option).</summary>
    [property: JsonPropertyName("memoryx_tb")] Sourced MemoryXTb,
    /// <summary>Bandwidth MemoryX serves weights and updates optimizer state at, GB/s.</summary>
    [property: JsonPropertyName("memoryx_gbps")] Sourced MemoryXGBps,
    [property: JsonPropertyName("swarmx_fan_out")] Sourced SwarmXFanOut,
    [property: JsonPropertyName("swarmx_level_latency_us")] Sourced SwarmXLevelLatencyUs,
    [property: JsonPropertyName("swarmx_link_gbps")] Sourced SwarmXLinkGBps,
    int MaxSystems,
    Sourced SystemPowerKw,
    Sourced IdlePowerKw,
    /// <summary>MemoryX, SwarmX and host servers, per CS system, kW.</summary>
    [property: JsonPropertyName("memoryx_swarmx_power_kw")] Sourced MemoryXSwarmXPowerKw,
    /// <summary>Fixed per-step cost outside the model (runtime synchronisation, input batch), ms.</summary>
    Sourced StepOverheadMs,
    /// <summary>Bytes per gradient value on the way back to MemoryX.</summary>
    Sourced BytesPerGradient,
    Sourced Price,
    string Notes = "",
    /// <summary>Utilisation per Cerebras software-release era, oldest first (fitted to measured logs); <see cref="ComputeUtilisation"/> is the newest era's unless a release was chosen.</summary>
    [property: JsonPropertyName("utilisation_eras")] IReadOnlyList<UtilisationEra>? UtilisationEras = null) : SystemSpec(Id, Name, Notes)
{
    /// <summary>The release era <see cref="ComputeUtilisation"/> belongs to; null when the release is unknown (the range then spans every era) or the catalog has no eras.</summary>
    [JsonIgnore] public string? Release { get; init; }

    IReadOnlyList<UtilisationEra> Eras => UtilisationEras ?? [];

    /// <summary>The newest release era, the default.</summary>
    public UtilisationEra? NewestEra => Eras.Count > 0 ? Eras[^1] : null;

    /// <summary>This cluster with the utilisation of a release era.</summary>
    public WaferCluster AtEra(UtilisationEra era) => this with { ComputeUtilisation = era.Utilisation, Release = era.Release };

    /// <summary>The era in use in a month: the latest that started by then (the oldest for a month before every era).</summary>
    public UtilisationEra? EraAt(DateOnly month) => Eras.LastOrDefault(e => e.Start <= month) ?? Eras.FirstOrDefault();

    /// <summary>
    /// The release era that a release or month selects: R2.0.3, 2.1 (the latest era at or before
    /// that release) or YYYY-MM (the era in use then). Unknown text or a release older than every
    /// era is refused with the list of eras.
    /// </summary>
    public WaferCluster AtRelease(string text)
    {
        string known = Eras.Count == 0 ? "this catalog has no release eras" : "eras: " + string.Join(", ", Eras.Select(e => $"{e.Release} (from {e.From})"));
        if (Eras.Count == 0) throw new WaferInputException($"release '{text}': {Id} has no utilisation per software release ({known})");
        if (UtilisationEra.Month(text) is { } month)
            return month < Eras[0].Start
                ? throw new WaferInputException($"release '{text}': no measured Cerebras log dates from before {Eras[0].From}; {known}")
                : AtEra(EraAt(month)!);
        if (UtilisationEra.ParseVersion(text) is not { } version)
            throw new WaferInputException($"release '{text}': expected a Cerebras software release such as R2.5 or 2.0.3, or a month YYYY-MM; {known}");
        return Eras.LastOrDefault(e => e.Version!.Value.CompareTo(version) <= 0) is { } era
            ? AtEra(era)
            : throw new WaferInputException($"release '{text}': older than every measured release; {known}");
    }

    /// <summary>The newest era's utilisation with a range over every era: what is known when a run's release is not.</summary>
    public WaferCluster AtUnknownRelease()
    {
        if (NewestEra is not { } newest) return this;
        double low = Eras.Min(e => e.Utilisation.Low ?? e.Utilisation.Value), high = Eras.Max(e => e.Utilisation.High ?? e.Utilisation.Value);
        return this with
        {
            ComputeUtilisation = newest.Utilisation with
            {
                Low = low, High = high,
                Source = $"Release not known: the newest era's utilisation ({newest.Release}) with a range over every release era, {low:G3}–{high:G3}. " + newest.Utilisation.Source,
            },
            Release = null,
        };
    }

    public override string DeviceNoun => "system";
    public override int? MaxDevices => MaxSystems;
    public override Sourced PricePerDeviceHour => Price;

    /// <summary>Sustained dense FLOP/s of one wafer in weight streaming: nominal peak × fitted utilisation.</summary>
    public double EffectiveFlops => PeakTflops16.Value * 1e12 * ComputeUtilisation.Value;

    /// <summary>Sustained dense FLOP/s of one wafer in layer-pipelined mode.</summary>
    public double PipelinedFlops => PeakTflops16.Value * 1e12 * LayerPipelinedUtilisation.Value;

    /// <summary>SRAM the model's tensors may use, GB.</summary>
    public double UsableSramGb => SramGb.Value * UsableSramFraction.Value;

    /// <summary>The least MemoryX can hold per parameter: fp32 master, Adam moments, 16-bit weights and gradient.</summary>
    public const double MemoryXStoredMinimum = 16;

    /// <summary>How wafer.json spells a cluster: the catalog's options (snake_case, sourced values, unknown keys refused).</summary>
    static readonly JsonSerializerOptions JsonOptions = new(CatalogJson.Options) { RespectRequiredConstructorParameters = true };

    /// <summary>Reads one "wafer-cluster" entry of a catalog file (the catalog's "kind" dispatch calls this).</summary>
    public static WaferCluster FromJson(JsonElement entry)
    {
        var fields = JsonNode.Parse(entry.GetRawText())!.AsObject();
        fields.Remove("kind");
        var c = fields.Deserialize(CatalogJson.TypeInfo<WaferCluster>(JsonOptions)) ?? throw new JsonException("a wafer-cluster entry is null");
        string? problem =
            c.MaxSystems < 1 ? "max_systems must be at least 1" :
            c.UsableSramFraction.Value is <= 0 or > 1 ? "usable_sram_fraction must be a fraction in (0, 1]" :
            c.ComputeUtilisation.Value is <= 0 or > 1 ? "compute_utilisation must be a fraction in (0, 1]" :
            c.LayerPipelinedUtilisation.Value is <= 0 or > 1 ? "layer_pipelined_utilisation must be a fraction in (0, 1]" :
            c.MemoryXBytesPerParam.Value < MemoryXStoredMinimum ? $"memoryx_bytes_per_param must be at least {MemoryXStoredMinimum} (weights and Adam state)" :
            c.SwarmXFanOut.Value < 2 ? "swarmx_fan_out must be at least 2" :
            new[] { c.PeakTflops16, c.SystemIoGBps, c.SwarmXLinkGBps, c.MemoryXGBps, c.SramGb, c.MemoryXTb }.Any(v => v.Value <= 0) ? "peak, bandwidths and capacities must be positive" :
            c.UtilisationEras is { } eras ? UtilisationEra.Problem(eras) :
            null;
        if (problem is not null) throw new JsonException($"wafer-cluster '{c.Id}': {problem}");
        // The catalog's utilisation is the newest era's unless the file sets another.
        return c.NewestEra is { } newest && newest.Utilisation.Value == c.ComputeUtilisation.Value ? c with { Release = newest.Release } : c;
    }
}
