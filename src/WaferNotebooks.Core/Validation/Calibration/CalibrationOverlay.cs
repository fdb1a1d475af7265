using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Validation.Calibration;

/// <summary>
/// Writes a fit as a catalog overlay: a catalog file with only "about" and "calibrations", which
/// <c>--catalog</c> and <c>WAFER_CATALOG</c> load like any catalog file. An overlay that exists
/// keeps its other fits; a fit of the same constants, grouping and calibration groups is replaced
/// in its place, so the file can collect the fits of several commands (applied in file order).
/// </summary>
public static class CalibrationOverlay
{
    public const string About =
        "Constants fitted by wafer calibrate (docs/gpu-model.md, 'Calibration and cross-validation'). Load it with --catalog FILE or WAFER_CATALOG; each fit records its command, date and rows.";

    static readonly JsonSerializerOptions WriteOptions = new(CatalogJson.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, CalibrationFit fit)
    {
        var fits = new List<CalibrationFit>();
        if (File.Exists(path))
        {
            var existing = CatalogJson.ParseFile(File.ReadAllText(path), path);
            if (existing.Accelerators is { Count: > 0 } || existing.Systems is { Count: > 0 } || existing.Models is { Count: > 0 })
                throw new WaferInputException($"--out '{path}' holds catalog entries besides calibrations; give a file of its own for the overlay");
            fits.AddRange(existing.Calibrations ?? []);
        }
        // In place of the fit it replaces, so the order in which fits apply stays as it was.
        int index = fits.FindIndex(f => SameFit(f, fit));
        if (index >= 0) fits[index] = fit;
        else fits.Add(fit);
        fits.RemoveAll(f => !ReferenceEquals(f, fit) && SameFit(f, fit));
        var root = new JsonObject
        {
            ["about"] = About,
            ["calibrations"] = JsonSerializer.SerializeToNode(fits, CatalogJson.TypeInfo<List<CalibrationFit>>(WriteOptions)),
        };
        try
        {
            File.WriteAllText(path, root.ToJsonString(WriteOptions) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new WaferInputException($"--out '{path}': cannot write the overlay: {e.Message}", e);
        }
    }

    /// <summary>A fit as the overlay writes it (snake_case keys).</summary>
    public static JsonNode ToNode(CalibrationFit fit) => JsonSerializer.SerializeToNode(fit, CatalogJson.TypeInfo<CalibrationFit>(WriteOptions))!;

    static bool SameFit(CalibrationFit a, CalibrationFit b) =>
        a.By == b.By && a.Fit.Order().SequenceEqual(b.Fit.Order())
        && a.Values.Any(x => b.Values.Any(y => x.Accelerator == y.Accelerator && x.Framework == y.Framework));
}
