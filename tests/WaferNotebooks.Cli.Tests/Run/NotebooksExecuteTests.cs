using System.Text.Json;
using System.Text.RegularExpressions;

namespace WaferNotebooks.Cli.Tests.Run;

/// <summary>
/// Every notebook in notebooks/ executes top to bottom through `wafer run`, first cell included,
/// and its HTML write-up reads well in a browser with the network off: every chart drawn with
/// all its traces, no column cut off, no blank-row towers, no progress bar left, no overlapping
/// labels in the comparison charts. Screenshots of every write-up are kept for CI.
/// </summary>
[Collection(WaferRunCollection.Name)]
public sealed partial class NotebooksExecuteTests
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

    /// <summary>The comparison charts, where labels of several systems meet.</summary>
    private static readonly string[] ComparisonTitles = ["Whole run per system", "Time to train vs energy"];

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
    public async Task Executes_with_no_failed_cell_and_the_write_up_reads_well_offline(string notebook)
    {
        var stem = Path.GetFileNameWithoutExtension(notebook);
        var output = RepositoryPaths.Artifacts(Path.Combine("notebooks", stem));

        var run = await WaferRun.InvokeAsync(Path.Combine(RepositoryPaths.Notebooks, notebook), "--out", output.FullName);

        Assert.True(run.ExitCode == 0, $"{run.Error}\n{run.Output}");
        Assert.DoesNotContain("FAILED", run.Output);
        var page = Path.Combine(output.FullName, stem + ".html");
        var html = await File.ReadAllTextAsync(page);
        // Each offline output carries plotly.js; the write-up keeps one copy for the page.
        Assert.Single(PlotlyBundle().Matches(html));
        AssertEveryTableRowIsShown(Path.Combine(output.FullName, stem + ".ipynb"));

        var chromium = HeadlessChromium.Find();
        var probe = await WriteUpProbe.MeasureAsync(chromium, page);

        Assert.NotEmpty(probe.Charts);
        Assert.Equal(ChartDiv().Matches(html).Count, probe.Charts.Count);
        Assert.Equal(0, probe.MissingCharts);
        Assert.All(probe.Charts, chart =>
        {
            Assert.True(chart.Declared > 0, $"'{chart.Title}' has no traces");
            Assert.True(chart.Declared == chart.Drawn, $"'{chart.Title}' drew {chart.Drawn} of {chart.Declared} traces");
        });
        Assert.All(probe.Charts.Where(c => ComparisonTitles.Any(t => c.Title.StartsWith(t, StringComparison.Ordinal))),
            chart => Assert.True(chart.Overlaps.Count == 0, $"'{chart.Title}': overlapping labels: {string.Join("; ", chart.Overlaps)}"));
        Assert.Equal(0, probe.ProgressElements);
        Assert.All(probe.Tables, table =>
        {
            Assert.False(table.Clipped, $"a column of the table '{table.FirstHeader}' is cut off");
            Assert.True(table.InCard || table.Fits, $"the table '{table.FirstHeader}' is wider than the page");
            Assert.True(table.TallestRow < 320, $"the table '{table.FirstHeader}' has a row {table.TallestRow:F0} px tall");
        });

        // Screenshots CI keeps: the whole write-up, and its first screen (the quick-start one is
        // the README's picture, docs/images/quickstart.png).
        var screenshots = RepositoryPaths.Artifacts(Path.Combine("screenshots", stem));
        foreach (var (name, height) in new[] { (stem + ".png", Math.Clamp(probe.PageHeight, 800, 16000)), (stem + "-first-screen.png", 1800) })
        {
            var screenshot = Path.Combine(screenshots.FullName, name);
            await chromium.ScreenshotAsync(page, screenshot, 1280, height);
            Assert.True(new FileInfo(screenshot).Length > 50_000, $"{name} is nearly empty");
        }
    }

    /// <summary>.NET Interactive stops table HTML at 20 rows without a word; the CSV beside it
    /// has them all, so the two must agree.</summary>
    private static void AssertEveryTableRowIsShown(string ipynb)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(ipynb));
        foreach (var output in json.RootElement.GetProperty("cells").EnumerateArray()
                     .SelectMany(c => c.TryGetProperty("outputs", out var outputs) ? outputs.EnumerateArray() : Enumerable.Empty<JsonElement>()))
        {
            if (!output.TryGetProperty("data", out var data) || !data.TryGetProperty("text/csv", out var csv) || !data.TryGetProperty("text/html", out var html))
                continue;
            var csvRows = Math.Max(0, Text(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
            var htmlRows = Math.Max(0, Regex.Matches(Text(html), "<tr>").Count - 1);
            Assert.True(csvRows == htmlRows, $"a table shows {htmlRows} of its {csvRows} rows");
        }
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? string.Concat(value.EnumerateArray().Select(l => l.GetString()))
        : value.GetString() ?? "";

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
        // The documented first cell, the same in every notebook (docs/notebooks.md).
        Assert.Equal("#r \"nuget: WaferNotebooks.Interactive, *-*\"", string.Concat(code[0].GetProperty("source").EnumerateArray().Select(l => l.GetString())));
    }

    [GeneratedRegex("class=\"wafer-chart\"")]
    private static partial Regex ChartDiv();

    [GeneratedRegex("class=\"wafer-plotly-bundle\"")]
    private static partial Regex PlotlyBundle();
}
