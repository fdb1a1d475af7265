using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;
using WaferNotebooks.Core.Commands;
using static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;

namespace WaferNotebooks.Interactive;

/// <summary>--help for #!wafer and each subcommand: usage, options with defaults, an example.</summary>
internal static class WaferHelp
{
    public const string Directive = "#!wafer";

    private static IHtmlContent Code(string text) => code[style: "font-family:monospace"](text);

    public static IHtmlContent Root() =>
        SummaryCard.Card($"{Directive}: {CommandGrammar.RootDescription}", $"Usage: {Directive} SUBCOMMAND [options]; {Directive} SUBCOMMAND --help for its options.",
            [Table(["subcommand", "what it does", "example"],
                CommandGrammar.Subcommands.Select(s => new IHtmlContent[] { Code(s.Name), new HtmlString(System.Net.WebUtility.HtmlEncode(s.Description)), Code($"{Directive} {s.Example}") }))],
            SummaryCard.Note("Offline charts", $"{Directive} --offline makes every later chart in this notebook inline plotly.js once instead of loading it from the internet; add --offline to one command for that cell only."),
            SummaryCard.Note("Results in code", "--name VAR stores the result as a C# variable (share it with #!share); display(result) shows the same card and charts."));

    public static IHtmlContent For(SubcommandSpec spec) =>
        SummaryCard.Card($"{Directive} {spec.Name}", spec.Description,
            [Table(["option", "value", "default", "description"],
                spec.OptionsFor(FrontEnd.NotebookOnly).Select(o => new IHtmlContent[]
                {
                    Code(o.Name + (o.Required ? " (required)" : "") + (o.Repeatable ? " (repeatable)" : "")),
                    Code(o.HelpName),
                    new HtmlString(System.Net.WebUtility.HtmlEncode(o.DefaultText ?? "")),
                    new HtmlString(System.Net.WebUtility.HtmlEncode(o.Description)),
                }))],
            SummaryCard.Note("Example", $"{Directive} {spec.Example}"));

    private static IHtmlContent Table(string[] headers, IEnumerable<IHtmlContent[]> rows) =>
        table[style: "border-collapse:collapse;margin-top:6px;font-size:13px;color:inherit"](
            thead(tr(headers.Select(h => th[style: "text-align:left;padding:3px 10px;border-bottom:" + SummaryCard.Border](h)))),
            tbody(rows.Select(r => tr(r.Select(c => td[style: "padding:3px 10px;vertical-align:top;border-bottom:" + SummaryCard.Border](c))))));
}
