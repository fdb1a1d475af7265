namespace WaferNotebooks.Cli.Tests.Run;

/// <summary>Folders of the repository the tests were built from, found at run time.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Notebooks => Path.Combine(Root, "notebooks");

    public static string Samples => Path.Combine(Root, "tests", "WaferNotebooks.Cli.Tests", "Run", "Samples");

    public static string Sample(string name) => Path.Combine(Samples, name);

    /// <summary>A fresh folder under the test output directory, kept after the run so CI
    /// can collect what was written there.</summary>
    public static DirectoryInfo Artifacts(string name)
    {
        var folder = new DirectoryInfo(Path.Combine(AppContext.BaseDirectory, "artifacts", name));
        if (folder.Exists)
            folder.Delete(recursive: true);
        folder.Create();
        return folder;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WaferNotebooks.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No WaferNotebooks.sln above {AppContext.BaseDirectory}.");
    }
}
