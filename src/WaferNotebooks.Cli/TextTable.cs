namespace WaferNotebooks.Cli;

/// <summary>
/// A plain-text table with aligned columns: cells that look numeric are right-aligned, the rest
/// left-aligned; cells longer than <see cref="MaxCell"/> are cut with an ellipsis so long
/// sources do not wrap a terminal.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    public const int MaxCell = 60;

    private readonly List<string[]> rows = [];

    public TextTable Add(params string?[] cells)
    {
        rows.Add(cells.Select(c => Cut(c ?? Units.Missing)).ToArray());
        return this;
    }

    public void Write(TextWriter output, string indent = "")
    {
        var columns = headers.Length;
        var widths = Enumerable.Range(0, columns)
            .Select(i => rows.Select(r => i < r.Length ? r[i].Length : 0).Append(headers[i].Length).Max())
            .ToArray();
        var numeric = Enumerable.Range(0, columns)
            .Select(i => rows.Count > 0 && rows.All(r => i >= r.Length || LooksNumeric(r[i])))
            .ToArray();
        string Line(IReadOnlyList<string> cells) =>
            indent + string.Join("  ", Enumerable.Range(0, columns).Select(i =>
            {
                var cell = i < cells.Count ? cells[i] : "";
                return numeric[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]);
            })).TrimEnd();
        output.WriteLine(Line(headers));
        output.WriteLine(indent + string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
            output.WriteLine(Line(row));
    }

    private static string Cut(string s) => s.Length <= MaxCell ? s : s[..(MaxCell - 1)] + "…";

    /// <summary>Starts like a number ("1,024", "41.2%", "$2.4M", "9.1 (6.8–13.4)") or is the missing mark.</summary>
    private static bool LooksNumeric(string s) =>
        s == Units.Missing || s.Length > 0 && (char.IsDigit(s[0]) || s[0] is '$' or '-' or '+' && s.Length > 1 && char.IsDigit(s[1]));
}
