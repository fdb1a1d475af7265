namespace WaferNotebooks.Core.Commands;

/// <summary>
/// A result for people, computed once in Core and rendered by every front end (the terminal's
/// text, the notebook's card), so both show the same facts in the same words and numbers. It
/// holds strings already formatted by <see cref="ValueText"/>; a front end only lays them out.
/// A result that does not fit has a <see cref="DoesNotFit"/> state and no headline facts.
/// </summary>
public sealed record ResultView(string Title, string Subtitle)
{
    public DoesNotFitView? DoesNotFit { get; init; }

    /// <summary>Headline figures: a label, the value and, where the inputs are uncertain, its range.</summary>
    public IReadOnlyList<ViewFact> Facts { get; init; } = [];

    public IReadOnlyList<ViewTable> Tables { get; init; } = [];

    /// <summary>One-line remarks ("label: text"), after the tables.</summary>
    public IReadOnlyList<ViewNote> Notes { get; init; } = [];

    /// <summary>Bulleted lists (assumptions, hints), last.</summary>
    public IReadOnlyList<ViewList> Lists { get; init; } = [];
}

/// <summary>Why a result has no answer: the reason, what overflows (when memory does) and what would make it fit.</summary>
public sealed record DoesNotFitView(string Reason, string? Overflow = null, IReadOnlyList<string>? Hints = null);

/// <summary>One headline figure. <see cref="Range"/> is "low–high" in the value's unit, or null; <see cref="Detail"/> a short qualifier.</summary>
public sealed record ViewFact(string Label, string Value, string? Range = null, string? Detail = null);

/// <summary>How a column's cells read: words (left-aligned), numbers (right-aligned), or a text-art bar (fixed-width).</summary>
public enum ColumnKind { Text, Number, Bar }

public sealed record ViewColumn(string Header, ColumnKind Kind = ColumnKind.Text);

/// <summary>A table; a null cell is a value that does not exist (shown as <see cref="ValueText.Missing"/>).</summary>
public sealed record ViewTable(string? Title, IReadOnlyList<ViewColumn> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows);

public sealed record ViewNote(string Label, string Text, bool Warning = false);

public sealed record ViewList(string Title, IReadOnlyList<string> Items);

/// <summary>Builds a <see cref="ViewTable"/> row by row.</summary>
public sealed class ViewTableBuilder(string? title, params ViewColumn[] columns)
{
    private readonly List<IReadOnlyList<string?>> rows = [];

    public ViewTableBuilder(params ViewColumn[] columns) : this(null, columns) { }

    public ViewTableBuilder Add(params string?[] cells)
    {
        rows.Add(cells);
        return this;
    }

    public ViewTable Build() => new(title, columns, rows);

    public static ViewColumn Text(string header) => new(header);

    public static ViewColumn Number(string header) => new(header, ColumnKind.Number);
}
