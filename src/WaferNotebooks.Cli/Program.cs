using WaferNotebooks.Cli;

// Ctrl+C cancels the running simulation; the action then reports "cancelled".
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await WaferCli.RunAsync(args, Console.Out, Console.Error, showProgress: !Console.IsErrorRedirected, cancel.Token);
