using System.Text.Json;

namespace WaferNotebooks.Cli.Tests.Run;

/// <summary>Every notebook in notebooks/ executes top to bottom through `wafer run`.</summary>
[Collection(WaferRunCollection.Name)]
public sealed class NotebooksExecuteTests
{
    private static readonly string[] Expected =
    [
        "01-quickstart.ipynb",
        "02-wafer-vs-gpu-llama2-70b.ipynb",
        "03-scaling-to-thousands.ipynb",
        "04-validation.ipynb",
        "05-design-space.ipynb",
        "06-energy-cost-carbon.ipynb",
    ];

    public static TheoryData<string> Notebooks() =>
        new(Directory.GetFiles(RepositoryPaths.Notebooks, "*.ipynb").Select(Path.GetFileName).Order()!);

    [Fact]
    public void The_notebooks_folder_holds_the_six_write_ups()
    {
        var present = Directory.GetFiles(RepositoryPaths.Notebooks, "*.ipynb").Select(f => Path.GetFileName(f)).ToHashSet();
        Assert.Subset(Expected.ToHashSet(), present);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Executes_with_no_failed_cell(string notebook)
    {
        var output = RepositoryPaths.Artifacts(Path.Combine("notebooks", Path.GetFileNameWithoutExtension(notebook)));

        var run = await WaferRun.InvokeAsync(Path.Combine(RepositoryPaths.Notebooks, notebook), "--out", output.FullName);

        Assert.True(run.ExitCode == 0, $"{run.Error}\n{run.Output}");
        Assert.DoesNotContain("FAILED", run.Output);
        Assert.True(File.Exists(Path.Combine(output.FullName, Path.ChangeExtension(notebook, ".html"))));
    }

    /// <summary>Sources are committed clean and open with the C# kernel in VS Code and Jupyter;
    /// every number a reader sees comes from running them.</summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Is_saved_without_outputs_for_the_dotnet_csharp_kernel(string notebook)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Notebooks, notebook)));
        var metadata = json.RootElement.GetProperty("metadata");
        Assert.Equal(".net-csharp", metadata.GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("csharp", metadata.GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        var code = json.RootElement.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
        Assert.NotEmpty(code);
        Assert.All(code, cell => Assert.Empty(cell.GetProperty("outputs").EnumerateArray()));
    }
}
