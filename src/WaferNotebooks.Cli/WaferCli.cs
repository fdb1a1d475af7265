using System.CommandLine;
using WaferNotebooks.Core;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli;

/// <summary>
/// The <c>wafer</c> command: the subcommands of <see cref="CommandGrammar"/>, built by
/// <see cref="GrammarCommand"/>, plus the commands of <see cref="ExtraCommands"/>. Tests call
/// <see cref="RunAsync"/> in-process with their own writers.
/// </summary>
public static class WaferCli
{
    /// <summary>Runs <c>wafer</c> with <paramref name="args"/>; results go to <paramref name="output"/>, messages to <paramref name="error"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool showProgress = false, CancellationToken ct = default)
    {
        var root = CreateRoot(output, error, showProgress);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            // The grammar's subcommands are read by Core's CommandLine, as in a notebook, so both
            // front ends refuse the same lines with the same messages; System.CommandLine keeps
            // help, completions and the commands outside the grammar.
            if (IsGrammarLine(args) && CommandLine.Parse(args, FrontEnd.CliOnly) is { Help: false } line)
                return await RunSubcommandAsync(line.Spec, line.Values, output, error, showProgress, ct);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
                return await ReportParseErrorsAsync(parse, error);
            return await parse.InvokeAsync(configuration, ct);
        }
        catch (WaferInputException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            var known = args.Length > 0 && CommandGrammar.Subcommands.Any(s => string.Equals(s.Name, args[0], StringComparison.OrdinalIgnoreCase));
            await error.WriteLineAsync($"Run '{CommandGrammar.RootName}{(known ? " " + args[0].ToLowerInvariant() : "")} --help' for usage.");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            await error.WriteLineAsync(InternalError.Message(e));
            return ExitCodes.InternalError;
        }
    }

    /// <summary>A line for the grammar: it starts with a word that is not an option nor a command outside the grammar (run).</summary>
    private static bool IsGrammarLine(string[] args) =>
        args.Length > 0 && !args[0].StartsWith('-') && !ExtraCommandNames.Contains(args[0], StringComparer.OrdinalIgnoreCase);

    private static readonly string[] ExtraCommandNames = [.. ExtraCommands(TextWriter.Null, TextWriter.Null).Select(c => c.Name)];

    /// <summary>
    /// Parse errors (an unknown option or subcommand, a missing value) as short messages and a
    /// pointer to the help of the command concerned, rather than the whole help text.
    /// </summary>
    private static async Task<int> ReportParseErrorsAsync(ParseResult parse, TextWriter error)
    {
        foreach (var e in parse.Errors)
            await error.WriteLineAsync($"error: {e.Message}");
        var command = parse.CommandResult.Command is RootCommand ? CommandGrammar.RootName : $"{CommandGrammar.RootName} {parse.CommandResult.Command.Name}";
        await error.WriteLineAsync($"Run '{command} --help' for usage.");
        return ExitCodes.BadInput;
    }

    public static RootCommand CreateRoot(TextWriter output, TextWriter error, bool showProgress = false)
    {
        var root = new RootCommand(
            $"{CommandGrammar.RootDescription}\n{ExitCodes.HelpText}");
        foreach (var spec in CommandGrammar.Subcommands)
            root.Subcommands.Add(GrammarCommand.Create(spec));
        foreach (var command in ExtraCommands(output, error))
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>
    /// Commands outside the shared grammar, which the notebook directive does not have: add one
    /// line per command here (the notebooks' `run`, for instance).
    /// </summary>
    private static IEnumerable<Command> ExtraCommands(TextWriter output, TextWriter error) => [RunCommand.Create(output, error)];

    private static async Task<int> RunSubcommandAsync(
        SubcommandSpec spec, IReadOnlyDictionary<string, IReadOnlyList<string>> values,
        TextWriter output, TextWriter error, bool showProgress, CancellationToken ct)
    {
        var request = RequestParser.Default.Parse(spec.Name, values);
        var progress = showProgress ? new ProgressLine(error) : null;
        var result = await CommandExecutor.Default.ExecuteAsync(request, progress, ct);
        progress?.Clear();
        if (request.Output.Json)
            await output.WriteLineAsync(ViewJson.Serialize(result.View));
        else
            TextReport.Write(result.View, output);
        if (result.InputErrors is { Count: > 0 } refused)
        {
            // The good parts are reported; the refused ones are input errors.
            foreach (var message in refused)
                await error.WriteLineAsync($"error: {message}");
            return ExitCodes.BadInput;
        }
        if (result.DoesNotFit is { } why)
        {
            await error.WriteLineAsync($"does not fit: {why}");
            return ExitCodes.Infeasible;
        }
        return ExitCodes.Ok;
    }

    /// <summary>Progress of long subcommands on stderr, rewritten in place; only for a terminal.</summary>
    private sealed class ProgressLine(TextWriter error) : IProgress<double>
    {
        private int lastPercent = -1;

        public void Report(double value)
        {
            var percent = (int)(value * 100);
            if (Interlocked.Exchange(ref lastPercent, percent) != percent)
                error.Write($"\r{percent,3}%");
        }

        public void Clear() => error.Write("\r    \r");
    }
}
