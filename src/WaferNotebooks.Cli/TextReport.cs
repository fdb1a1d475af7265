using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli;

/// <summary>
/// A result's <see cref="ResultView"/> as terminal text, the same view the notebook card shows:
/// the title, the "does not fit" state, the headline facts aligned, each table, the notes and
/// the lists. It lays out what Core formatted and knows no subcommand.
/// </summary>
internal static class TextReport
{
    public static void Write(ResultView view, TextWriter o)
    {
        o.WriteLine(view.Title);
        if (view.Subtitle.Length > 0) o.WriteLine(view.Subtitle);
        if (view.DoesNotFit is { } state)
        {
            o.WriteLine();
            o.WriteLine($"does not fit: {state.Reason}");
            if (state.Overflow is { } overflow) o.WriteLine($"overflows: {overflow}");
            if (state.Hints is { Count: > 0 } hints) WriteList("to make it fit", hints, o);
        }
        if (view.Facts.Count > 0)
        {
            o.WriteLine();
            var width = view.Facts.Max(f => f.Label.Length);
            foreach (var f in view.Facts)
                o.WriteLine($"{f.Label.PadRight(width)}  {f.Value}{(f.Range is { } r ? $" ({r})" : "")}{(f.Detail is { } d ? $", {d}" : "")}");
        }
        foreach (var t in view.Tables)
        {
            o.WriteLine();
            if (t.Title is { } title) o.WriteLine(title);
            var table = new TextTable(t.Columns);
            foreach (var row in t.Rows) table.Add(row);
            table.Write(o);
        }
        if (view.Notes.Count > 0)
        {
            o.WriteLine();
            foreach (var n in view.Notes) o.WriteLine($"{n.Label}: {n.Text}");
        }
        foreach (var list in view.Lists)
        {
            o.WriteLine();
            WriteList(list.Title, list.Items, o);
        }
    }

    private static void WriteList(string title, IEnumerable<string> items, TextWriter o)
    {
        o.WriteLine(title);
        foreach (var item in items) o.WriteLine($"  - {item}");
    }
}
