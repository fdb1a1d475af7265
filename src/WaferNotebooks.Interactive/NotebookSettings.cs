using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;

namespace WaferNotebooks.Interactive;

/// <summary>
/// Per-notebook state, keyed by the root kernel (one per open notebook): whether charts are
/// offline by default, and whether plotly.js has already been inlined in this document.
/// </summary>
public sealed class NotebookSettings
{
    private static readonly ConditionalWeakTable<Kernel, NotebookSettings> ByKernel = new();
    private static readonly NotebookSettings Detached = new();
    private int plotlyInlined;

    /// <summary>Charts inline plotly.js (once per document) instead of loading it from the CDN.</summary>
    public bool Offline { get; set; }

    public static NotebookSettings For(Kernel kernel) => ByKernel.GetValue(kernel.RootKernel, _ => new NotebookSettings());

    /// <summary>The settings of the notebook whose cell is running, or process-wide ones outside a cell.</summary>
    public static NotebookSettings Current =>
        KernelInvocationContext.Current?.HandlingKernel is { } kernel ? For(kernel) : Detached;

    /// <summary>True exactly once per document: the caller then emits plotly.js before its first chart.</summary>
    internal bool TakePlotlyInline() => Interlocked.Exchange(ref plotlyInlined, 1) == 0;
}
