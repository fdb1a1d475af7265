using System.Text.Json.Nodes;
using static WaferNotebooks.Core.Commands.CommandGrammar;
using static WaferNotebooks.Core.Commands.ValueText;

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

    public override ResultView View(CatalogListing listing)
    {
        var tables = listing.Tables();
        return new ResultView("Catalog", string.Join(", ", tables.Select(t => $"{t.Rows.Count} {t.Title.ToLowerInvariant()}")))
        {
            Tables = [.. tables.Select(t => new ViewTable($"{t.Title} ({t.Rows.Count})",
                [.. t.Columns.Select((c, i) => new ViewColumn(c.Header, t.Rows.Any(r => r[i] is double or int) && t.Rows.All(r => r[i] is null or double or int) ? ColumnKind.Number : ColumnKind.Text))],
                [.. t.Rows.Select(r => (IReadOnlyList<string?>)[.. r.Select(Cell)])]))],
        };
    }

    private static string? Cell(object? cell) => cell switch
    {
        null => null,
        double d => Num(d),
        int i => Count(i),
        _ => cell.ToString(),
    };

    public override JsonNode Json(CatalogListing listing)
    {
        var o = new JsonObject();
        foreach (var table in listing.Tables())
        {
            o[table.Title.ToLowerInvariant()] = ResultJson.Array(table.Rows, row =>
            {
                var entry = new JsonObject();
                for (var i = 0; i < table.Columns.Count; i++)
                    entry[table.Columns[i].Key] = row[i] switch
                    {
                        null => null,
                        double d => ResultJson.Number(d),
                        int n => JsonValue.Create(n),
                        var other => JsonValue.Create(other.ToString()),
                    };
                return entry;
            });
        }
        return o;
    }
}
