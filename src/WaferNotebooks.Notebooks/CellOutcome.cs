namespace WaferNotebooks.Notebooks;

public enum CellStatus
{
    Succeeded,
    Failed,
    /// <summary>Not run because an earlier cell failed.</summary>
    NotRun,
}

/// <summary>What happened to one code cell of a notebook run.</summary>
/// <param name="CellNumber">1-based position among all cells (markdown included), as an
/// editor shows it.</param>
/// <param name="CodeCellNumber">1-based position among the code cells.</param>
/// <param name="CodeCellCount">How many code cells the notebook has.</param>
/// <param name="FirstLine">The cell's first non-empty line, to recognise it by.</param>
public sealed record CellOutcome(
    int CellNumber,
    int CodeCellNumber,
    int CodeCellCount,
    string FirstLine,
    CellStatus Status,
    TimeSpan Elapsed,
    string? Error = null)
{
    /// <summary>"cell 4 (#!wafer estimate ...)": how messages name a cell.</summary>
    public string Name => $"cell {CellNumber} ({FirstLine})";
}
