using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;
using WaferNotebooks.Core.Commands;
using static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;
using static WaferNotebooks.Interactive.SummaryCard;

namespace WaferNotebooks.Interactive;

/// <summary>
/// What a result looks like in a notebook: its <see cref="ResultView"/> as a card (the same view
/// the terminal prints), then its charts. Used by the #!wafer directive and by the HTML
/// formatters, so display(result) shows the same thing. It knows no subcommand.
/// </summary>
public static class ResultHtml
{
    public static IHtmlContent Render(CommandResult result, bool offline)
    {
        var renderer = ChartRendererLoader.Renderer;
        // A result that does not fit has no charts (CommandResult.Charts), so nothing draws a bar or point for it.
        var charts = result.Charts(renderer, offline);
        var body = div[@class: "wafer-result"](Card(result.View), charts.Select(c => div[@class: "wafer-chart"](new HtmlString(c))));
        // Each offline output carries plotly.js itself, so it draws after any other cell is re-run
        // or the saved notebook is reopened; charts already on the page skip unpacking it.
        return offline && charts.Count > 0 ? new HtmlString(renderer.PlotlyBundle() + body) : body;
    }

    /// <summary>The card: title, subtitle, the headline facts as stats, the "does not fit" state, tables, notes and lists.</summary>
    private static IHtmlContent Card(ResultView view)
    {
        var notes = new List<IHtmlContent>();
        if (view.DoesNotFit is { } state)
        {
            notes.Add(Note("Does not fit", state.Reason, warning: true));
            if (state.Overflow is { } overflow) notes.Add(Note("Overflows", overflow));
            if (state.Hints is { Count: > 0 } hints) notes.Add(Note("To make it fit", string.Join("; ", hints)));
        }
        notes.AddRange(view.Tables.Select(Table));
        notes.AddRange(view.Notes.Select(n => Note(n.Label, n.Text, n.Warning)));
        notes.AddRange(view.Lists.Select(l => (IHtmlContent)div[style: "margin-top:6px;font-size:13px"](b(l.Title), ul[style: "margin:2px 0 0 0;padding-left:20px"](l.Items.Select(i => li(i))))));
        return SummaryCard.Card(view.Title, view.Subtitle,
            view.Facts.Select(Fact),
            [.. notes]);
    }

    /// <summary>A headline figure as a stat: the value large, its range and qualifier small beneath.</summary>
    private static IHtmlContent Fact(ViewFact f)
    {
        var small = string.Join(", ", new[] { f.Range is { } r ? "range " + r : null, f.Detail?.ToString() }.OfType<string>());
        return Stat(f.Label, f.Value, small.Length > 0 ? small : null);
    }

    /// <summary>Sorts a table by the clicked column (numbers numerically), toggling the direction; defined once per page.</summary>
    private const string SortScript =
        "window.waferSort=window.waferSort||function(th){var t=th.closest('table'),i=Array.prototype.indexOf.call(th.parentNode.children,th)," +
        "b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=th.getAttribute('data-asc')!=='1';th.setAttribute('data-asc',asc?'1':'0');" +
        "function num(s){var n=parseFloat(s.replace(/[^0-9.eE+-]/g,''));return isNaN(n)?null:n;}" +
        "rows.sort(function(a,c){var x=a.cells[i].innerText,y=c.cells[i].innerText,nx=num(x),ny=num(y);" +
        "var r=(nx!==null&&ny!==null)?nx-ny:x.localeCompare(y);return asc?r:-r;});rows.forEach(function(r){b.appendChild(r);});};";

    /// <summary>
    /// A table whose columns sort on a click on their header. It scrolls sideways inside its card
    /// rather than squeezing columns: cells do not wrap, numbers sit right-aligned, and text longer
    /// than <see cref="MaxCellChars"/> is cut with an ellipsis, the full text in its title.
    /// </summary>
    private static IHtmlContent Table(ViewTable t)
    {
        string Style(int i) => t.Columns[i].Kind switch
        {
            ColumnKind.Number => "text-align:right;",
            ColumnKind.Bar => "text-align:left;font-family:monospace;letter-spacing:-0.05em;",
            _ => "text-align:left;",
        };
        return div[style: "overflow-x:auto;max-width:100%;margin-top:6px"](
            t.Title is { } title ? div[style: "font-size:13px;font-weight:600"](title) : new HtmlString(""),
            script(new HtmlString(SortScript)),
            table[style: "border-collapse:collapse;margin-top:6px;font-size:13px;color:inherit"](
                thead(tr(t.Columns.Select((c, i) => th[style: Style(i) + CellStyle + "cursor:pointer", onclick: "waferSort(this)", title: "sort"](c.Header)))),
                tbody(t.Rows.Select(r => tr(r.Select((c, i) => TableCell(c ?? "", Style(i))))))));
    }

    private const string CellStyle = "padding:3px 10px;vertical-align:top;white-space:nowrap;border-bottom:" + Border + ";";
    private const int MaxCellChars = 72;

    private static IHtmlContent TableCell(string text, string style) => text.Length <= MaxCellChars
        ? td[style: style + CellStyle](text)
        : td[style: style + CellStyle + "max-width:" + MaxCellChars / 2 + "em;overflow:hidden;text-overflow:ellipsis", title: text](text);
}
