using System.Text.Json;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using WaferNotebooks.Notebooks;

namespace WaferNotebooks.Cli.Tests.Run;

[Collection(WaferRunCollection.Name)]
public sealed class WaferRunTests
{
    [Fact]
    public async Task Executes_every_cell_and_records_each_kind_of_output_in_the_ipynb()
    {
        var output = RepositoryPaths.Artifacts("plain-cells");

        var run = await WaferRun.InvokeAsync(RepositoryPaths.Sample("plain-cells.ipynb"), "--out", output.FullName);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains("[1/3] ok", run.Output);
        Assert.Contains("[3/3] ok", run.Output);
        var executed = ReadIpynb(Path.Combine(output.FullName, "plain-cells.ipynb"));
        var code = executed.Elements.Where(e => e.KernelName == "csharp").ToList();
        Assert.Equal([1, 2, 3], code.Select(c => c.ExecutionOrder));
        Assert.Contains(code[0].Outputs.OfType<TextElement>(), t => t.Name == "stdout" && t.Text.Contains("hello from stdout"));
        Assert.Contains(code[0].Outputs.OfType<TextElement>(), t => t.Name == "stderr" && t.Text.Contains("a warning on stderr"));
        Assert.Contains("<pre>30</pre>", Text(Assert.Single(code[1].Outputs.OfType<DisplayElement>()).Data["text/html"]));
        Assert.Contains("<pre>40</pre>", Text(Assert.Single(code[2].Outputs.OfType<ReturnValueElement>()).Data["text/html"]));
    }

    [Fact]
    public async Task The_executed_ipynb_names_the_dotnet_csharp_kernel_as_polyglot_notebooks_does()
    {
        var output = RepositoryPaths.Artifacts("dib");

        var run = await WaferRun.InvokeAsync(RepositoryPaths.Sample("plain-cells.dib"), "--out", output.FullName);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output.FullName, "plain-cells.ipynb")));
        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("nbformat").GetInt32());
        Assert.Equal(".net-csharp", root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("csharp", root.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        var cell = root.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("cell_type").GetString() == "code");
        var result = Assert.Single(cell.GetProperty("outputs").EnumerateArray());
        Assert.Equal("execute_result", result.GetProperty("output_type").GetString());
        Assert.Equal("DIB", string.Concat(result.GetProperty("data").GetProperty("text/plain").EnumerateArray().Select(l => l.GetString())));
    }

    [Fact]
    public async Task The_html_write_up_renders_markdown_code_and_outputs_in_document_order()
    {
        var output = RepositoryPaths.Artifacts("plain-cells-html");

        await WaferRun.InvokeAsync(RepositoryPaths.Sample("plain-cells.ipynb"), "--out", output.FullName);

        var html = File.ReadAllText(Path.Combine(output.FullName, "plain-cells.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>Plain cells</title>", html);
        Assert.Contains("<strong>every kind</strong>", html);
        Assert.Contains("<table>", html);
        Assert.Contains("Console.WriteLine(&quot;hello from stdout&quot;);", html);
        var order = new[] { "<h1", "hello from stdout", "<pre>30</pre>", "<pre>40</pre>", "3 of 3 code cells" }
            .Select(s => html.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public async Task A_failed_cell_is_named_the_run_exits_non_zero_and_later_cells_do_not_run()
    {
        var output = RepositoryPaths.Artifacts("fails");

        var run = await WaferRun.InvokeAsync(RepositoryPaths.Sample("fails-in-second-cell.ipynb"), "--out", output.FullName);

        Assert.Equal(ExitCodes.CellFailed, run.ExitCode);
        Assert.Contains("fails-in-second-cell.ipynb: cell 2 (throw new InvalidOperationException", run.Error);
        Assert.Contains("the second cell breaks", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.Contains("[3/3] not run", run.Output);
        var executed = ReadIpynb(Path.Combine(output.FullName, "fails-in-second-cell.ipynb"));
        var error = Assert.Single(executed.Elements[1].Outputs.OfType<ErrorElement>());
        Assert.Contains("the second cell breaks", error.ErrorValue);
        Assert.Empty(executed.Elements[2].Outputs);
        Assert.Contains("not run", File.ReadAllText(Path.Combine(output.FullName, "fails-in-second-cell.html")));
    }

    [Fact]
    public async Task Every_notebook_runs_even_after_one_fails_and_each_failure_is_reported()
    {
        var output = RepositoryPaths.Artifacts("several");

        var run = await WaferRun.InvokeAsync(
            RepositoryPaths.Sample("fails-in-second-cell.ipynb"), RepositoryPaths.Sample("plain-cells.ipynb"), "--out", output.FullName);

        Assert.Equal(ExitCodes.CellFailed, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(output.FullName, "plain-cells.html")));
        Assert.DoesNotContain("plain-cells.ipynb:", run.Error);
    }

    [Fact]
    public async Task Nuget_references_resolve_in_the_headless_kernel()
    {
        var executed = await RunSucceedingSampleAsync("nuget-reference.ipynb");

        var result = Assert.Single(executed.Elements[1].Outputs.OfType<ReturnValueElement>());
        Assert.Equal("wafer scale engine", Text(result.Data["text/plain"]));
    }

    /// <summary>The first cell runs: the package is restored from the local feed and its
    /// extension loaded, as in VS Code or Jupyter; it is no longer skipped.</summary>
    [Fact]
    public async Task The_first_cell_loads_the_extension_from_its_package_and_cells_see_the_simulator()
    {
        var executed = await RunSucceedingSampleAsync("hosted-extension.ipynb");

        Assert.Equal("#r \"nuget: WaferNotebooks.Interactive, *-*\"", executed.Elements[0].Contents);
        var loaded = string.Concat(executed.Elements[0].Outputs.OfType<DisplayElement>().Select(d => d.Data.TryGetValue("text/html", out var h) ? Text(h) : ""));
        Assert.Contains("#!wafer", loaded);
        var layers = Assert.Single(executed.Elements[1].Outputs.OfType<ReturnValueElement>());
        Assert.Contains("<pre>80</pre>", Text(layers.Data["text/html"]));
        var estimate = string.Concat(executed.Elements[2].Outputs.OfType<DisplayElement>().Select(d => d.Data.TryGetValue("text/html", out var h) ? Text(h) : ""));
        Assert.Contains("Plotly.newPlot", estimate);
        Assert.Contains("class=\"wafer-plotly-bundle\"", estimate);
        Assert.DoesNotContain("<progress", estimate);
    }

    [Fact]
    public async Task A_cell_in_a_kernel_the_host_lacks_fails_saying_which_kernels_it_has()
    {
        var run = await WaferRun.InvokeAsync(RepositoryPaths.Sample("fsharp-cell.ipynb"), "--out", RepositoryPaths.Artifacts("fsharp").FullName);

        Assert.Equal(ExitCodes.CellFailed, run.ExitCode);
        Assert.Contains("cell 1 (printfn \"F#\") failed: this cell is in the 'fsharp' kernel; wafer run hosts only: csharp", run.Error);
    }

    [Theory]
    [InlineData("no-such-notebook.ipynb", "does not exist")]
    [InlineData("../WaferRunTests.cs", "is not a notebook: expected a .ipynb or .dib file")]
    public async Task Bad_input_exits_with_the_bad_input_code_and_a_message_without_stack_trace(string notebook, string message)
    {
        var run = await WaferRun.InvokeAsync(RepositoryPaths.Sample(notebook), "--out", RepositoryPaths.Artifacts("bad").FullName);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task An_unreadable_notebook_is_reported_and_the_others_still_run()
    {
        var output = RepositoryPaths.Artifacts("unreadable");
        var broken = Path.Combine(output.FullName, "broken.ipynb");
        await File.WriteAllTextAsync(broken, "{ this is not json");

        var run = await WaferRun.InvokeAsync(broken, RepositoryPaths.Sample("plain-cells.ipynb"), "--out", Path.Combine(output.FullName, "out"));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("broken.ipynb' could not be read", run.Error);
        Assert.True(File.Exists(Path.Combine(output.FullName, "out", "plain-cells.html")));
    }

    [Fact]
    public async Task Refuses_to_overwrite_the_source_notebook()
    {
        var run = await WaferRun.InvokeAsync(RepositoryPaths.Sample("plain-cells.ipynb"), "--out", RepositoryPaths.Samples);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("would overwrite its source", run.Error);
    }

    private static async Task<InteractiveDocument> RunSucceedingSampleAsync(string sample)
    {
        var output = RepositoryPaths.Artifacts(Path.GetFileNameWithoutExtension(sample));
        var run = await WaferRun.InvokeAsync(RepositoryPaths.Sample(sample), "--out", output.FullName);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return ReadIpynb(Path.Combine(output.FullName, sample));
    }

    /// <summary>A display value as read back from .ipynb: a string or its lines.</summary>
    private static string Text(object value) => value switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.Array } lines => string.Concat(lines.EnumerateArray().Select(l => l.GetString())),
        JsonElement text => text.GetString() ?? "",
        IEnumerable<object> lines => string.Concat(lines),
        _ => throw new InvalidOperationException($"Unexpected display value {value.GetType()}"),
    };

    private static InteractiveDocument ReadIpynb(string path)
    {
        using var stream = File.OpenRead(path);
        return Notebook.Read(stream, NotebookFile.Kernels());
    }
}
