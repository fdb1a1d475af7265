using WaferNotebooks.Core.Charting;
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

    /// <summary>Each type of value notebook code holds of this subcommand (<see cref="CommandResult.Share"/>), with the way back to its result, so a front end can show a held value as this subcommand does.</summary>
    void VisitSharedTypes(ISharedTypeVisitor visitor);
}

/// <summary>
/// The one unit of a subcommand (docs/architecture.md): its grammar entry (<see cref="Spec"/>),
/// parse, execute, and its view model (<see cref="View"/>: headline facts, tables, notes and
/// the "does not fit" state and the typed record, computed once in Core), which the terminal text,
/// the notebook card and the JSON exporter (<see cref="ViewJson"/>) all render; and which charts
/// draw it (<see cref="Figures"/>). Adding a subcommand is one class deriving from this, in its own folder, and one line in
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

    /// <summary>The result's charts, in order, from the renderer's method for this kind of result; never asked of a result that does not fit.</summary>
    public virtual IReadOnlyList<ChartFigure> Figures(TResult result, IChartRenderer renderer) => [];

    /// <summary>Why the result has no answer at all (the CLI then exits 3); null when it has one.</summary>
    public virtual string? DoesNotFit(TResult result) => null;

    /// <summary>Parts of the input refused while the rest ran (malformed validation rows), for stderr and exit 1.</summary>
    public virtual IReadOnlyList<string> InputErrors(TResult result) => [];

    /// <summary>Hands the value stored for notebook code (<c>--name</c>, <c>display</c>) to the visitor; the result itself unless the unit wraps it.</summary>
    public virtual TOut Share<TOut>(TResult result, ISharedValueVisitor<TOut> visitor) => visitor.Visit(result);

    /// <summary>The types <see cref="Share"/> hands out, each with its inverse.</summary>
    public virtual void VisitSharedTypes(ISharedTypeVisitor visitor) => visitor.Visit<TResult>(Result);

    /// <summary>A result of this unit, as the front ends take it.</summary>
    protected CommandResult Result(TResult value) => new CommandResult<TRequest, TResult>(this, value);

    CommandRequest ISubcommand.Parse(RequestArgs args) => Parse(args);

    CommandResult ISubcommand.Execute(CommandRequest request, RunContext context) =>
        Result(Run(request as TRequest ?? throw new ArgumentException($"{Spec.Name} cannot run a {request.GetType().Name}.", nameof(request)), context));
}
