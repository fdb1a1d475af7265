using System.Text.Json;

namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// The checks a catalog file passes before its entries are read: each section is an array of
/// objects, no field is null, and no number is negative (no catalog quantity is: sizes, rates,
/// powers, prices, latencies, counts). Each refusal names the file, the entry and the field, so
/// a user file with <c>{"systems":[null]}</c> or <c>"price_per_hour": -2</c> is bad input with
/// a message, never an internal error or a negative cost.
/// </summary>
internal static class CatalogFileShape
{
    private static readonly string[] Sections = ["accelerators", "systems", "models"];

    public static void Check(string json, string fileName)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            // Not JSON at all: the serializer's own message names the line and the path.
            return;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new WaferInputException($"Catalog file '{fileName}': expected an object with \"accelerators\", \"systems\" or \"models\", found {Kind(root)}.");
            foreach (var section in Sections)
            {
                if (!root.TryGetProperty(section, out var list)) continue;
                if (list.ValueKind != JsonValueKind.Array)
                    throw new WaferInputException($"Catalog file '{fileName}': \"{section}\" must be an array of entries, found {Kind(list)}.");
                var index = 0;
                foreach (var entry in list.EnumerateArray())
                {
                    index++;
                    var name = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                        ? $"'{id.GetString()}'" : $"number {index}";
                    var where = $"Catalog file '{fileName}': {section} entry {name}";
                    if (entry.ValueKind != JsonValueKind.Object)
                        throw new WaferInputException($"{where} must be an object, found {Kind(entry)}.");
                    CheckFields(entry, where, "");
                }
            }
        }
    }

    private static void CheckFields(JsonElement obj, string where, string prefix)
    {
        foreach (var field in obj.EnumerateObject())
        {
            var path = prefix + field.Name;
            switch (field.Value.ValueKind)
            {
                case JsonValueKind.Null:
                    throw new WaferInputException($"{where}: \"{path}\" is null; give a value or leave the field out.");
                case JsonValueKind.Number when field.Value.GetDouble() is var v && (v < 0 || !double.IsFinite(v)):
                    throw new WaferInputException($"{where}: \"{path}\" is {field.Value.GetRawText()}; it must be a finite number, not negative.");
                case JsonValueKind.Object:
                    CheckFields(field.Value, where, path + ".");
                    break;
                case JsonValueKind.Array:
                    foreach (var item in field.Value.EnumerateArray())
                        if (item.ValueKind == JsonValueKind.Null)
                            throw new WaferInputException($"{where}: \"{path}\" holds a null; give values or leave the field out.");
                        else if (item.ValueKind == JsonValueKind.Object)
                            CheckFields(item, where, path + "[].");
                    break;
            }
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();
}
