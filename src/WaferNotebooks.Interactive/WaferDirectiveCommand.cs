using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DotNet.Interactive.Commands;

namespace WaferNotebooks.Interactive;

/// <summary>
/// A #!wafer invocation as .NET Interactive deserializes it. The option values arrive by name
/// into <see cref="Values"/>, so the grammar in Core stays the only list of options; one
/// subclass per subcommand tells the handler which subcommand ran.
/// </summary>
public abstract class WaferDirectiveCommand : KernelDirectiveCommand
{
    /// <summary>The subcommand name, or null for the bare #!wafer.</summary>
    [JsonIgnore]
    public abstract string? Subcommand { get; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Values { get; set; } = new();

    /// <summary>The raw text of an option (named as the directive parameter camel-cases it), or null when absent.</summary>
    public string? Raw(string key) =>
        Values.TryGetValue(key, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
            : null;
}

public sealed class WaferRootCommand : WaferDirectiveCommand { public override string? Subcommand => null; }
public sealed class WaferEstimateCommand : WaferDirectiveCommand { public override string Subcommand => "estimate"; }
public sealed class WaferCompareCommand : WaferDirectiveCommand { public override string Subcommand => "compare"; }
public sealed class WaferSweepCommand : WaferDirectiveCommand { public override string Subcommand => "sweep"; }
public sealed class WaferPlanCommand : WaferDirectiveCommand { public override string Subcommand => "plan"; }
public sealed class WaferCatalogCommand : WaferDirectiveCommand { public override string Subcommand => "catalog"; }
public sealed class WaferValidateCommand : WaferDirectiveCommand { public override string Subcommand => "validate"; }
public sealed class WaferCalibrateCommand : WaferDirectiveCommand { public override string Subcommand => "calibrate"; }
public sealed class WaferTimelineCommand : WaferDirectiveCommand { public override string Subcommand => "timeline"; }
