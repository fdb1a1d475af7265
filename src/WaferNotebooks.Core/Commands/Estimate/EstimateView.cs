using WaferNotebooks.Core.Results;
using static WaferNotebooks.Core.Commands.ValueText;
using static WaferNotebooks.Core.Commands.ViewTableBuilder;

namespace WaferNotebooks.Core.Commands;

/// <summary>The parts of an estimate's view that estimate, plan and timeline share.</summary>
public static class EstimateView
{
    public static string Title(Estimate e) => $"{e.ModelId} on {Count(e.Devices)} × {e.SystemId} ({e.DeviceName}), {e.ExecutionMode}";

    /// <summary>The model on the system with its layout, and the job.</summary>
    public static string Subtitle(Estimate e) =>
        $"{e.ModelId} on {e.SystemId} with layout {e.Layout}; " +
        $"{Scaled(e.Job.Tokens)} tokens, batch {Count(e.Job.GlobalBatchSeqs)} × {Count(e.Job.SeqLen)} = {Scaled(e.Job.TokensPerStep)} tokens, " +
        $"{e.Job.Precision.ToString().ToLowerInvariant()}, {Scaled(e.Job.Steps)} steps";

    /// <summary>
    /// Why an estimate does not fit: the reason and, when memory overflows, by how much, the
    /// largest part and what shrinks that part (<see cref="MemoryHints"/>).
    /// </summary>
    public static DoesNotFitView DoesNotFit(Estimate e, string? reason = null)
    {
        var why = reason ?? e.Reason ?? "the layout does not fit";
        if (e.Memory is not { Parts.Count: > 0 } m || m.Fits)
            return new DoesNotFitView(why);
        var largest = MemoryHints.Largest(m);
        return new DoesNotFitView(why,
            $"{Num(m.TotalGb)} GB per device of {Num(m.CapacityGb)} GB {m.Where}; largest part: {largest.Name} {Num(largest.Gb)} GB ({largest.Description})",
            MemoryHints.For(largest.Name, e.Layout));
    }

    /// <summary>A view that is only the "does not fit" state and the memory that overflows.</summary>
    public static ResultView DoesNotFitView(string title, string subtitle, Estimate? attempt, string reason) =>
        new($"{title}: does not fit", subtitle)
        {
            DoesNotFit = attempt is null ? new DoesNotFitView(reason) : DoesNotFit(attempt, reason),
            Tables = attempt is { Memory: { Parts.Count: > 0, Fits: false } m } ? [MemoryTable(m)] : [],
        };

    public static ViewTable MemoryTable(MemoryBreakdown memory)
    {
        var table = new ViewTableBuilder(Text("memory part"), Number("GB"), Text("what"));
        foreach (var p in memory.Parts)
            table.Add(p.Name, Num(p.Gb), p.Description);
        return table.Build();
    }

    public static ViewTable StepTable(Estimate e)
    {
        var table = new ViewTableBuilder(Text("step part"), Number("time"), Number("share"), Text("what"));
        foreach (var p in e.Breakdown.Parts)
            table.Add(p.Name, Duration(p.Seconds), Percent(e.StepTimeS > 0 ? p.Seconds / e.StepTimeS : double.NaN), p.Description);
        return table.Build();
    }
}
