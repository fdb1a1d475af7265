namespace WaferNotebooks.Core;

/// <summary>
/// The environment switch that makes every chart offline from the start (each output carries
/// plotly.js, see <see cref="IChartRenderer"/>): the notebook extension reads it, <c>wafer run</c>
/// sets it so write-ups draw without a network. Here because both reference Core and neither
/// references the other.
/// </summary>
public static class OfflineCharts
{
    public const string EnvironmentVariable = "WAFER_OFFLINE";

    /// <summary>Whether the variable is set to 1, true or yes.</summary>
    public static bool RequestedByEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim().ToLowerInvariant() is "1" or "true" or "yes";
}
