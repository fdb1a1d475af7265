namespace WaferNotebooks.Core;

/// <summary>
/// Bad user input (an unknown id, a malformed option, an impossible request). Every front end
/// shows <see cref="Exception.Message"/> as it is, without a stack trace, so the message must say
/// what was wrong and what would be right.
/// </summary>
public class WaferInputException : Exception
{
    public WaferInputException(string message) : base(message) { }

    public WaferInputException(string message, Exception inner) : base(message, inner) { }
}
