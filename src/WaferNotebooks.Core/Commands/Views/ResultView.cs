namespace WaferNotebooks.Core.Commands;

/// <summary>
/// A result computed once in Core and rendered by every front end: the terminal's text and the
/// notebook's card lay out its title, facts, tables, notes and lists; <see cref="ViewJson"/>
/// writes its <see cref="Record"/> and keyed parts as <c>--json</c>. The facts and table cells
/// are phrases over the typed numbers of the record (the same <see cref="ViewNumber"/> objects),
/// so every exporter shows the same numbers, each formatted in one place (<see cref="ValueText"/>).
/// A result that does not fit has a <see cref="DoesNotFit"/> state and no headline facts; the
/// figures of a run that cannot happen are NaN in its record, null in JSON.
/// </summary>
public sealed record ResultView(string Title, string Subtitle)
{
    public DoesNotFitView? DoesNotFit { get; init; }

    /// <summary>The result's typed values for programs, in the order JSON writes them.</summary>
    public ViewRecord Record { get; init; } = new();

    /// <summary>How the ranges of the record's numbers were found (JSON's <c>range.method</c>); null when none has one.</summary>
    public string? RangeMethod { get; init; }

    /// <summary>Headline figures: a label, the value and, where the inputs are uncertain, its range.</summary>
    public IReadOnlyList<ViewFact> Facts { get; init; } = [];

    public IReadOnlyList<ViewTable> Tables { get; init; } = [];

    /// <summary>One-line remarks ("label: text"), after the tables.</summary>
    public IReadOnlyList<ViewNote> Notes { get; init; } = [];

    /// <summary>Bulleted lists (assumptions, hints), last.</summary>
    public IReadOnlyList<ViewList> Lists { get; init; } = [];
}

/// <summary>Why a result has no answer: the reason, what overflows (when memory does) and what would make it fit.</summary>
public sealed record DoesNotFitView(string Reason, string? Overflow = null, IReadOnlyList<string>? Hints = null)
{
    /// <summary>The memory part that overflows (<c>optimizer</c>, <c>activations</c>, ...), when memory does.</summary>
    public string? OverflowingPart { get; init; }
}

/// <summary>
/// One headline figure: a label and a phrase over typed numbers (<c>$"{days} days"</c>), an
/// optional qualifier phrase; <see cref="Range"/> is the first ranged number's "low–high" in its
/// unit's format, or null.
/// </summary>
public sealed record ViewFact(string Label, ViewPhrase Value, ViewPhrase? Detail = null)
{
    public string? Range => Value.Values.OfType<ViewNumber>().Select(ValueText.Range).FirstOrDefault(r => r is not null);

    /// <summary>Every typed value the fact shows.</summary>
    public IEnumerable<ViewValue> Values => Value.Values.Concat(Detail?.Values ?? []);
}

/// <summary>How a column's cells read: words (left-aligned), numbers (right-aligned), or a text-art bar (fixed-width).</summary>
public enum ColumnKind { Text, Number, Bar }

/// <summary>A column: its header for people, and its key when the table is written to JSON (a column without one is not).</summary>
public sealed record ViewColumn(string Header, ColumnKind Kind = ColumnKind.Text, string? Key = null)
{
    /// <summary>False for a column only programs read (a source address too long for a table).</summary>
    public bool Shown { get; init; } = true;

    /// <summary>Whether a ranged number reads with its range in brackets ("52.4 (48.1–60.2)").</summary>
    public bool WithRanges { get; init; }
}

/// <summary>
/// A table of phrases; a null cell is a value that does not exist (shown as <see cref="ValueText.Missing"/>,
/// null in JSON). With a <see cref="Key"/>, JSON writes it as an array of objects, one per row, keyed by
/// the columns' keys: a cell that is one typed value is written as that value, else as its text.
/// </summary>
public sealed record ViewTable(string? Title, IReadOnlyList<ViewColumn> AllColumns, IReadOnlyList<IReadOnlyList<ViewPhrase?>> Cells, string? Key = null)
{
    private IReadOnlyList<IReadOnlyList<string?>>? rows;

    /// <summary>The columns people see.</summary>
    public IReadOnlyList<ViewColumn> Columns => [.. AllColumns.Where(c => c.Shown)];

    /// <summary>The shown cells as they read.</summary>
    public IReadOnlyList<IReadOnlyList<string?>> Rows => rows ??=
        [.. Cells.Select(r => (IReadOnlyList<string?>)[.. r.Select((c, i) => (Cell: c, Column: i < AllColumns.Count ? AllColumns[i] : null))
            .Where(c => c.Column?.Shown ?? true).Select(c => c.Cell?.CellText(c.Column?.WithRanges ?? false))])];
}

/// <summary>A remark; with a <see cref="Key"/>, JSON writes its text under it.</summary>
public sealed record ViewNote(string Label, string Text, bool Warning = false, string? Key = null)
{
    /// <summary>A warning per text, labelled "note": what an option did not do (<see cref="Results.Estimate.InputNotes"/>).</summary>
    public static IEnumerable<ViewNote> Warnings(IEnumerable<string> texts) => texts.Select(t => new ViewNote("note", t, Warning: true));
}

/// <summary>A bulleted list; with a <see cref="Key"/>, JSON writes its items under it.</summary>
public sealed record ViewList(string Title, IReadOnlyList<string> Items, string? Key = null);

/// <summary>Builds a <see cref="ViewTable"/> row by row.</summary>
public sealed class ViewTableBuilder(string? title, params ViewColumn[] columns)
{
    private readonly List<IReadOnlyList<ViewPhrase?>> rows = [];

    public ViewTableBuilder(params ViewColumn[] columns) : this(null, columns) { }

    /// <summary>The key JSON writes the table under; null keeps it for people only.</summary>
    public string? Key { get; init; }

    public ViewTableBuilder Add(params ViewPhrase?[] cells)
    {
        rows.Add(cells);
        return this;
    }

    public ViewTable Build() => new(title, columns, rows, Key);

    public static ViewColumn Text(string header, string? key = null) => new(header, ColumnKind.Text, key);

    public static ViewColumn Number(string header, string? key = null) => new(header, ColumnKind.Number, key);
}
