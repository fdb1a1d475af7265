using WaferNotebooks.Core.Charting;
using Microsoft.AspNetCore.Html;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Interactive;

/// <summary>
/// The charts of a result as plotly.js figure JSON, and a way to draw a changed figure in a
/// notebook. Drawing goes through the same isolated renderer as the extension's own charts, so
/// it works in the dotnet-interactive tool, where calling Plotly.NET from a cell fails on the
/// tool's older FSharp.Core. Example:
/// <code>
/// var figure = System.Text.Json.Nodes.JsonNode.Parse(WaferCharts.Figures(h100)[0].PlotlyJson)!;
/// figure["layout"]!["title"]!["text"] = "Where a step of Llama-2-70B goes";
/// WaferCharts.Draw(figure.ToJsonString())
/// </code>
/// </summary>
public static class WaferCharts
{
    /// <summary>The charts <paramref name="result"/> shows (an estimate, comparison, sweep,
    /// plan, timeline or validation report: what <c>--name</c> stores), in order, as the subcommand
    /// that shares its type draws them; empty for anything else and for a result that does not fit.</summary>
    public static IReadOnlyList<ChartFigure> Figures<T>(T result) where T : notnull =>
        Subcommands.ResultOf(result ?? throw new ArgumentNullException(nameof(result)))?.Figures(ChartRendererLoader.Renderer) ?? [];

    /// <summary>Chart HTML for a figure's JSON, offline when the notebook's charts are
    /// (<c>#!wafer --offline</c> or WAFER_OFFLINE=1). A cell that returns it shows the chart.</summary>
    public static IHtmlContent Draw(string plotlyJson)
    {
        var offline = NotebookSettings.Current.Offline;
        var renderer = ChartRendererLoader.Renderer;
        var chart = renderer.RenderFigure(plotlyJson, offline);
        return new HtmlString((offline ? renderer.PlotlyBundle() : "") + $"<div class=\"wafer-chart\">{chart}</div>");
    }

    public static IHtmlContent Draw(ChartFigure figure) => Draw(figure.PlotlyJson);
}
