using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;
using WaferNotebooks.Core;

namespace WaferNotebooks.Interactive;

/// <summary>
/// Per-notebook state, keyed by the root kernel (one per open notebook): whether charts are
/// offline by default.
/// </summary>
public sealed class NotebookSettings
{
    private static readonly ConditionalWeakTable<Kernel, NotebookSettings> ByKernel = new();
    private static readonly NotebookSettings Detached = new();

    /// <summary>Each chart output carries plotly.js (compressed) instead of loading it from the CDN;
    /// from the start when WAFER_OFFLINE=1 is in the kernel's environment.</summary>
    public bool Offline { get; set; } = OfflineCharts.RequestedByEnvironment();

    public static NotebookSettings For(Kernel kernel) => ByKernel.GetValue(kernel.RootKernel, _ => new NotebookSettings());

    /// <summary>The settings of the notebook whose cell is running, or process-wide ones outside a cell.</summary>
    public static NotebookSettings Current =>
        KernelInvocationContext.Current?.HandlingKernel is { } kernel ? For(kernel) : Detached;
}
