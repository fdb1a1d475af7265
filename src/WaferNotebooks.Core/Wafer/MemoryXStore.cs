using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Wafer;

/// <summary>
/// MemoryX: holds weights and optimizer state off the wafer and runs the optimizer step
/// (Cerebras glossary, MemoryX). Updates are pipelined per layer behind the last pass's
/// backward; the first layer's gradients arrive last and its weights are needed first, so its
/// update is exposed at the iteration boundary, as is any update work the backward cannot cover.
/// </summary>
public static class MemoryXStore
{
    /// <summary>Adam traffic per parameter: read master, momentum, variance (12) and the gradient (2), write them back (12) and the 16-bit copy (2).</summary>
    public const double UpdateBytesPerParam = 28;

    /// <summary>MemoryX a model needs as Cerebras sizes it (the catalog's bytes per parameter, which cover more than the 16 bytes of Adam state).</summary>
    public static double RequiredTb(WaferCluster c, double parameters) => parameters * c.MemoryXBytesPerParam.Value / 1e12;

    /// <summary>Why the configured MemoryX cannot hold the model, or null when it can.</summary>
    public static string? CapacityProblem(WaferCluster c, double parameters)
    {
        double need = RequiredTb(c, parameters);
        if (need <= c.MemoryXTb.Value) return null;
        var fits = c.MemoryXOptionsTb.Where(o => o >= need).Order().ToList();
        string advice = fits.Count > 0 ? $"choose the {fits[0]:G4} TB MemoryX option" : $"the largest MemoryX option ({c.MemoryXOptionsTb.DefaultIfEmpty(0).Max():G4} TB) is too small as well";
        return $"The model needs {need:G3} TB in MemoryX ({parameters / 1e9:G4}B parameters × {c.MemoryXBytesPerParam.Value:G3} bytes, as Cerebras sizes MemoryX), more than the configured {c.MemoryXTb.Value:G4} TB: {advice}.";
    }

    public static double UpdateS(WaferCluster c, double parameters) => parameters * UpdateBytesPerParam / (c.MemoryXGBps.Value * 1e9);

    /// <summary>Exposed update time: the first block's update, or the whole update less the backward pass that hides it, whichever is longer.</summary>
    public static double ExposedUpdateS(WaferCluster c, double allParams, double firstBlockParams, double hidingBackwardS) =>
        Math.Max(UpdateS(c, firstBlockParams), UpdateS(c, allParams) - hidingBackwardS);
}
