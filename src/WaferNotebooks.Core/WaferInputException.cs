namespace WaferNotebooks.Core;

/// <summary>Bad user input: front ends show the message as it is, without a stack trace.</summary>
public class WaferInputException(string message) : Exception(message);
