using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;

namespace WaferNotebooks.Interactive;

/// <summary>
/// Per-notebook state, keyed by the root kernel (one per open notebook): whether charts are
/// offline by default.
/// </summary>
public sealed class NotebookSettings
{
    /// <summary>Set to 1 (or true) in the kernel's environment, every chart is offline from the
    /// start; <c>wafer run</c> sets it so write-ups draw without a network.</summary>
    public const string OfflineVariable = "WAFER_OFFLINE";

    private static readonly ConditionalWeakTable<Kernel, NotebookSettings> ByKernel = new();
    private static readonly NotebookSettings Detached = new();

    /// <summary>Each chart output carries plotly.js (compressed) instead of loading it from the CDN.</summary>
    public bool Offline { get; set; } = OfflineByEnvironment();

    public static NotebookSettings For(Kernel kernel) => ByKernel.GetValue(kernel.RootKernel, _ => new NotebookSettings());

    /// <summary>The settings of the notebook whose cell is running, or process-wide ones outside a cell.</summary>
    public static NotebookSettings Current =>
        KernelInvocationContext.Current?.HandlingKernel is { } kernel ? For(kernel) : Detached;

    private static bool OfflineByEnvironment() =>
        Environment.GetEnvironmentVariable(OfflineVariable)?.Trim().ToLowerInvariant() is "1" or "true" or "yes";
}
