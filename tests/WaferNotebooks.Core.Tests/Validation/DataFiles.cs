namespace WaferNotebooks.Core.Tests.ValidationTests;

/// <summary>The repository's data/validation folder, found above the test binaries.</summary>
static class DataFiles
{
    public static string Dir
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "data", "validation"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("data/validation not found above the test binaries"), "data", "validation");
        }
    }

    public static string RunsCsv => Path.Combine(Dir, "runs.csv");

    public static string MegatronBridgeCsv => Path.Combine(Dir, "megatron-bridge", "runs.csv");

    public static string VTrain(string which) => Path.Combine(Dir, "vtrain", $"ground_truth_{which}.csv");
}
