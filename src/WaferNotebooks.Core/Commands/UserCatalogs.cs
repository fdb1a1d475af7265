using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// The catalog a command runs against: a base catalog (normally the built-in one) extended by
/// the files named in <see cref="EnvironmentVariable"/>, then by each <c>--catalog</c> file, in
/// order. Later files win on a shared id (docs/catalog.md §4, §5).
/// </summary>
public static class UserCatalogs
{
    /// <summary>Catalog files for every command of a shell or a notebook session, separated by <see cref="Path.PathSeparator"/>.</summary>
    public const string EnvironmentVariable = "WAFER_CATALOG";

    /// <param name="environmentPaths">The value of <see cref="EnvironmentVariable"/>, or null when it is not set.</param>
    /// <param name="optionPaths">The <c>--catalog</c> values in the order given.</param>
    public static SimulatorCatalog Apply(SimulatorCatalog catalog, string? environmentPaths, IReadOnlyList<string> optionPaths)
    {
        var environment = (environmentPaths ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var path in environment)
            catalog = Extend(catalog, EnvironmentVariable, path);
        foreach (var path in optionPaths)
            catalog = Extend(catalog, CommandGrammar.UserCatalog.Name, path);
        return catalog;
    }

    // The catalog's own messages name the file, the entry and the rule; the prefix says where the file was given.
    private static SimulatorCatalog Extend(SimulatorCatalog catalog, string givenBy, string path)
    {
        ValueParsers.ExistingFile(givenBy, path);
        try
        {
            return catalog.ExtendFromJson(path);
        }
        catch (WaferInputException e)
        {
            throw new WaferInputException($"{givenBy}: {e.Message}", e);
        }
    }
}
