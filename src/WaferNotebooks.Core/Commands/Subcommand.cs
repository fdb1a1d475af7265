using WaferNotebooks.Core.Charting;
using System.Text.Json.Nodes;
using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Commands;

/// <summary>What a running subcommand may use: the catalog its ids come from, progress (0 to 1) and cancellation.</summary>
public sealed record RunContext(SimulatorCatalog Catalog, IProgress<double>? Progress = null, CancellationToken Cancellation = default);

/// <summary>
/// One subcommand as the front ends see it: its grammar entry, how its options become a request,
/// and how a request runs to a <see cref="CommandResult"/>. The list is <see cref="Subcommands.All"/>;
/// the CLI and the <c>#!wafer</c> directive register every entry of it without naming any.
/// </summary>
public interface ISubcommand
{
    SubcommandSpec Spec { get; }

    /// <summary>The checked request of one command line's options.</summary>
    CommandRequest Parse(RequestArgs args);

    /// <summary>Runs a request this subcommand parsed.</summary>
    CommandResult Execute(CommandRequest request, RunContext context);

    /// <summary>The types of the values notebook code holds (<see cref="CommandResult.Shared"/>), so a front end can show them as this subcommand does.</summary>
    IReadOnlyList<Type> SharedTypes { get; }

    /// <summary>The result again from a value notebook code holds (one of <see cref="SharedTypes"/>).</summary>
    CommandResult FromShared(object shared);
}

/// <summary>
/// The one unit of a subcommand (docs/architecture.md): its grammar entry (<see cref="Spec"/>),
/// parse, execute, and its view model (<see cref="View"/>: headline facts, tables, notes and
/// the "does not fit" state, formatted once in Core), which the terminal text and the notebook card
/// both render; its JSON (<see cref="Json"/>, the <c>--json</c> contract); and which charts draw
/// it. Adding a subcommand is one class deriving from this, in its own folder, and one line in
/// <see cref="Subcommands.All"/>.
/// </summary>
/// <typeparam name="TRequest">The parsed request.</typeparam>
/// <typeparam name="TResult">The typed result (an Estimate, a Comparison, ...), shared as it is with notebook code.</typeparam>
public abstract class Subcommand<TRequest, TResult> : ISubcommand
    where TRequest : CommandRequest
    where TResult : notnull
{
    public abstract SubcommandSpec Spec { get; }

    /// <summary>The request of one command line; every problem is a <see cref="WaferInputException"/> naming the option.</summary>
    public abstract TRequest Parse(RequestArgs args);

    public abstract TResult Run(TRequest request, RunContext context);

    /// <summary>The result for people: what the terminal prints and the notebook card shows.</summary>
    public abstract ResultView View(TResult result);

    /// <summary>The result for programs: the snake_case keys of <c>--json</c>.</summary>
    public abstract JsonNode Json(TResult result);

    /// <summary>The result's charts as HTML fragments, in order; none for a result that does not fit.</summary>
    public virtual IReadOnlyList<string> Charts(TResult result, IChartRenderer renderer, bool offline) => [];

    /// <summary>Why the result has no answer at all (the CLI then exits 3); null when it has one.</summary>
    public virtual string? DoesNotFit(TResult result) => null;

    /// <summary>Parts of the input refused while the rest ran (malformed validation rows), for stderr and exit 1.</summary>
    public virtual IReadOnlyList<string> InputErrors(TResult result) => [];

    /// <summary>The value stored for notebook code (<c>--name</c>, <c>display</c>); the result itself unless the unit wraps it.</summary>
    public virtual object Shared(TResult result) => result;

    public virtual IReadOnlyList<Type> SharedTypes => [typeof(TResult)];

    /// <summary>The inverse of <see cref="Shared"/>.</summary>
    public virtual TResult FromShared(object shared) => (TResult)shared;

    CommandRequest ISubcommand.Parse(RequestArgs args) => Parse(args);

    CommandResult ISubcommand.FromShared(object shared) => new CommandResult<TRequest, TResult>(this, FromShared(shared));

    CommandResult ISubcommand.Execute(CommandRequest request, RunContext context) =>
        new CommandResult<TRequest, TResult>(this, Run(request as TRequest
            ?? throw new ArgumentException($"{Spec.Name} cannot run a {request.GetType().Name}.", nameof(request)), context));
}
