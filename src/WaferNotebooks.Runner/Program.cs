using WaferNotebooks.Cli;
using WaferNotebooks.Runner;

// wafer-run [--out DIR] -- NOTEBOOK...: what `wafer run` passes after parsing its own command
// line (paths as the user typed them; this process runs in the user's folder).
string? outDir = null;
var notebooks = new List<FileInfo>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--")
    {
        notebooks.AddRange(args[(i + 1)..].Select(a => new FileInfo(a)));
        break;
    }
    if (args[i] == "--out" && i + 1 < args.Length)
        outDir = args[++i];
    else
    {
        Console.Error.WriteLine($"error: wafer-run does not take '{args[i]}'; it is started by 'wafer run NOTEBOOK... [--out DIR]'.");
        return ExitCodes.BadInput;
    }
}

// Ctrl+C cancels the notebook being run.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
try
{
    return await new RunNotebooks(Console.Out, Console.Error)
        .RunAsync(notebooks, new DirectoryInfo(outDir ?? Environment.CurrentDirectory), cancel.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return ExitCodes.Cancelled;
}
catch (Exception e)
{
    // As in wafer: the message, without a stack trace.
    Console.Error.WriteLine($"internal error ({e.GetType().Name}): {e.Message}");
    return ExitCodes.InternalError;
}
