using System.Text.Json;
using System.Text.Json.Serialization;

namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// Serialization code for the catalog's types, generated at compile time: reading the embedded
/// catalog at start-up then needs no reflection (it took ~165 ms of a 0.67 s `wafer estimate`).
/// <see cref="CatalogJson.Options"/> resolves types through this context only, so a catalog type
/// missing here fails every catalog test instead of quietly using reflection.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    Converters = [typeof(SourcedJsonConverter)])]
[JsonSerializable(typeof(CatalogFileDto))]
[JsonSerializable(typeof(GpuClusterDto))]
[JsonSerializable(typeof(WaferCluster))]
[JsonSerializable(typeof(CalibrationFit))]
[JsonSerializable(typeof(List<CalibrationFit>))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
