using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using WaferNotebooks.Core;

namespace WaferNotebooks.Notebooks;

/// <summary>Reads .ipynb and .dib notebooks and writes executed .ipynb files.</summary>
public static class NotebookFile
{
    public const string CSharpKernelName = "csharp";

    /// <summary>The kernels a notebook may name; only C# runs, the others are recognised so
    /// that a cell naming them fails with a clear message instead of being misread as C#.</summary>
    public static KernelInfoCollection Kernels()
    {
        var kernels = new KernelInfoCollection
        {
            new KernelInfo(CSharpKernelName, "C#", ["c#", "C#", "cs"]),
            new KernelInfo("fsharp", "F#", ["f#", "F#", "fs"]),
            new KernelInfo("pwsh", "PowerShell", ["powershell"]),
            new KernelInfo("javascript", "JavaScript", ["js"]),
            new KernelInfo("html", "HTML"),
            new KernelInfo("value", "Value"),
        };
        kernels.DefaultKernelName = CSharpKernelName;
        return kernels;
    }

    public static bool IsSupported(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".ipynb" or ".dib";

    public static async Task<InteractiveDocument> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
            throw new WaferInputException($"Notebook '{path}' does not exist.");
        if (!IsSupported(path))
            throw new WaferInputException(
                $"'{path}' is not a notebook: expected a .ipynb or .dib file.");

        await using var stream = File.OpenRead(path);
        try
        {
            return Path.GetExtension(path).Equals(".dib", StringComparison.OrdinalIgnoreCase)
                ? CodeSubmission.Read(stream, Kernels())
                : Notebook.Read(stream, Kernels());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            throw new WaferInputException($"Notebook '{path}' could not be read: {e.Message}");
        }
    }

    /// <summary>Writes the notebook as .ipynb with the kernel metadata Polyglot Notebooks
    /// writes, so VS Code and Jupyter open it with the .NET (C#) kernel whatever the source
    /// format was.</summary>
    public static async Task WriteIpynbAsync(InteractiveDocument document, string path, CancellationToken cancellationToken = default)
    {
        document.Metadata.Remove("kernelInfo");
        document.Metadata["kernelspec"] = new Dictionary<string, object>
        {
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
            ["name"] = ".net-csharp",
        };
        document.Metadata["language_info"] = new Dictionary<string, object> { ["name"] = "polyglot-notebook" };
        document.Metadata["polyglot_notebook"] = new Dictionary<string, object>
        {
            ["kernelInfo"] = new Dictionary<string, object>
            {
                ["defaultKernelName"] = CSharpKernelName,
                ["items"] = new[] { new Dictionary<string, object> { ["aliases"] = Array.Empty<string>(), ["name"] = CSharpKernelName } },
            },
        };

        var csharpOnly = new KernelInfoCollection { new KernelInfo(CSharpKernelName, "C#") };
        csharpOnly.DefaultKernelName = CSharpKernelName;
        await using var stream = File.Create(path);
        Notebook.Write(document, stream, csharpOnly);
        await stream.FlushAsync(cancellationToken);
    }
}
