using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.Formatting.TabularData;
using static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;

namespace WaferNotebooks.Interactive;

/// <summary>
/// Tables a cell makes with <c>ToTabularDataResource()</c>. .NET Interactive's own HTML stops
/// at <see cref="Formatter.ListExpansionLimit"/> rows (20) and ends with "(N more)", which
/// nothing reveals, so a notebook's extreme row can be the hidden one. Here the first rows up
/// to that limit show as before, and the rest sit behind a "N more rows" control (a
/// <c>details</c> element: no script, so it opens in VS Code and in Jupyter alike). Write-ups
/// (<c>wafer run</c> raises the limit) show every row in one table.
/// </summary>
internal static class TableHtml
{
    public static void Register() =>
        Formatter.Register<TabularDataResource>((value, context) =>
        {
            HtmlFormatter.RequireDefaultStyles(context);
            Render(value, Formatter.ListExpansionLimit).WriteTo(context.Writer, System.Text.Encodings.Web.HtmlEncoder.Default);
            return true;
        }, HtmlFormatter.MimeType);

    public static IHtmlContent Render(TabularDataResource value, int shown)
    {
        var header = thead(tr(value.Schema.Fields.Select(f => th(f.Name)).ToArray()));
        var rows = value.Data.Select(row => (IHtmlContent)tr(row.Select(cell => td(cell.Value)).ToArray())).ToList();
        shown = Math.Max(1, shown);
        if (rows.Count <= shown)
            return table(header, tbody(rows));
        // Two siblings, no wrapper: the first table is styled as any table of the output.
        return new HtmlContentBuilder()
            .AppendHtml(table(header, tbody(rows.Take(shown))))
            .AppendHtml(details(
                summary[style: "cursor:pointer;margin:4px 0"]($"{rows.Count - shown:N0} more rows (of {rows.Count:N0})"),
                table(header, tbody(rows.Skip(shown)))));
    }
}
