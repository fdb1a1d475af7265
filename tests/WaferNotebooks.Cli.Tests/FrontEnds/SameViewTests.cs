using System.Net;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli.Tests.FrontEnds;

/// <summary>
/// The terminal and the notebook render one view of a result: every title, fact, range, table
/// cell, note and hint of the subcommand's <see cref="ResultView"/> appears in both, in the same words.
/// </summary>
public class SameViewTests : IAsyncLifetime
{
    /// <summary>The widest table cell a terminal shows whole (the CLI's TextTable.MaxCell).</summary>
    private const int TerminalCell = 60;

    private CompositeKernel kernel = null!;

    public async Task InitializeAsync() => kernel = await ExtensionKernel.CreateAsync();

    public Task DisposeAsync()
    {
        kernel.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string> Lines => new()
    {
        "estimate --model llama2-7b --on dgx-h100:64 --tokens 1T",
        "estimate --model llama3-405b --on dgx-h100:8 --tokens 1T --layout tp=8,zero=1",
        "compare --model llama3-405b --tokens 1T --on dgx-h100:8 --on cs-3:4",
        "sweep --model llama3-405b --on dgx-h100 --counts 8,1024 --tokens 1T",
        "plan --model llama2-7b --on dgx-h100:64 --tokens 1T --top 3",
        "timeline --model llama2-7b --on dgx-h100:64 --layout tp=8,pp=2",
        "catalog accelerators",
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public async Task Cli_text_and_notebook_card_show_the_same_view(string line)
    {
        var words = line.Split(' ');
        var parsed = CommandLine.Parse(words, FrontEnd.CliOnly);
        var view = CommandExecutor.Default.Execute(RequestParser.Default.Parse(parsed.Spec.Name, parsed.Values)).View;

        var cli = CliRunner.Run(words);
        var cell = await kernel.SendAsync(new SubmitCode("#!wafer " + line));
        Assert.DoesNotContain(cell.Events, e => e is CommandFailed);
        var html = WebUtility.HtmlDecode(cell.Events.OfType<DisplayEvent>()
            .Select(e => e.FormattedValues.FirstOrDefault(v => v.MimeType == HtmlFormatter.MimeType)?.Value ?? "")
            .Single(h => h.Contains("wafer-result")));

        foreach (var text in Texts(view))
        {
            Assert.Contains(text, html);
            // The terminal cuts long table cells with an ellipsis; their start is what it shows.
            Assert.Contains(text.Length > TerminalCell ? text[..(TerminalCell - 1)] : text, cli.Out);
        }
    }

    private static IEnumerable<string> Texts(ResultView view)
    {
        yield return view.Title;
        yield return view.Subtitle;
        if (view.DoesNotFit is { } state)
        {
            yield return state.Reason;
            if (state.Overflow is { } overflow) yield return overflow;
            foreach (var hint in state.Hints ?? []) yield return hint;
        }
        foreach (var f in view.Facts)
        {
            yield return f.Label;
            yield return f.Value;
            if (f.Range is { } range) yield return range;
            if (f.Detail is { } detail) yield return detail;
        }
        foreach (var t in view.Tables)
        {
            if (t.Title is { } title) yield return title;
            foreach (var c in t.Columns) yield return c.Header;
            foreach (var cell in t.Rows.SelectMany(r => r).OfType<string>().Where(c => c.Length > 0)) yield return cell;
        }
        foreach (var n in view.Notes)
        {
            yield return n.Label;
            yield return n.Text;
        }
        foreach (var l in view.Lists)
        {
            yield return l.Title;
            foreach (var item in l.Items) yield return item;
        }
    }
}
