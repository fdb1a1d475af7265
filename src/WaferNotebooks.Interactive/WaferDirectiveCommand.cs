using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DotNet.Interactive.Commands;

namespace WaferNotebooks.Interactive;

/// <summary>
/// A #!wafer invocation (the root or any subcommand) as .NET Interactive deserializes it. The
/// handler reads the words of the command's own cell line (<see cref="DirectiveLine"/>), so the
/// grammar in Core stays the only list of options and one command type serves every subcommand.
/// </summary>
public sealed class WaferDirectiveCommand : KernelDirectiveCommand
{
    /// <summary>What the binder kept of the options; unused, since the handler reads the line.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Values { get; set; } = new();
}
