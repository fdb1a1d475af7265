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
    string Notes = "") : SystemSpec(Id, Name, Notes)
{
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
        var c = fields.Deserialize<WaferCluster>(JsonOptions) ?? throw new JsonException("a wafer-cluster entry is null");
        string? problem =
            c.MaxSystems < 1 ? "max_systems must be at least 1" :
            c.UsableSramFraction.Value is <= 0 or > 1 ? "usable_sram_fraction must be a fraction in (0, 1]" :
            c.ComputeUtilisation.Value is <= 0 or > 1 ? "compute_utilisation must be a fraction in (0, 1]" :
            c.LayerPipelinedUtilisation.Value is <= 0 or > 1 ? "layer_pipelined_utilisation must be a fraction in (0, 1]" :
            c.MemoryXBytesPerParam.Value < MemoryXStoredMinimum ? $"memoryx_bytes_per_param must be at least {MemoryXStoredMinimum} (weights and Adam state)" :
            c.SwarmXFanOut.Value < 2 ? "swarmx_fan_out must be at least 2" :
            new[] { c.PeakTflops16, c.SystemIoGBps, c.SwarmXLinkGBps, c.MemoryXGBps, c.SramGb, c.MemoryXTb }.Any(v => v.Value <= 0) ? "peak, bandwidths and capacities must be positive" :
            null;
        return problem is null ? c : throw new JsonException($"wafer-cluster '{c.Id}': {problem}");
    }
}
