using static WaferNotebooks.Core.Commands.CommandGrammar;

namespace WaferNotebooks.Core.Commands;

/// <summary><c>catalog</c>: the models, accelerators and systems the simulator knows, as tables with sources.</summary>
public sealed class CatalogCommand : Subcommand<CatalogRequest, CatalogListing>
{
    public static CatalogCommand Instance { get; } = new();

    public override SubcommandSpec Spec { get; } = new("catalog",
        "List the models, accelerators and systems the simulator knows, with sources.",
        "catalog systems",
        [Kind, .. SharedOptions]);

    public override CatalogRequest Parse(RequestArgs a) =>
        a.Choice(Kind) is { } kind ? new CatalogRequest([Enum.Parse<CatalogKind>(kind, true)]) : new CatalogRequest(Enum.GetValues<CatalogKind>());

    public override CatalogListing Run(CatalogRequest r, RunContext context) => new(
        r.Kinds.Contains(CatalogKind.Models) ? context.Catalog.Models : [],
        r.Kinds.Contains(CatalogKind.Accelerators) ? context.Catalog.Accelerators : [],
        r.Kinds.Contains(CatalogKind.Systems) ? context.Catalog.Systems : []);

    /// <summary>A table per kind, written to JSON under its name with the columns' snake_case keys; numbers stay numbers.</summary>
    public override ResultView View(CatalogListing listing)
    {
        var tables = listing.Tables();
        return new ResultView("Catalog", string.Join(", ", tables.Select(t => $"{t.Rows.Count} {t.Title.ToLowerInvariant()}")))
        {
            Tables = [.. tables.Select(t => new ViewTable($"{t.Title} ({t.Rows.Count})",
                [.. t.Columns.Select((c, i) => new ViewColumn(c.Header,
                    t.Rows.Any(r => r[i] is double or int) && t.Rows.All(r => r[i] is null or double or int) ? ColumnKind.Number : ColumnKind.Text, c.Key))],
                [.. t.Rows.Select(r => (IReadOnlyList<ViewPhrase?>)[.. r.Select(Cell)])],
                t.Title.ToLowerInvariant()))],
        };
    }

    private static ViewPhrase? Cell(object? cell) => cell switch
    {
        null => null,
        double d => new ViewNumber(d, ViewUnit.Plain),
        int i => (ViewValue)i,
        _ => cell.ToString(),
    };
}
