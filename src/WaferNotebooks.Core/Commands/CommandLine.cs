using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Commands;

/// <summary>One command line as the user typed it, split into the subcommand and its raw option values.</summary>
/// <param name="Spec">The subcommand.</param>
/// <param name="Values">Option key → every value given for it, in order (a flag has "true").</param>
/// <param name="Help">--help (or -h, -?) was among the words: show the subcommand's help instead of running it.</param>
public sealed record CommandLine(SubcommandSpec Spec, IReadOnlyDictionary<string, IReadOnlyList<string>> Values, bool Help)
{
    private static readonly string[] HelpWords = ["--help", "-h", "-?"];

    public static bool IsHelp(string word) => HelpWords.Contains(word, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The one reading of a command line for both front ends: the words after <c>wafer</c> in a
    /// terminal and after <c>#!wafer</c> in a notebook. Unknown and misspelled options (with the
    /// closest names), options of the other front end, a missing value and stray words are
    /// refused here; repeated options and the values themselves by <see cref="RequestParser"/>.
    /// A value follows its option (<c>--tokens 2T</c> or <c>--tokens=2T</c>) and may start with a
    /// single dash (<c>--price -2</c> is then refused as negative, not as an unknown option).
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> words, FrontEnd frontEnd)
    {
        if (words.Count == 0 || words[0].StartsWith('-'))
            throw new WaferInputException(
                $"Expected a subcommand first: {string.Join(", ", CommandGrammar.Subcommands.Select(s => s.Name))}; for example: {CommandGrammar.Estimate.Example}");
        var spec = CommandGrammar.Find(words[0]);
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        void Add(OptionSpec option, string value) =>
            values[option.Key] = values.TryGetValue(option.Key, out var list) ? [.. list, value] : [value];
        var help = false;
        var implicitOption = spec.Options.FirstOrDefault(o => o.Implicit);
        (OptionSpec Option, string? Value)? last = null;
        string? implicitWord = null;
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i];
            if (IsHelp(word)) { help = true; continue; }
            if (!word.StartsWith("--", StringComparison.Ordinal))
            {
                if (implicitOption is null || values.ContainsKey(implicitOption.Key))
                    throw StrayWord(spec, implicitOption, word, last, implicitWord, values);
                Add(implicitOption, word);
                (last, implicitWord) = ((implicitOption, word), word);
                continue;
            }
            var equals = word.IndexOf('=');
            var name = equals < 0 ? word : word[..equals];
            var option = spec.FindOption(name) ?? throw spec.UnknownOption(name);
            if (!option.AppliesTo(frontEnd))
                throw new WaferInputException(option.FrontEnd == FrontEnd.CliOnly
                    ? $"{option.Name} is an option of the wafer command in a terminal, not of a notebook"
                    : $"{option.Name} is an option of the notebook (#!wafer), not of the wafer command in a terminal");
            if (option.IsFlag)
            {
                if (equals >= 0)
                    throw new WaferInputException($"{option.Name} is a switch and takes no value; write {option.Name} alone");
                Add(option, "true");
                last = (option, null);
                continue;
            }
            var value = equals >= 0 ? word[(equals + 1)..]
                : i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal) ? words[++i]
                : null;
            if (string.IsNullOrEmpty(value))
                throw new WaferInputException($"{option.Name} needs a value: {option.Name} {option.HelpName}");
            // The option a bare word stands for, named after that word: the word already gave it.
            if (option == implicitOption && implicitWord is not null)
                throw SecondImplicit(spec, option, $"{option.Name} {value}", $"'{implicitWord}'", value);
            Add(option, value);
            last = (option, value);
        }
        return new CommandLine(spec, values, help);
    }

    /// <summary>
    /// A word with no option name before it that cannot be read: a second value of the option a bare
    /// word stands for (catalog systems); a known id or choice of an option not yet given (a system
    /// id without --on), which gets its option; a value after a switch; any other word, which gets
    /// the subcommand's example.
    /// </summary>
    private static WaferInputException StrayWord(SubcommandSpec spec, OptionSpec? implicitOption, string word, (OptionSpec Option, string? Value)? last, string? implicitWord,
        Dictionary<string, IReadOnlyList<string>> values)
    {
        if (implicitOption is not null && values.TryGetValue(implicitOption.Key, out var given))
            return SecondImplicit(spec, implicitOption, $"'{word}'", implicitWord is null ? $"{implicitOption.Name} {given[0]}" : $"'{implicitWord}'", word);
        var meant = spec.Options.FirstOrDefault(o => !o.IsFlag && (o.Repeatable || !values.ContainsKey(o.Key)) && IsKnownValue(o, word));
        if (meant is null && last is ({ IsFlag: true } flag, _))
            return new WaferInputException($"{flag.Name} is a switch and takes no value, so '{word}' after it is not read; write {flag.Name} alone");
        var took = last is ({ } option, { } value) ? $" ({option.Name} took '{value}')" : "";
        return new WaferInputException($"{spec.Name}: '{word}' has no option name before it{took}; " + (meant is not null
            ? $"did you mean {meant.Name} {word}?"
            : $"every value follows its option's name (quote a value that has spaces), for example: {spec.Example}"));
    }

    /// <summary>The word is one of the option's known values (a catalog id, with a device count for a system, or a fixed choice).</summary>
    private static bool IsKnownValue(OptionSpec option, string word)
    {
        var id = option.Completions == CompletionSource.SystemIds ? word.Split(':')[0] : word;
        return CommandGrammar.CompletionsFor(option).Contains(id, StringComparer.OrdinalIgnoreCase);
    }

    private static WaferInputException SecondImplicit(SubcommandSpec spec, OptionSpec option, string second, string first, string value) =>
        new($"{spec.Name}: {second} would be a second {option.Name} after {first}, and {spec.Name} takes one; " +
            $"write {spec.Name} {value} or {spec.Name} {option.Name} {value}" + (option.DefaultText is { } without ? $" (without it: {without})" : ""));
}
