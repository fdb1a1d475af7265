using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;

namespace WaferNotebooks.Notebooks;

/// <summary>Executes a notebook's code cells top to bottom in a fresh in-process kernel and
/// records every output into the document, as Jupyter or VS Code would have.</summary>
public sealed class NotebookRunner(Func<Task<CompositeKernel>>? createKernel = null)
{
    private readonly Func<Task<CompositeKernel>> _createKernel = createKernel ?? NotebookKernel.CreateAsync;

    /// <summary>Runs the cells in order and stops at the first failed cell; the later cells
    /// are reported as not run. Relative paths in cells resolve against
    /// <paramref name="workingDirectory"/> (the notebook's folder, as in Jupyter).</summary>
    public async Task<NotebookRun> RunAsync(
        InteractiveDocument document,
        string? workingDirectory = null,
        IProgress<CellOutcome>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var total = Stopwatch.StartNew();
        var cells = document.Elements.ToList();
        var codeCells = cells.Where(IsCode).ToList();
        var outcomes = new List<CellOutcome>();
        var previousDirectory = Environment.CurrentDirectory;
        if (workingDirectory is not null)
            Environment.CurrentDirectory = workingDirectory;
        try
        {
            using var kernel = await _createKernel();
            var failed = false;
            foreach (var cell in codeCells)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var number = cells.IndexOf(cell) + 1;
                var codeNumber = outcomes.Count + 1;
                CellOutcome outcome;
                if (failed)
                {
                    outcome = new CellOutcome(number, codeNumber, codeCells.Count, FirstLine(cell), CellStatus.NotRun, TimeSpan.Zero);
                }
                else
                {
                    outcome = await RunCellAsync(kernel, cell, number, codeNumber, codeCells.Count);
                    failed = outcome.Status == CellStatus.Failed;
                }
                outcomes.Add(outcome);
                progress?.Report(outcome);
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
        }
        return new NotebookRun(document, outcomes, total.Elapsed);
    }

    private static async Task<CellOutcome> RunCellAsync(
        CompositeKernel kernel, InteractiveDocumentElement cell, int number, int codeNumber, int codeCount)
    {
        var clock = Stopwatch.StartNew();
        cell.Outputs.Clear();
        cell.ExecutionOrder = codeNumber;
        string? error;
        if (!kernel.ChildKernels.Any(k => k.Name == cell.KernelName))
        {
            error = $"this cell is in the '{cell.KernelName}' kernel; wafer run hosts only: "
                    + string.Join(", ", kernel.ChildKernels.Select(k => k.Name)) + ".";
            cell.Outputs.Add(new ErrorElement(error, "Error", []));
        }
        else
        {
            var result = await kernel.SendAsync(new SubmitCode(cell.Contents, cell.KernelName));
            error = WithFeedHint(CellOutputs.Record(result.Events, cell));
        }
        return new CellOutcome(number, codeNumber, codeCount, FirstLine(cell),
            error is null ? CellStatus.Succeeded : CellStatus.Failed, clock.Elapsed, error);
    }

    /// <summary>The extension's package is on no feed until it is published or built locally:
    /// a failed restore of it says how to build it.</summary>
    private static string? WithFeedHint(string? error) =>
        error is not null && error.Contains("WaferNotebooks.Interactive", StringComparison.OrdinalIgnoreCase)
            && (error.Contains("NU1101", StringComparison.Ordinal) || error.Contains("Unable to find package", StringComparison.OrdinalIgnoreCase))
            ? error + "\nBuild the package into the local feed first: bash build/pack-feed.sh (see docs/notebooks.md)."
            : error;

    private static bool IsCode(InteractiveDocumentElement cell) =>
        !string.Equals(cell.KernelName, "markdown", StringComparison.OrdinalIgnoreCase);

    private static string FirstLine(InteractiveDocumentElement cell)
    {
        var line = cell.Contents.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "empty cell";
        return line.Length <= 60 ? line : line[..57] + "...";
    }
}
