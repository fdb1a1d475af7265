namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// An id that is not in the catalog. The message names the closest known ids and the command
/// that lists them all, for example
/// "Unknown model 'lama2-70b'. Did you mean: llama2-70b, llama2-13b? Run `wafer catalog models` to list all."
/// </summary>
public sealed class CatalogLookupException : WaferInputException
{
    public CatalogLookupException(string kind, string id, IReadOnlyList<string> suggestions, string listCommand)
        : base(Compose(kind, id, suggestions, listCommand))
    {
        Kind = kind;
        Id = id;
        Suggestions = suggestions;
    }

    /// <summary>What was looked up: "model", "system" or "accelerator".</summary>
    public string Kind { get; }

    /// <summary>The id as the user typed it.</summary>
    public string Id { get; }

    /// <summary>Known ids close to <see cref="Id"/>, closest first (may be empty).</summary>
    public IReadOnlyList<string> Suggestions { get; }

    /// <summary>Builds the exception with suggestions taken from <paramref name="known"/>.</summary>
    public static CatalogLookupException For(string kind, string id, IEnumerable<string> known, string listCommand) =>
        new(kind, id, CloseMatches.Find(id, known), listCommand);

    private static string Compose(string kind, string id, IReadOnlyList<string> suggestions, string listCommand)
    {
        var head = string.IsNullOrWhiteSpace(id) ? $"No {kind} id given." : $"Unknown {kind} '{id}'.";
        var hint = suggestions.Count > 0 ? $" Did you mean: {string.Join(", ", suggestions)}?" : "";
        return $"{head}{hint} Run `{listCommand}` to list all.";
    }
}
