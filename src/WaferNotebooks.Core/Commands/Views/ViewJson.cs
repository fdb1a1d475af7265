using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// The one JSON exporter (<c>--json</c>): it writes a <see cref="ResultView"/> as the terminal
/// and the card render it, knowing no subcommand. The object is the view's record (numbers bare,
/// null for one that does not exist, a nested view as its own object), then its keyed tables
/// (an array of row objects), notes and lists, then <c>range</c> (each top-level number's model
/// low/high, and <c>method</c>) and <c>choice_range</c> (low/high over the user's open choices,
/// with the <c>inputs</c> that move it). Keys are snake_case with the unit in the name
/// (<c>_s</c>, <c>_gb</c>, <c>_mwh</c>, <c>_usd</c>, <c>_t</c>); shares are fractions.
/// </summary>
public static class ViewJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // Keep "·", "×", "–" and quotes in reasons readable rather than \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(ResultView view) => Object(view).ToJsonString(Options);

    public static JsonObject Object(ResultView view)
    {
        var o = Record(view.Record);
        foreach (var table in view.Tables)
            if (table.Key is { } key)
                o[key] = Table(table);
        foreach (var note in view.Notes)
            if (note.Key is { } key)
                o[key] = note.Text;
        foreach (var list in view.Lists)
            if (list.Key is { } key)
                o[key] = Strings(list.Items);
        var numbers = view.Record.Where(f => f.Value is ViewNumber).Select(f => (f.Key, Number: (ViewNumber)f.Value!)).ToList();
        if (numbers.Where(n => n.Number.Range is not null).ToList() is { Count: > 0 } ranged)
        {
            var range = new JsonObject();
            foreach (var (key, n) in ranged)
                range[key] = new JsonObject { ["low"] = Number(n.Range!.Low), ["high"] = Number(n.Range.High) };
            range["method"] = view.RangeMethod;
            o["range"] = range;
        }
        if (numbers.Where(n => n.Number.Choices is not null).ToList() is { Count: > 0 } chosen)
        {
            var choices = new JsonObject();
            foreach (var (key, n) in chosen)
                choices[key] = new JsonObject { ["low"] = Number(n.Choices!.Low), ["high"] = Number(n.Choices.High), ["inputs"] = Strings(n.Choices.Inputs) };
            o["choice_range"] = choices;
        }
        return o;
    }

    private static JsonObject Record(ViewRecord record)
    {
        var o = new JsonObject();
        foreach (var field in record)
            o[field.Key] = Value(field.Value);
        return o;
    }

    private static JsonNode? Value(ViewValue? value) => value switch
    {
        null => null,
        ViewNumber n => Number(n.Value),
        ViewInteger i => JsonValue.Create(i.Value),
        ViewString s => JsonValue.Create(s.Value),
        ViewFlag f => JsonValue.Create(f.Value),
        ViewArray a => new JsonArray([.. a.Items.Select(Value)]),
        ViewRecord r => Record(r),
        NestedView v => WithExtra(Object(v.View), v.Extra),
        ViewDocument d => d.Node.DeepClone(),
        _ => throw new InvalidOperationException($"No JSON form for {value.GetType().Name}."),
    };

    private static JsonObject WithExtra(JsonObject o, ViewRecord? extra)
    {
        foreach (var field in extra?.Fields ?? [])
            o[field.Key] = Value(field.Value);
        return o;
    }

    private static JsonArray Table(ViewTable t) => new([.. t.Cells.Select(row =>
    {
        var o = new JsonObject();
        for (var i = 0; i < t.AllColumns.Count && i < row.Count; i++)
            if (t.AllColumns[i].Key is { } key)
                o[key] = row[i] is { } cell ? cell.Single is { } single ? Value(single) : cell.ToString() : null;
        return (JsonNode?)o;
    })]);

    private static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(s => (JsonNode?)JsonValue.Create(s))]);

    /// <summary>NaN and infinities have no JSON form: they become null.</summary>
    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
