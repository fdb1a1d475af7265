using Microsoft.DotNet.Interactive.Commands;

namespace WaferNotebooks.Interactive;

/// <summary>
/// Reads every value of a repeated option (compare --on A --on B) from the cell text, because
/// .NET Interactive's directive binder passes on only an option given once.
/// </summary>
internal static class DirectiveLine
{
    public static IReadOnlyList<string> Values(KernelCommand command, string subcommand, string option)
    {
        var code = Ancestors(command).OfType<SubmitCode>().FirstOrDefault()?.Code;
        if (code is null) return [];
        foreach (var line in code.Split('\n'))
        {
            var tokens = Tokens(line.Trim());
            if (tokens.Count < 2 || tokens[0] != WaferHelp.Directive || tokens[1] != subcommand) continue;
            var values = new List<string>();
            for (var i = 2; i < tokens.Count - 1; i++)
                if (tokens[i] == option) values.Add(tokens[i + 1]);
            return values;
        }
        return [];
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
