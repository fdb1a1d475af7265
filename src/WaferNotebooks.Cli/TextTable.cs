using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli;

/// <summary>
/// A plain-text table with aligned columns: number columns right-aligned, the rest left-aligned;
/// text cells longer than <see cref="MaxCell"/> are cut with an ellipsis so long sources do not
/// wrap a terminal (bars keep their width).
/// </summary>
internal sealed class TextTable(IReadOnlyList<ViewColumn> columns)
{
    public const int MaxCell = 60;

    private readonly List<string[]> rows = [];

    public TextTable Add(IReadOnlyList<string?> cells)
    {
        rows.Add([.. cells.Select((c, i) => Cut(c ?? ValueText.Missing, i))]);
        return this;
    }

    public void Write(TextWriter output)
    {
        var widths = Enumerable.Range(0, columns.Count)
            .Select(i => rows.Select(r => i < r.Length ? r[i].Length : 0).Append(columns[i].Header.Length).Max())
            .ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", Enumerable.Range(0, columns.Count).Select(i =>
            {
                var cell = i < cells.Count ? cells[i] : "";
                return columns[i].Kind == ColumnKind.Number ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]);
            })).TrimEnd();
        output.WriteLine(Line([.. columns.Select(c => c.Header)]));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
            output.WriteLine(Line(row));
    }

    private string Cut(string s, int column) =>
        s.Length <= MaxCell || column < columns.Count && columns[column].Kind == ColumnKind.Bar ? s : s[..(MaxCell - 1)] + "…";
}
