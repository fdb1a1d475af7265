using WaferNotebooks.Core.Charting;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// A subcommand's result as the front ends handle it: its one view (which the text, the card and
/// the JSON render), its charts, the value it shares with notebook code, and whether it has an
/// answer. The front ends render these without asking which subcommand ran.
/// </summary>
public abstract class CommandResult
{
    private ResultView? view;

    public abstract SubcommandSpec Spec { get; }

    /// <summary>The headline facts, tables, notes and typed record, computed once for every front end.</summary>
    public ResultView View => view ??= CreateView();

    /// <summary>The charts the result draws, in order; none for a result that does not fit.</summary>
    public abstract IReadOnlyList<ChartFigure> Figures(IChartRenderer renderer);

    /// <summary>The charts as HTML fragments, in the order of <see cref="Figures"/>.</summary>
    public IReadOnlyList<string> Charts(IChartRenderer renderer, bool offline) =>
        [.. Figures(renderer).Select(f => renderer.RenderFigure(f.PlotlyJson, offline))];

    /// <summary>Why there is no answer at all (exit 3 in a terminal); null when there is one.</summary>
    public abstract string? DoesNotFit { get; }

    /// <summary>Parts of the input refused while the rest ran (exit 1 in a terminal).</summary>
    public abstract IReadOnlyList<string> InputErrors { get; }

    /// <summary>Hands the typed value notebook code holds (an Estimate, a Comparison, ...; what <c>--name</c> stores) to <paramref name="visitor"/>.</summary>
    public abstract TOut Share<TOut>(ISharedValueVisitor<TOut> visitor);

    /// <summary>The shared value as <typeparamref name="T"/>, for code that knows which subcommand ran.</summary>
    public T Shared<T>() where T : notnull => Share(new As<T>());

    protected abstract ResultView CreateView();

    private sealed class As<TWanted> : ISharedValueVisitor<TWanted> where TWanted : notnull
    {
        public TWanted Visit<T>(T value) where T : notnull => value is TWanted wanted ? wanted
            : throw new InvalidCastException($"The result shares a {typeof(T).Name}, not a {typeof(TWanted).Name}.");
    }
}

/// <summary>The result of one <see cref="Subcommand{TRequest, TResult}"/>, with its typed <see cref="Value"/>.</summary>
public sealed class CommandResult<TRequest, TResult>(Subcommand<TRequest, TResult> unit, TResult value) : CommandResult
    where TRequest : CommandRequest
    where TResult : notnull
{
    public TResult Value { get; } = value;

    public override SubcommandSpec Spec => unit.Spec;

    public override IReadOnlyList<ChartFigure> Figures(IChartRenderer renderer) =>
        DoesNotFit is null ? unit.Figures(Value, renderer) : [];

    public override string? DoesNotFit => unit.DoesNotFit(Value);

    public override IReadOnlyList<string> InputErrors => unit.InputErrors(Value);

    public override TOut Share<TOut>(ISharedValueVisitor<TOut> visitor) => unit.Share(Value, visitor);

    protected override ResultView CreateView() => unit.View(Value);
}
