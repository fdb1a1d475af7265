using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Uncertainty;
using static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;

namespace WaferNotebooks.Interactive;

/// <summary>
/// The summary card shown above the charts: headline numbers with units and low–high ranges,
/// the bottleneck in words. Colours are inherited or translucent grey, so the card reads on
/// light and dark notebook themes alike.
/// </summary>
internal static class SummaryCard
{
    public const string Border = "1px solid rgba(128,128,128,0.35)";
    private const string CardStyle = "border:" + Border + ";border-radius:6px;padding:10px 14px;margin:6px 0;color:inherit;background:transparent;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:980px";
    private const string StatStyle = "display:inline-block;min-width:150px;margin:4px 18px 4px 0;vertical-align:top";
    private const string LabelStyle = "font-size:11px;opacity:0.7;text-transform:uppercase;letter-spacing:0.04em";
    private const string ValueStyle = "font-size:20px;font-weight:600";
    private const string RangeStyle = "font-size:11px;opacity:0.7";

    public static IHtmlContent Card(string title, string subtitle, IEnumerable<IHtmlContent> stats, params IHtmlContent[] notes) =>
        div[@class: "wafer-card", style: CardStyle](
            div[style: "font-size:15px;font-weight:600"](title),
            div[style: "font-size:12px;opacity:0.75;margin-bottom:6px"](subtitle),
            div(stats.ToArray()),
            notes);

    public static IHtmlContent Stat(string label, string value, string? range = null) =>
        div[@class: "wafer-stat", style: StatStyle](
            div[style: LabelStyle](label),
            div[style: ValueStyle](value),
            range is null ? new HtmlString("") : div[style: RangeStyle](range));

    public static IHtmlContent Note(string label, string text, bool warning = false) =>
        div[style: "margin-top:6px;font-size:13px" + (warning ? ";color:#d55e00" : "")](b(label + ": "), text);

    public static string Range(MetricRange? r, string format, double scale = 1) =>
        r is null ? "" : $"range {(r.Low * scale).ToString(format)} – {(r.High * scale).ToString(format)}";

    /// <summary>
    /// A result that does not fit: no headline numbers, the reason, the part of memory that
    /// overflows (when it is memory) and what would shrink that part.
    /// </summary>
    public static IHtmlContent DoesNotFitCard(string title, string subtitle, string why, MemoryBreakdown? memory = null, Layout? layout = null)
    {
        var notes = new List<IHtmlContent> { Note("Does not fit", why, warning: true) };
        if (memory is { Parts.Count: > 0 } m && !m.Fits)
        {
            var largest = MemoryHints.Largest(m);
            notes.Add(Note("Overflows", $"{m.TotalGb:F1} GB per device against {m.CapacityGb:F0} GB {m.Where}; the largest part is {largest.Name}, {largest.Gb:F1} GB ({largest.Description})"));
            if (layout is not null)
                notes.Add(Note("To make it fit", string.Join("; ", MemoryHints.For(largest.Name, layout))));
        }
        return Card(title + ": does not fit", subtitle, [], [.. notes]);
    }

    public static IHtmlContent EstimateCard(Estimate e)
    {
        var r = e.Ranges;
        var stats = new List<IHtmlContent>
        {
            Stat("time to train", $"{e.TimeToTrainDays:F1} days", r is null ? "without interruptions" : Range(r.TimeToTrainDays, "F1") + ", without interruptions"),
            Stat("with downtime", e.Goodput is not { } g ? "not modelled" : g.Share > 0 ? $"{g.DaysWithDowntime:F1} days" : "never finishes",
                e.Goodput is { } g2 ? $"goodput {g2.Share:P1}, {g2.ExpectedInterruptions:F0} interruptions" : "no failure rate for this system"),
            Stat("throughput", $"{SignificantFigures.Scaled(e.TokensPerS)} tokens/s", r is null ? null : $"range {SignificantFigures.Scaled(r.TokensPerS.Low)} – {SignificantFigures.Scaled(r.TokensPerS.High)}"),
            Stat("MFU", $"{e.Mfu:P1}", $"HFU {e.Hfu:P1}"),
            Stat("step time", Units.Duration(e.StepTimeS), r is null ? null : $"range {Units.Duration(r.StepTimeS.Low)} – {Units.Duration(r.StepTimeS.High)}"),
            Stat("memory per device", $"{e.Memory.TotalGb:F1} GB", $"of {e.Memory.CapacityGb:F0} GB {e.Memory.Where}"),
            // The model's range, then apart how far the user's open choices (PUE, price list, grid) move it.
            Stat("energy", $"{e.EnergyMwh:F0} MWh", r is null ? $"{e.AveragePowerKw:F0} kW average" : RangeText.WithChoices(Range(r.EnergyMwh, "F0"), r.Choices?.EnergyMwh, v => v.ToString("F0"))),
            Stat("cost", $"${SignificantFigures.Scaled(e.CostUsd)}", r is null ? $"{SignificantFigures.Scaled(e.DeviceHours)} device-hours" : RangeText.WithChoices($"range ${SignificantFigures.Scaled(r.CostUsd.Low)} – ${SignificantFigures.Scaled(r.CostUsd.High)}", r.Choices?.CostUsd, v => "$" + SignificantFigures.Scaled(v))),
            Stat("CO2", $"{e.Co2Tonnes:F0} t", r is null ? null : RangeText.WithChoices(Range(r.Co2Tonnes, "F0"), r.Choices?.Co2Tonnes, v => v.ToString("F0"))),
        };
        var notes = new List<IHtmlContent>();
        if (!e.Feasible) notes.Add(Note("Not feasible", e.Reason ?? "the layout does not fit", warning: true));
        notes.Add(Note("Bottleneck", e.Bottleneck));
        return Card(
            $"{e.ModelId} on {e.SystemId} × {e.Devices}",
            EstimateSubtitle(e), stats, [.. notes]);
    }

    public static string EstimateSubtitle(Estimate e) =>
        $"{e.DeviceName}, {e.ExecutionMode}, {e.Layout}; {SignificantFigures.Scaled(e.Job.Tokens)} tokens, batch {e.Job.GlobalBatchSeqs} × {e.Job.SeqLen}, {e.Job.Precision.ToString().ToLowerInvariant()}";
}
