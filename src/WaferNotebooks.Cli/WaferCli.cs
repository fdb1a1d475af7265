using System.CommandLine;
using WaferNotebooks.Core;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Validation.Calibration;

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
            await error.WriteLineAsync($"internal error ({e.GetType().Name}): {e.Message}");
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
            await output.WriteLineAsync(ResultJson.Serialize(result));
        else
            TextReport.Write(result, output);
        if ((result as ValidationReport ?? (result as CrossValidationReport)?.InSample) is { } report && MalformedRows(report) is { Count: > 0 } malformed)
        {
            // The good rows are reported; the bad ones are input errors, with their line.
            foreach (var row in malformed)
                await error.WriteLineAsync($"error: {report.Source} {row.Reason}");
            return ExitCodes.BadInput;
        }
        if (WhyInfeasible(result) is { } why)
        {
            await error.WriteLineAsync($"does not fit: {why}");
            return ExitCodes.Infeasible;
        }
        return ExitCodes.Ok;
    }

    private static List<ValidationRow> MalformedRows(ValidationReport report) =>
        report.Rows.Where(r => r.Skipped && r.Reason is { } reason && reason.Contains("malformed row", StringComparison.Ordinal)).ToList();

    /// <summary>Why the result has no feasible answer, or null when it has one.</summary>
    private static string? WhyInfeasible(object result) => result switch
    {
        Estimate { Feasible: false } e => e.Reason,
        StepTimeline { DoesNotFit: { } why } => why,
        PlanResult { Best: null } p => p.Why,
        Comparison c when c.Estimates.All(e => !e.Feasible) => "no system of the comparison can run the job",
        SweepResult s when s.Points.All(p => !p.Estimate.Feasible) => "no device count of the sweep can run the job",
        _ => null,
    };

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
