using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive.Commands;

namespace WaferNotebooks.Interactive;

/// <summary>
/// The words of the <c>#!wafer</c> line a directive command came from, so that the notebook
/// reads its own line with Core's <c>CommandLine</c>, as the terminal does. .NET Interactive's
/// binder drops what the directive does not declare (an unknown or repeated option reaches the
/// handler as if it were absent) and keeps no public link from a command to its line; but it
/// splits a cell into its directives in order and runs them in order, so the n-th
/// <c>#!wafer</c> command handled under a submission is its n-th <c>#!wafer</c> line.
/// </summary>
internal static class DirectiveLine
{
    private static readonly ConditionalWeakTable<SubmitCode, StrongBox<int>> Handled = new();

    /// <summary>
    /// The words after <c>#!wafer</c> of this command's line, or null when the command did not
    /// come from submitted code (sent directly as a command object).
    /// </summary>
    public static IReadOnlyList<string>? Words(KernelCommand command)
    {
        var submission = Ancestors(command).OfType<SubmitCode>().FirstOrDefault();
        if (submission is null) return null;
        int index;
        lock (Handled)
        {
            var counter = Handled.GetOrCreateValue(submission);
            index = counter.Value++;
        }
        var lines = submission.Code.Split('\n')
            .Select(line => Tokens(line.Trim()))
            .Where(tokens => tokens.Count > 0 && tokens[0] == WaferHelp.Directive)
            .ToList();
        if (index >= lines.Count)
            throw new InvalidOperationException($"The cell has {lines.Count} {WaferHelp.Directive} lines, but directive number {index + 1} ran.");
        // .NET Interactive's tokenizer may read "sweep^" as the subcommand sweep; the words are
        // read here as the terminal reads them, so such a line is refused as there.
        return lines[index].Skip(1).ToList();
    }

    private static IEnumerable<KernelCommand> Ancestors(KernelCommand command)
    {
        for (var c = command.Parent; c is not null; c = c.Parent) yield return c;
    }

    /// <summary>Whitespace-separated words; double quotes group words and are removed.</summary>
    private static List<string> Tokens(string line)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var ch in line)
        {
            if (ch == '"') { quoted = !quoted; continue; }
            if (char.IsWhiteSpace(ch) && !quoted)
            {
                if (current.Length > 0) { tokens.Add(current.ToString()); current.Clear(); }
                continue;
            }
            current.Append(ch);
        }
        if (current.Length > 0) tokens.Add(current.ToString());
        return tokens;
    }
}
