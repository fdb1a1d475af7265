using WaferNotebooks.Core.Charting;
using System.Text.Json.Nodes;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// A subcommand's result as the front ends handle it: its view for people, its JSON for
/// programs, its charts, and whether it has an answer. The front ends render these without
/// asking which subcommand ran.
/// </summary>
public abstract class CommandResult
{
    private ResultView? view;

    public abstract SubcommandSpec Spec { get; }

    /// <summary>The headline facts, tables and notes, formatted once for every front end.</summary>
    public ResultView View => view ??= CreateView();

    public abstract JsonNode ToJson();

    public abstract IReadOnlyList<string> Charts(IChartRenderer renderer, bool offline);

    /// <summary>Why there is no answer at all (exit 3 in a terminal); null when there is one.</summary>
    public abstract string? DoesNotFit { get; }

    /// <summary>Parts of the input refused while the rest ran (exit 1 in a terminal).</summary>
    public abstract IReadOnlyList<string> InputErrors { get; }

    /// <summary>The typed result (an Estimate, a Comparison, ...) for notebook code: <c>--name</c> stores it.</summary>
    public abstract object Shared { get; }

    protected abstract ResultView CreateView();
}

/// <summary>The result of one <see cref="Subcommand{TRequest, TResult}"/>, with its typed <see cref="Value"/>.</summary>
public sealed class CommandResult<TRequest, TResult>(Subcommand<TRequest, TResult> unit, TResult value) : CommandResult
    where TRequest : CommandRequest
    where TResult : notnull
{
    public TResult Value { get; } = value;

    public override SubcommandSpec Spec => unit.Spec;

    public override JsonNode ToJson() => unit.Json(Value);

    public override IReadOnlyList<string> Charts(IChartRenderer renderer, bool offline) =>
        DoesNotFit is null ? unit.Charts(Value, renderer, offline) : [];

    public override string? DoesNotFit => unit.DoesNotFit(Value);

    public override IReadOnlyList<string> InputErrors => unit.InputErrors(Value);

    public override object Shared => unit.Shared(Value);

    protected override ResultView CreateView() => unit.View(Value);
}
