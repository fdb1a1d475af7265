using WaferNotebooks.Cli;
using WaferNotebooks.Core;
using WaferNotebooks.Notebooks;

namespace WaferNotebooks.Runner;

/// <summary>Executes notebooks one after another, prints per-cell progress, writes the
/// executed .ipynb and the .html write-up of each, and returns the process exit code:
/// 0 when every cell of every notebook succeeded, <see cref="ExitCodes.BadInput"/> when a notebook
/// could not be read or the arguments were wrong, <see cref="ExitCodes.CellFailed"/> when a cell failed
/// (the first failed cell of each notebook is named).</summary>
public sealed class RunNotebooks(TextWriter output, TextWriter error)
{
    public async Task<int> RunAsync(IReadOnlyList<FileInfo> notebooks, DirectoryInfo outputDirectory, CancellationToken cancellationToken = default)
    {
        try
        {
            CheckInputs(notebooks, outputDirectory);
        }
        catch (WaferInputException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadInput;
        }

        outputDirectory.Create();
        var unreadable = new List<string>();
        var failures = new List<string>();
        foreach (var notebook in notebooks)
        {
            try
            {
                if (await RunOneAsync(notebook, outputDirectory, cancellationToken) is { } failure)
                    failures.Add(failure);
            }
            catch (WaferInputException e)
            {
                unreadable.Add(e.Message);
            }
        }

        foreach (var message in unreadable)
            await error.WriteLineAsync($"error: {message}");
        foreach (var failure in failures)
            await error.WriteLineAsync(failure);
        return unreadable.Count > 0 ? ExitCodes.BadInput : failures.Count > 0 ? ExitCodes.CellFailed : ExitCodes.Ok;
    }

    /// <summary>Runs one notebook; returns "NAME: cell N (...) failed: message", or null.</summary>
    private async Task<string?> RunOneAsync(FileInfo notebook, DirectoryInfo outputDirectory, CancellationToken cancellationToken)
    {
        var document = await NotebookFile.ReadAsync(notebook.FullName, cancellationToken);
        await output.WriteLineAsync($"{notebook.Name}");
        var run = await new NotebookRunner().RunAsync(
            document, notebook.DirectoryName, new Reporter(ReportCell), cancellationToken);

        var stem = Path.GetFileNameWithoutExtension(notebook.Name);
        var ipynb = Path.Combine(outputDirectory.FullName, stem + ".ipynb");
        var html = Path.Combine(outputDirectory.FullName, stem + ".html");
        await NotebookFile.WriteIpynbAsync(run.Document, ipynb, cancellationToken);
        await File.WriteAllTextAsync(html, NotebookHtml.Render(run, notebook.Name), cancellationToken);
        await output.WriteLineAsync($"  wrote {ipynb}");
        await output.WriteLineAsync($"  wrote {html}");

        return run.FirstFailure is { } failed
            ? $"{notebook.Name}: {failed.Name} failed: {FirstLine(failed.Error)}"
            : null;
    }

    private void ReportCell(CellOutcome cell)
    {
        var width = cell.CodeCellCount.ToString().Length;
        var counter = $"[{cell.CodeCellNumber.ToString().PadLeft(width)}/{cell.CodeCellCount}]";
        var status = cell.Status switch
        {
            CellStatus.Succeeded => $"ok {cell.Elapsed.TotalSeconds,6:0.00} s",
            CellStatus.Failed => "FAILED     ",
            _ => "not run    ",
        };
        output.WriteLine($"  {counter} {status}  {cell.Name}");
    }

    /// <summary>The message without the script's stack trace, which the .ipynb keeps.</summary>
    private static string FirstLine(string? message) =>
        message?.Split('\n', 2)[0].TrimEnd() ?? "";

    private static void CheckInputs(IReadOnlyList<FileInfo> notebooks, DirectoryInfo outputDirectory)
    {
        foreach (var notebook in notebooks)
        {
            if (!notebook.Exists)
                throw new WaferInputException($"Notebook '{notebook}' does not exist.");
            if (!NotebookFile.IsSupported(notebook.Name))
                throw new WaferInputException($"'{notebook}' is not a notebook: expected a .ipynb or .dib file.");
            var executed = Path.Combine(outputDirectory.FullName, Path.GetFileNameWithoutExtension(notebook.Name) + ".ipynb");
            if (string.Equals(Path.GetFullPath(executed), notebook.FullName, StringComparison.Ordinal))
                throw new WaferInputException(
                    $"The executed notebook would overwrite its source '{notebook}': pass --out with another folder.");
        }
        if (File.Exists(outputDirectory.FullName))
            throw new WaferInputException($"--out '{outputDirectory}' is a file; pass a folder (it is created if missing).");
        var stems = notebooks.GroupBy(n => Path.GetFileNameWithoutExtension(n.Name)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (stems.Count > 0)
            throw new WaferInputException(
                $"Two notebooks named '{stems[0]}' would write the same output files: run them with different --out folders.");
    }

    /// <summary>Reports on the caller's thread, so progress lines print in cell order
    /// (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Reporter(Action<CellOutcome> report) : IProgress<CellOutcome>
    {
        public void Report(CellOutcome value) => report(value);
    }
}
