namespace WaferNotebooks.Cli.Tests;

/// <summary>
/// `wafer` is published Native AOT, which cannot host Roslyn: the notebook runner runs in the
/// process `wafer run` starts (wafer-run, in runner/), and nothing of it may come back into wafer.
/// </summary>
public sealed class NativeAotBoundaryTests
{
    [Fact]
    public void Wafer_references_neither_the_notebook_runner_nor_net_interactive_nor_roslyn()
    {
        var references = typeof(WaferCli).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("WaferNotebooks.Core", references);
        Assert.DoesNotContain(references, n => n.StartsWith("WaferNotebooks.Notebooks", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
            || n.StartsWith("FSharp", StringComparison.Ordinal));
    }

    [Fact]
    public void The_runner_that_wafer_run_starts_sits_in_the_runner_folder_beside_wafer()
    {
        var runner = Path.Combine(Path.GetDirectoryName(typeof(WaferCli).Assembly.Location)!, "runner");

        Assert.True(File.Exists(Path.Combine(runner, "wafer-run.dll")), $"no wafer-run.dll in {runner}");
        Assert.True(File.Exists(Path.Combine(runner, "wafer-run.runtimeconfig.json")));
        Assert.True(File.Exists(Path.Combine(runner, "WaferNotebooks.Notebooks.dll")));
    }
}
