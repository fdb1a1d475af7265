using Microsoft.DotNet.Interactive.Documents;

namespace WaferNotebooks.Notebooks;

/// <summary>An executed notebook: the document with every cell's outputs, and each code
/// cell's outcome.</summary>
public sealed record NotebookRun(
    InteractiveDocument Document,
    IReadOnlyList<CellOutcome> Cells,
    TimeSpan Elapsed)
{
    public CellOutcome? FirstFailure => Cells.FirstOrDefault(c => c.Status == CellStatus.Failed);

    public bool Succeeded => FirstFailure is null;
}
