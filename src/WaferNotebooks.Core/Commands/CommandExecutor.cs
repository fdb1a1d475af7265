using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// Runs a <see cref="CommandRequest"/> through its subcommand's unit and returns its
/// <see cref="CommandResult"/>. Both front ends call it, so a notebook cell and a terminal give
/// the same numbers.
/// </summary>
/// <param name="catalog">The catalog for requests that carry none (those built in code rather than parsed).</param>
public sealed class CommandExecutor(SimulatorCatalog catalog)
{
    public static CommandExecutor Default => new(SimulatorCatalog.Default);

    /// <summary>Runs the request; progress goes from 0 to 1 for the long subcommands (sweep, plan, compare, validate).</summary>
    public CommandResult Execute(CommandRequest request, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var unit = Subcommands.For(CommandGrammar.Find(request.Subcommand));
        return unit.Execute(request, new RunContext(request.Catalog ?? catalog, progress, ct));
    }

    /// <summary>Runs the request off the caller's thread, so a notebook stays responsive and can cancel.</summary>
    public Task<CommandResult> ExecuteAsync(CommandRequest request, IProgress<double>? progress = null, CancellationToken ct = default) =>
        Task.Run(() => Execute(request, progress, ct), ct);
}
