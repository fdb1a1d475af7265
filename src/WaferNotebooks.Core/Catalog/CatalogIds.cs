namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// Rules for catalog ids: lowercase, no spaces, and none of the characters the command line
/// uses as separators (':' in --on h100:64, ',' and '=' in inline models and layouts).
/// </summary>
internal static class CatalogIds
{
    public static string Normalize(string id) => id.Trim().ToLowerInvariant();

    public static void Check(string id, string what, string where)
    {
        if (string.IsNullOrWhiteSpace(id))
            throw new WaferInputException($"{where}: a {what} has an empty id.");
        if (id != id.ToLowerInvariant() || id.Any(c => char.IsWhiteSpace(c) || c is ':' or ',' or '='))
            throw new WaferInputException($"{where}: {what} id '{id}' must be lowercase, without spaces, ':', ',' or '=' (for example '{Suggest(id)}').");
    }

    private static string Suggest(string id) =>
        new(id.Trim().ToLowerInvariant().Select(c => char.IsWhiteSpace(c) || c is ':' or ',' or '=' ? '-' : c).ToArray());
}
