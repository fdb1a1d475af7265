using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;
using static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;

namespace WaferNotebooks.Interactive;

/// <summary>
/// The card a result's view is laid out in, above its charts: a title, headline numbers with
/// their ranges, notes. Colours are inherited or translucent grey, so the card reads on
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
}
