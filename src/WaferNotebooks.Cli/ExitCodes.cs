namespace WaferNotebooks.Cli;

/// <summary>
/// The exit codes of <c>wafer</c>, defined once: the code paths return these constants, and
/// <c>wafer --help</c> prints <see cref="All"/> (the README's table says the same).
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Bad input: an unknown option, id or file, a malformed value, a layout the rules refuse.</summary>
    public const int BadInput = 1;
    /// <summary><c>wafer run</c>: a notebook cell failed (the cell and its message are named).</summary>
    public const int CellFailed = 2;
    /// <summary>The simulation ran, and the job does not fit (no feasible layout, or the given one does not fit in memory).</summary>
    public const int Infeasible = 3;
    /// <summary>A bug: the message is printed, without a stack trace.</summary>
    public const int InternalError = 70;
    /// <summary>Cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>Every code with what it means, for the help text.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> All { get; } =
    [
        (Ok, "done"),
        (BadInput, "bad input (the message says what was wrong and what would be right)"),
        (CellFailed, "wafer run: a notebook cell failed"),
        (Infeasible, "the job does not fit (the message says why)"),
        (InternalError, "internal error (a bug; please report the message)"),
        (Cancelled, "cancelled (Ctrl+C)"),
    ];

    /// <summary>"Exit codes: 0 done, 1 bad input ..., 130 cancelled."</summary>
    public static string HelpText => "Exit codes: " + string.Join(", ", All.Select(c => $"{c.Code} {c.Meaning}")) + ".";
}
