using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace WaferNotebooks.Interactive.Tests;

/// <summary>
/// A notebook-shaped kernel for in-process tests: a CompositeKernel with a C# kernel, the
/// extension loaded, and the Core records referenced so cells can build and read results.
/// </summary>
public abstract class NotebookKernelTests : IAsyncLifetime
{
    protected CompositeKernel Kernel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Kernel = new CompositeKernel { new CSharpKernel().UseKernelHelpers().UseValueSharing() };
        Kernel.DefaultKernelName = "csharp";
        await WaferKernelExtension.LoadAsync(Kernel);
        var loaded = await Kernel.SendAsync(new SubmitCode($"#r \"{typeof(WaferNotebooks.Core.Results.Estimate).Assembly.Location}\""));
        Assert.DoesNotContain(loaded.Events, e => e is CommandFailed);
    }

    public Task DisposeAsync()
    {
        Kernel.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Runs one cell: whether it succeeded, its failure message, the HTML it displayed, and the raw result.</summary>
    protected async Task<(bool Ok, string? Error, string Html, KernelCommandResult Result)> Submit(string code)
    {
        var result = await Kernel.SendAsync(new SubmitCode(code));
        var html = string.Join("\n", result.Events.OfType<DisplayEvent>()
            .SelectMany(e => e.FormattedValues).Where(v => v.MimeType == HtmlFormatter.MimeType).Select(v => v.Value));
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        return (failed is null, failed?.Message, html, result);
    }
}
