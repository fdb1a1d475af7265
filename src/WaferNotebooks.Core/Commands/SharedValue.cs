namespace WaferNotebooks.Core.Commands;

/// <summary>
/// Receives the value a result shares with notebook code (<c>--name</c> stores it, <c>display</c>
/// shows it) with its static type. A generic visitor rather than a <c>Type</c> beside an
/// <c>object</c>: the front end gets the value already typed (<typeparamref name="T"/>), so storing
/// it as a C# variable or registering a formatter for it needs no cast, and a unit that shares
/// one of two types (validate: a report or a cross-validated report) says which by calling it.
/// </summary>
public interface ISharedValueVisitor<out TOut>
{
    TOut Visit<T>(T value) where T : notnull;
}

/// <summary>Receives each type a subcommand shares, with the way back from a value of it to its <see cref="CommandResult"/>.</summary>
public interface ISharedTypeVisitor
{
    void Visit<T>(Func<T, CommandResult> toResult) where T : notnull;
}
