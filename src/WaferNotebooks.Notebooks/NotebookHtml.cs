using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Markdig;
using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Formatting;
using static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;

namespace WaferNotebooks.Notebooks;

/// <summary>The self-contained HTML write-up of an executed notebook: markdown rendered,
/// code cells with their outputs. Charts are the extension's offline chart outputs: each carries
/// plotly.js (compressed), and the page keeps only the first copy, which every chart finds, so
/// the page draws without a network.</summary>
public static partial class NotebookHtml
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static string Render(NotebookRun run, string sourceName)
    {
        var outcomes = run.Cells.ToDictionary(c => c.CellNumber);
        var cells = run.Document.Elements.Select((cell, i) =>
            outcomes.TryGetValue(i + 1, out var outcome) ? CodeCell(cell, outcome) : MarkdownCell(cell));

        var page = html[lang: "en"](
            head(
                meta[charset: "utf-8"],
                meta[name: "viewport", content: "width=device-width, initial-scale=1"],
                title(Title(run.Document, sourceName)),
                style(new HtmlString(Css))),
            body(
                main(cells.ToArray()),
                Footer(run, sourceName)));

        using var writer = new StringWriter();
        writer.Write("<!DOCTYPE html>\n");
        page.WriteTo(writer, HtmlEncoder.Default);
        return WithOnePlotlyBundle(writer.ToString());
    }

    /// <summary>
    /// Lets tables wrap where a reader would: headers named after C# properties
    /// (PricePerDeviceHourUsd) between words, and comma lists without spaces (layouts such as
    /// tp=8,pp=4,dp=16) after each comma, rather than hold their column wide or break mid-word.
    /// </summary>
    private static string HeaderBreaks(string markup) =>
        Table().Replace(markup, table => HeaderText().Replace(table.Value, text =>
            CamelHump().Replace(text.Value.Replace(",", ",<wbr>", StringComparison.Ordinal), "<wbr>")));

    [GeneratedRegex("<table>.*?</table>", RegexOptions.Singleline)]
    private static partial Regex Table();

    /// <summary>The text between two tags.</summary>
    [GeneratedRegex("(?<=>)[^<>]+(?=<)")]
    private static partial Regex HeaderText();

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z][a-z])")]
    private static partial Regex CamelHump();

    /// <summary>Every offline output carries the same plotly.js; one page needs it once.</summary>
    private static string WithOnePlotlyBundle(string page)
    {
        var kept = false;
        return PlotlyBundle().Replace(page, m =>
        {
            if (kept) return "";
            kept = true;
            return m.Value;
        });
    }

    [GeneratedRegex("""<script[^>]*class="wafer-plotly-bundle"[^>]*>[^<]*</script>""")]
    private static partial Regex PlotlyBundle();

    private static IHtmlContent MarkdownCell(InteractiveDocumentElement cell) =>
        section[@class: "markdown"](new HtmlString(Markdig.Markdown.ToHtml(cell.Contents, Markdown)));

    private static IHtmlContent CodeCell(InteractiveDocumentElement cell, CellOutcome outcome)
    {
        var status = outcome.Status switch
        {
            CellStatus.Succeeded => $"[{cell.ExecutionOrder}] {outcome.Elapsed.TotalSeconds:0.00} s",
            CellStatus.Failed => $"[{cell.ExecutionOrder}] failed",
            _ => "not run (an earlier cell failed)",
        };
        return section[@class: $"cell {outcome.Status.ToString().ToLowerInvariant()}"](
            div[@class: "input"](
                span[@class: "prompt"](status),
                pre(code[@class: $"language-{cell.KernelName}"](cell.Contents))),
            div[@class: "outputs"](cell.Outputs.Select(Output).ToArray()));
    }

    private static IHtmlContent Output(InteractiveDocumentOutputElement output) => output switch
    {
        DisplayElement display => Data(display.Data),
        ReturnValueElement returned => Data(returned.Data),
        TextElement text => pre[@class: $"stream {text.Name}"](text.Text),
        ErrorElement error => div[@class: "error"](pre(error.ErrorValue)),
        _ => new HtmlString(""),
    };

    /// <summary>The richest representation a browser can show, as Jupyter picks it.</summary>
    private static IHtmlContent Data(IDictionary<string, object> data)
    {
        string? Get(string mime) => data.TryGetValue(mime, out var v) ? v?.ToString() : null;
        if (Get("text/html") is { } markup) return div[@class: "display"](new HtmlString(HeaderBreaks(markup)));
        if (Get("image/svg+xml") is { } svg) return div[@class: "display"](new HtmlString(svg));
        if (Get("image/png") is { } png) return img[src: $"data:image/png;base64,{png}", alt: "figure"];
        if (Get("text/markdown") is { } md) return div[@class: "display"](new HtmlString(Markdig.Markdown.ToHtml(md, Markdown)));
        return pre[@class: "display"](Get(PlainTextFormatter.MimeType) ?? Get("application/json") ?? "");
    }

    private static IHtmlContent Footer(NotebookRun run, string sourceName)
    {
        var failure = run.FirstFailure is { } f ? $" · {f.Name} failed" : "";
        return _.footer(
            $"{sourceName} executed by wafer run on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · "
            + $"{run.Cells.Count(c => c.Status == CellStatus.Succeeded)} of {run.Cells.Count} code cells in "
            + $"{run.Elapsed.TotalSeconds:0.0} s{failure}");
    }

    /// <summary>The notebook's first markdown heading, else its file name.</summary>
    private static string Title(InteractiveDocument document, string sourceName) =>
        document.Elements
            .Where(e => e.KernelName == "markdown")
            .SelectMany(e => e.Contents.Split('\n'))
            .Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith('#'))?.TrimStart('#').Trim()
        ?? sourceName;

    // Readable in print and on screen; outputs keep their own styles (cards, charts).
    private const string Css = """
        :root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --code: #f6f8fa; --bad: #cf222e; }
        body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
        main { max-width: 1040px; margin: 0 auto; padding: 2rem 1.25rem; }
        section { margin: 1rem 0; }
        .markdown table { border-collapse: collapse; } .markdown td, .markdown th { border: 1px solid var(--line); padding: .25rem .6rem; }
        .markdown code, .input pre { background: var(--code); border-radius: 6px; }
        .markdown code { padding: .1rem .3rem; font-size: 90%; }
        .input { position: relative; }
        .input pre { margin: 0; padding: .75rem 1rem; overflow-x: auto; border-left: 3px solid var(--line); font-size: 14px; }
        .prompt { display: block; color: var(--muted); font: 12px ui-monospace, monospace; margin-bottom: .2rem; }
        .failed .input pre { border-left-color: var(--bad); }
        .notrun { opacity: .55; }
        .outputs { margin: .5rem 0 0 0; overflow-x: auto; }
        .outputs pre { margin: .25rem 0; white-space: pre-wrap; font-size: 13px; }
        /* Tables a cell returns (ToTabularDataResource and the like): every column inside the page's
           width, long text wrapping in its cell, numbers in the same type as the text. */
        .display > table { border-collapse: collapse; max-width: 100%; margin: .25rem 0; font-size: 13px; font-variant-numeric: tabular-nums; }
        .display > table td, .display > table th { padding: 3px 10px; border-bottom: 1px solid var(--line); vertical-align: top; text-align: left; overflow-wrap: break-word; }
        .display > table thead td, .display > table th { font-weight: 600; border-bottom-color: var(--muted); overflow-wrap: normal; }
        .display > table td pre { margin: 0; padding: 0; font: inherit; white-space: nowrap; background: none; }
        .stream.stderr, .error pre { color: var(--bad); }
        .error pre { background: #ffebe9; padding: .5rem .75rem; border-radius: 6px; }
        /* A write-up is read, not explored: plotly's toolbar shows only when the pointer is on a chart. */
        .js-plotly-plot .modebar-container { visibility: hidden; }
        .js-plotly-plot:hover .modebar-container { visibility: visible; }
        footer { max-width: 1040px; margin: 0 auto 2rem; padding: 0 1.25rem; color: var(--muted); font-size: 13px; }
        """;
}
