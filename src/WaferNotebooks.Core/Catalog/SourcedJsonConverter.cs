using System.Text.Json;
using System.Text.Json.Serialization;

namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// Reads and writes a <see cref="Sourced"/> as
/// <c>{"value": 989, "source": "...", "confidence": "datasheet", "low": 900, "high": 1000}</c>.
/// A bare number is refused: every catalog number must say where it comes from.
/// </summary>
public sealed class SourcedJsonConverter : JsonConverter<Sourced>
{
    public override Sourced Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("expected {\"value\": <number>, \"source\": \"<where it comes from>\"} (a bare number has no source)");
        double? value = null, low = null, high = null;
        string? source = null;
        var confidence = Confidence.Datasheet;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "value": value = reader.GetDouble(); break;
                case "low": low = reader.GetDouble(); break;
                case "high": high = reader.GetDouble(); break;
                case "source": source = reader.GetString(); break;
                case "confidence": confidence = ParseConfidence(reader.GetString()); break;
                default: throw new JsonException($"unknown key '{name}' in a sourced value (allowed: value, source, confidence, low, high)");
            }
        }
        if (value is null) throw new JsonException("a sourced value needs \"value\"");
        if (string.IsNullOrWhiteSpace(source)) throw new JsonException($"the value {value} needs a non-empty \"source\"");
        if (low is not null && high is not null && (low > value || high < value))
            throw new JsonException($"the range {low}..{high} does not contain the value {value}");
        return new Sourced(value.Value, source, confidence, low, high);
    }

    public override void Write(Utf8JsonWriter writer, Sourced value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("value", value.Value);
        writer.WriteString("source", value.Source);
        writer.WriteString("confidence", value.Confidence.ToString().ToLowerInvariant());
        if (value.Low is { } low) writer.WriteNumber("low", low);
        if (value.High is { } high) writer.WriteNumber("high", high);
        writer.WriteEndObject();
    }

    private static Confidence ParseConfidence(string? text) =>
        Enum.TryParse<Confidence>(text, ignoreCase: true, out var c) && !int.TryParse(text, out _)
            ? c
            : throw new JsonException($"unknown confidence '{text}' (allowed: {string.Join(", ", Enum.GetNames<Confidence>().Select(n => n.ToLowerInvariant()))})");
}
