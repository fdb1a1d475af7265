using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// The catalog's JSON format (embedded Catalog/Data/*.json and user files alike): snake_case
/// DTOs mapped to the contract records. A file holds any of "accelerators", "systems", "models".
/// Every number that is not an exact architecture integer is a sourced value
/// (<see cref="SourcedJsonConverter"/>). Unknown keys are errors, so a typo in a user file is
/// reported instead of silently ignored.
/// </summary>
internal static class CatalogJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new SourcedJsonConverter() },
        // Generated metadata only: no reflection at start-up, and a type the context lacks fails loudly.
        TypeInfoResolver = CatalogJsonContext.Default,
    };

    /// <summary>
    /// The generated metadata of <typeparamref name="T"/> under <paramref name="options"/> (these
    /// options or a copy of them): the serializer overloads that take options alone resolve types
    /// by reflection, which trimming removes from the published <c>wafer</c>.
    /// </summary>
    public static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    // ===== System kinds: the one place that maps a system's "kind" to its reader. =====
    // Add a kind with one line here (its reader lives beside its record, e.g. WaferCluster).
    private static readonly Dictionary<string, Func<JsonElement, SystemJsonContext, SystemSpec>> SystemReaders = new()
    {
        ["gpu-cluster"] = ReadGpuCluster,
        ["wafer-cluster"] = (e, _) => WaferCluster.FromJson(e),
    };

    public static CatalogFileDto ParseFile(string json, string fileName)
    {
        CatalogFileShape.Check(json, fileName);
        try
        {
            return JsonSerializer.Deserialize(json, TypeInfo<CatalogFileDto>(Options))
                   ?? throw new WaferInputException($"Catalog file '{fileName}' is empty (expected an object with \"accelerators\", \"systems\" or \"models\").");
        }
        catch (JsonException e)
        {
            throw new WaferInputException($"Catalog file '{fileName}' is not valid: {e.Message}", e);
        }
    }

    public static AcceleratorEntry ToAccelerator(AcceleratorDto d, string fileName)
    {
        CatalogIds.Check(d.Id, "accelerator", $"Catalog file '{fileName}'");
        foreach (var alias in d.Aliases ?? []) CatalogIds.Check(alias, $"alias of accelerator '{d.Id}'", $"Catalog file '{fileName}'");
        string? problem =
            d.PeakTflopsFp4 is not null && d.PeakTflopsFp8 is null ? "peak_tflops_fp4 needs peak_tflops_fp8 (FP4 GEMMs take the FP8 matmul fraction)" :
            new[] { d.PeakTflops16, d.PeakTflopsFp8, d.PeakTflopsFp4, d.HbmGb, d.HbmTbps, d.ScaleUpGbps, d.ScaleOutGbps, d.TdpW, d.HostLinkGbps, d.HostMemoryGb }.Any(v => v is { Value: <= 0 })
                ? "peaks, memory, bandwidths and tdp_w must be positive" :
            d.IdleW.Value < 0 || d.IdleW.Value >= d.TdpW.Value ? $"idle_w ({d.IdleW.Value}) must be between 0 and tdp_w ({d.TdpW.Value})" :
            new[] { d.MatmulEfficiency, d.MatmulEfficiencyFp8, d.SustainedMatmulShare }.Any(v => v is { Value: <= 0 or > 1 })
                ? "matmul_efficiency, matmul_efficiency_fp8 and sustained_matmul_share must be fractions in (0, 1]" :
            d.LaunchS is { Value: < 0 or > CalibratedConstant.MaxLaunchS }
                ? $"launch_s ({d.LaunchS.Value}) must be between 0 and {CalibratedConstant.MaxLaunchS} seconds" :
            d.ComputeUnits is { Value: var units } && (units < 1 || units != Math.Floor(units))
                ? $"compute_units ({units}) must be a whole number of at least 1" :
            d.ClockPowerCurve is { } curve ? curve.Problem(d.IdleW.Value) :
            d.Architecture is { } arch && DeviceArchitectureNames.Parse(arch) is null
                ? $"architecture '{arch}' is not known (known: {string.Join(", ", DeviceArchitectureNames.All)}; leave it out for a device of none of these)" :
            null;
        if (problem is not null) throw new WaferInputException($"Catalog file '{fileName}': accelerator '{d.Id}': {problem}.");
        var device = new Accelerator(d.Id, d.Name, d.Vendor, d.PeakTflops16, d.PeakTflopsFp8, d.HbmGb, d.HbmTbps,
            d.ScaleUpGbps, d.ScaleOutGbps, d.TdpW, d.IdleW, d.MatmulEfficiency, d.OnChipSramMb, d.Notes ?? "", d.MatmulEfficiencyFp8,
            d.ComputeUnits, d.SustainedMatmulShare, d.LaunchS, PeakTflopsFp4: d.PeakTflopsFp4, HostLinkGBps: d.HostLinkGbps, HostMemoryGb: d.HostMemoryGb,
            ClockPower: d.ClockPowerCurve?.ToCurve(d.Id, fileName),

            Architecture: d.Architecture is { } a ? DeviceArchitectureNames.Parse(a)!.Value : DeviceArchitecture.Unknown);
        if (d.CalibrationGroup is { } group) CatalogIds.Check(group, $"calibration_group of accelerator '{d.Id}'", $"Catalog file '{fileName}'");
        return new AcceleratorEntry(device, d.Aliases ?? [], d.DefaultSystem, d.PricePerHour, d.CalibrationGroup ?? d.Id);
    }

    public static SystemSpec ToSystem(JsonElement e, SystemJsonContext ctx)
    {
        var id = e.TryGetProperty("id", out var idProp) && idProp.ValueKind == JsonValueKind.String ? idProp.GetString()! : "?";
        if (!e.TryGetProperty("kind", out var kindProp) || kindProp.ValueKind != JsonValueKind.String)
            throw new WaferInputException($"Catalog file '{ctx.FileName}': system '{id}' needs \"kind\" (one of: {string.Join(", ", SystemReaders.Keys)}).");
        var kind = kindProp.GetString()!;
        if (!SystemReaders.TryGetValue(kind, out var read))
            throw new WaferInputException($"Catalog file '{ctx.FileName}': system '{id}' has unknown kind '{kind}' (known: {string.Join(", ", SystemReaders.Keys)}).");
        try
        {
            var system = read(e, ctx);
            CatalogIds.Check(system.Id, "system", $"Catalog file '{ctx.FileName}'");
            return system;
        }
        catch (JsonException ex)
        {
            throw new WaferInputException($"Catalog file '{ctx.FileName}': system '{id}' is not valid: {ex.Message}", ex);
        }
    }

    private static SystemSpec ReadGpuCluster(JsonElement e, SystemJsonContext ctx)
    {
        var d = ctx.Deserialize<GpuClusterDto>(e);
        var entry = ctx.Accelerator(d.Accelerator, d.Id);
        var price = d.PricePerDeviceHour ?? entry.PricePerHour
            ?? throw new WaferInputException($"Catalog file '{ctx.FileName}': system '{d.Id}' needs \"price_per_device_hour\" (its accelerator '{d.Accelerator}' has no default price_per_hour).");
        string? problem =
            d.DevicesPerNode < 1 ? "devices_per_node must be at least 1" :
            d.ScaleUpDomain < 1 ? "scale_up_domain must be at least 1" :
            d.ScaleUpDomain % d.DevicesPerNode != 0 && d.DevicesPerNode % d.ScaleUpDomain != 0
                ? $"scale_up_domain ({d.ScaleUpDomain}) must divide or be a multiple of devices_per_node ({d.DevicesPerNode})" :
            d.ScaleUpGbps.Value <= 0 || d.ScaleOutGbps.Value <= 0 ? "bandwidths must be positive" :
            d.ScaleUpLatencyUs.Value < 0 || d.ScaleOutLatencyUs.Value < 0 || d.NodeOverheadW.Value < 0 ? "latencies and node_overhead_w must not be negative" :
            d.MaxDevices is < 1 ? "max_devices must be at least 1" :
            null;
        if (problem is not null) throw new WaferInputException($"Catalog file '{ctx.FileName}': system '{d.Id}': {problem}.");
        return new GpuCluster(d.Id, d.Name, entry.Device, d.DevicesPerNode, d.ScaleUpDomain, d.ScaleUpGbps, d.ScaleOutGbps,
            d.ScaleUpLatencyUs, d.ScaleOutLatencyUs, d.NodeOverheadW, d.MaxDevices, price, d.Notes ?? "");
    }

    public static ModelSpec ToModel(ModelDto d, string fileName)
    {
        CatalogIds.Check(d.Id, "model", $"Catalog file '{fileName}'");
        var ffn = d.Ffn.ToLowerInvariant() switch
        {
            "gelu" or "relu" => FfnKind.Gelu,
            "swiglu" or "geglu" => FfnKind.SwiGlu,
            _ => throw new WaferInputException($"Catalog file '{fileName}': model '{d.Id}' has ffn '{d.Ffn}' (allowed: gelu, relu, swiglu, geglu)."),
        };
        var moe = d.Moe is { } m ? new MoeSpec(m.Experts, m.Active, m.Shared, m.ExpertFfnHidden, m.DenseLayers, m.DenseFfnHidden) : null;
        var headDim = d.HeadDim ?? (d.Heads > 0 ? d.Hidden / d.Heads : 0);
        if (d.BatchSeqs is < 1)
            throw new WaferInputException($"Catalog file '{fileName}': model '{d.Id}' has batch_seqs {d.BatchSeqs} (give the published global batch in sequences of seq_len, at least 1, or leave it out).");
        if (d.BatchSeqs is not null && string.IsNullOrWhiteSpace(d.BatchSource))
            throw new WaferInputException($"Catalog file '{fileName}': model '{d.Id}' has batch_seqs without batch_source (say where the batch was published).");
        if (d.WindowedLayers is not null && d.SlidingWindow is null)
            throw new WaferInputException($"Catalog file '{fileName}': model '{d.Id}' has windowed_layers without sliding_window (give the window in tokens).");
        var mla = d.Mla is { } l ? new LatentAttention(l.QLoraRank, l.KvLoraRank, l.QkRopeHeadDim, l.VHeadDim) : null;
        var window = d.SlidingWindow is { } w ? new SlidingWindow(w, d.WindowedLayers ?? d.Layers) : null;
        var model = new ModelSpec(d.Id, d.Name, d.Layers, d.Hidden, d.FfnHidden, ffn, d.Heads, d.KvHeads ?? d.Heads, headDim,
            d.Vocab, d.SeqLen, moe, d.TiedEmbeddings, d.PublishedParamsB, d.Source, d.Notes ?? "", d.BatchSeqs, d.BatchSource ?? "", d.Dropout,
            mla, window, d.MtpLayers ?? 0, ExpertBias: d.ExpertBias);
        if (ModelShape.Problem(model, requireDivisibleHeads: d.HeadDim is null) is { } problem)
            throw new WaferInputException($"Catalog file '{fileName}': model '{d.Id}': {problem}.");
        return model;
    }
}

/// <summary>What a system reader gets: the file name for messages, the accelerators known so far, the shared options.</summary>
internal sealed record SystemJsonContext(string FileName, Func<string, string, AcceleratorEntry> Accelerator)
{
    public T Deserialize<T>(JsonElement e) => e.Deserialize(CatalogJson.TypeInfo<T>(CatalogJson.Options))
        ?? throw new WaferInputException($"Catalog file '{FileName}': a system entry is null.");
}

/// <summary>
/// An accelerator with the catalog-only facts that are not part of the device record.
/// <see cref="CalibrationGroup"/>: the key its fitted constants are stored under (its id unless
/// the file groups it with the same die).
/// </summary>
internal sealed record AcceleratorEntry(Accelerator Device, IReadOnlyList<string> Aliases, string? DefaultSystem, Sourced? PricePerHour, string CalibrationGroup);

internal sealed class CatalogFileDto
{
    /// <summary>Free text for the reader of the file (what it holds, conventions).</summary>
    public string? About { get; init; }
    public List<AcceleratorDto>? Accelerators { get; init; }
    public List<JsonElement>? Systems { get; init; }
    public List<ModelDto>? Models { get; init; }
    /// <summary>Constants fitted by <c>wafer calibrate</c>, applied to the accelerators of their calibration group.</summary>
    public List<CalibrationFit>? Calibrations { get; init; }
}

internal sealed class AcceleratorDto
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Vendor { get; init; }
    /// <summary>Silicon generation (hopper, cdna3, …): which kernel measurements apply.</summary>
    public string? Architecture { get; init; }
    /// <summary>Other ids that name this accelerator (e.g. "h100" for "h100-sxm").</summary>
    public List<string>? Aliases { get; init; }
    [JsonPropertyName("peak_tflops_16")] public required Sourced PeakTflops16 { get; init; }
    [JsonPropertyName("peak_tflops_fp8")] public Sourced? PeakTflopsFp8 { get; init; }
    [JsonPropertyName("peak_tflops_fp4")] public Sourced? PeakTflopsFp4 { get; init; }
    public required Sourced HbmGb { get; init; }
    public required Sourced HbmTbps { get; init; }
    public required Sourced ScaleUpGbps { get; init; }
    public required Sourced ScaleOutGbps { get; init; }
    public required Sourced TdpW { get; init; }
    public required Sourced IdleW { get; init; }
    public required Sourced MatmulEfficiency { get; init; }
    [JsonPropertyName("matmul_efficiency_fp8")] public Sourced? MatmulEfficiencyFp8 { get; init; }
    /// <summary>SMs or CUs that GEMM tiles are spread over (wave quantisation).</summary>
    public Sourced? ComputeUnits { get; init; }
    /// <summary>Share of the matmul maximum sustained in training, with what it was fitted to.</summary>
    public Sourced? SustainedMatmulShare { get; init; }
    /// <summary>Host time to launch one layer's forward kernels, with what it was fitted to.</summary>
    [JsonPropertyName("launch_s")] public Sourced? LaunchS { get; init; }
    /// <summary>Link to host memory per direction, GB/s, where known (activation offload).</summary>
    public Sourced? HostLinkGbps { get; init; }
    public Sourced? HostMemoryGb { get; init; }
    /// <summary>Measured board power against locked clock under training load (power-capped clocks).</summary>
    public ClockPowerCurveDto? ClockPowerCurve { get; init; }
    /// <summary>Accelerators of one group (the same die and clocks) share fitted constants.</summary>
    public string? CalibrationGroup { get; init; }
    public Sourced? OnChipSramMb { get; init; }
    /// <summary>Default $ per device-hour for systems built from this accelerator.</summary>
    public Sourced? PricePerHour { get; init; }
    /// <summary>The system a bare accelerator id (--on h100) stands for.</summary>
    public string? DefaultSystem { get; init; }
    public string? Notes { get; init; }
}

/// <summary><c>{"clock_mhz": [high … low], "watts": [...], "source": "...", "confidence": "measured"}</c>, or
/// <c>"clock_share"</c> in place of <c>"clock_mhz"</c> (shares of the clock at the highest power, first 1).</summary>
internal sealed class ClockPowerCurveDto
{
    public List<double>? ClockMhz { get; init; }
    public List<double>? ClockShare { get; init; }
    public required List<double> Watts { get; init; }
    public required string Source { get; init; }
    public string? Confidence { get; init; }

    /// <summary>Why this curve cannot be read; null when it can.</summary>
    public string? Problem(double idleW) => (ClockMhz, ClockShare) switch
    {
        (null, null) => "clock_power_curve needs \"clock_mhz\" (locked clocks) or \"clock_share\" (shares of the clock at the highest power)",
        ({ }, { }) => "clock_power_curve takes \"clock_mhz\" or \"clock_share\", not both",
        _ => ClockPowerCurve.Problem(ClockMhz ?? ClockShare!, Watts, idleW, Source, clockIsShare: ClockShare is not null),
    };

    public ClockPowerCurve ToCurve(string id, string fileName)
    {
        var confidence = Catalog.Confidence.Measured;
        if (Confidence is { } text && !Enum.TryParse(text, ignoreCase: true, out confidence) || int.TryParse(Confidence, out _))
            throw new WaferInputException($"Catalog file '{fileName}': accelerator '{id}': clock_power_curve has unknown confidence '{Confidence}' " +
                                          $"(allowed: {string.Join(", ", Enum.GetNames<Catalog.Confidence>().Select(n => n.ToLowerInvariant()))}).");
        return new ClockPowerCurve(ClockMhz ?? ClockShare!, Watts, Source, confidence, ClockIsShare: ClockShare is not null);
    }
}

internal sealed class GpuClusterDto
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required string Accelerator { get; init; }
    public required int DevicesPerNode { get; init; }
    public required int ScaleUpDomain { get; init; }
    public required Sourced ScaleUpGbps { get; init; }
    public required Sourced ScaleOutGbps { get; init; }
    public required Sourced ScaleUpLatencyUs { get; init; }
    public required Sourced ScaleOutLatencyUs { get; init; }
    public required Sourced NodeOverheadW { get; init; }
    public int? MaxDevices { get; init; }
    public Sourced? PricePerDeviceHour { get; init; }
    public string? Notes { get; init; }
}

internal sealed class ModelDto
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required int Layers { get; init; }
    public required int Hidden { get; init; }
    public required int FfnHidden { get; init; }
    public required string Ffn { get; init; }
    public required int Heads { get; init; }
    public int? KvHeads { get; init; }
    public int? HeadDim { get; init; }
    public required int Vocab { get; init; }
    public required int SeqLen { get; init; }
    public int? BatchSeqs { get; init; }
    public string? BatchSource { get; init; }
    public bool Dropout { get; init; } = true;
    public MoeDto? Moe { get; init; }
    /// <summary>Multi-head latent attention; head_dim is then qk_nope_head_dim.</summary>
    public MlaDto? Mla { get; init; }
    /// <summary>Tokens a windowed layer's query sees (itself included).</summary>
    public int? SlidingWindow { get; init; }
    /// <summary>How many layers use the window (default all).</summary>
    public int? WindowedLayers { get; init; }
    /// <summary>Multi-token prediction modules (DeepSeek-V3: 1); absent: none.</summary>
    public int? MtpLayers { get; init; }
    /// <summary>Routed experts with an output bias (GPT-OSS); absent: none.</summary>
    public bool ExpertBias { get; init; }
    public bool TiedEmbeddings { get; init; }
    public double? PublishedParamsB { get; init; }
    public required string Source { get; init; }
    public string? Notes { get; init; }
}

internal sealed class MoeDto
{
    public required int Experts { get; init; }
    public required int Active { get; init; }
    public int Shared { get; init; }
    public required int ExpertFfnHidden { get; init; }
    public int DenseLayers { get; init; }
    public int DenseFfnHidden { get; init; }
}

internal sealed class MlaDto
{
    /// <summary>Rank of the query bottleneck; 0 or absent: a full query projection.</summary>
    public int QLoraRank { get; init; }
    public required int KvLoraRank { get; init; }
    public required int QkRopeHeadDim { get; init; }
    public required int VHeadDim { get; init; }
}
