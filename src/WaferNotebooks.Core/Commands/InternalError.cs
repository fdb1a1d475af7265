namespace WaferNotebooks.Core.Commands;

/// <summary>
/// How both front ends word an unexpected exception (a bug, not bad input): one line with its type
/// and message, no stack trace. The terminal prints it and exits 70; a notebook fails the cell with it
/// and folds the details below.
/// </summary>
public static class InternalError
{
    public static string Message(Exception e) => $"internal error ({e.GetType().Name}): {e.Message}";
}
