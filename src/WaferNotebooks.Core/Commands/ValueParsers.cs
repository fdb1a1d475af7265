using System.Globalization;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Sweeps;

namespace WaferNotebooks.Core.Commands;

/// <summary>A global batch as the user wrote it: sequences, or tokens to divide by the sequence length.</summary>
public sealed record BatchSize(int? Sequences, double? Tokens)
{
    /// <summary>Sequences per step; a token batch is rounded to the nearest whole sequence.</summary>
    public int ToSequences(int seqLen) =>
        Sequences ?? Math.Max(1, (int)Math.Round(Tokens!.Value / seqLen, MidpointRounding.AwayFromZero));
}

/// <summary>
/// Typed parsers for option values. Each failure is a <see cref="WaferInputException"/> whose
/// message names the option, quotes the value and says what a good value looks like.
/// Numbers use the invariant culture (a dot for decimals) whatever the machine's locale.
/// </summary>
public static class ValueParsers
{
    private const NumberStyles Decimal = NumberStyles.Float;

    /// <summary>Bounds a stepped range so a typo (1..1M:1) cannot exhaust memory.</summary>
    private const int MaxCounts = 100_000;

    /// <summary>Powers of ten, as "2T tokens" is written in papers (Llama 2: 2.0T).</summary>
    private static readonly Dictionary<char, double> DecimalSuffixes = new()
    {
        ['K'] = 1e3, ['M'] = 1e6, ['B'] = 1e9, ['G'] = 1e9, ['T'] = 1e12,
    };

    /// <summary>Powers of two, as batch sizes and context lengths are quoted (Llama 2: "4M tokens" = 1024 × 4096).</summary>
    private static readonly Dictionary<char, double> BinarySuffixes = new()
    {
        ['K'] = 1024, ['M'] = 1024 * 1024,
    };

    /// <summary>A positive count with an optional K/M/B/T suffix: 2T, 1.4e12, 300B.</summary>
    /// <summary>
    /// The most training tokens a job takes: 10^16, some 250× the largest published runs (tens of
    /// trillions), so time, energy and cost stay finite and printable.
    /// </summary>
    public const double MaxTokens = 1e16;

    /// <summary>The largest global batch in sequences: 2^24, thousands of times any published batch.</summary>
    public const int MaxGlobalBatchSeqs = 1 << 24;

    public static double ParseTokenCount(string option, string text)
    {
        var value = ParseScaled(text, DecimalSuffixes)
            ?? throw Bad(option, text, "expected a number with an optional K/M/B/T suffix, e.g. 2T");
        if (!(value > 0)) throw Bad(option, text, "must be a positive number of tokens, e.g. 2T");
        return value <= MaxTokens ? value : throw Bad(option, text, "at most 10^16 tokens (10,000T)");
    }

    /// <summary>A global batch in whole sequences of <paramref name="seqLen"/> tokens, at most <see cref="MaxGlobalBatchSeqs"/>.</summary>
    public static int ParseBatchSequences(string option, string text, int seqLen)
    {
        var batch = ParseBatch(option, text);
        var sequences = batch.Sequences ?? Math.Round(batch.Tokens!.Value / seqLen, MidpointRounding.AwayFromZero);
        // Rounded to a whole sequence, a token batch below one sequence would run up to twice the tokens asked for, or (--batch 1K meant as 1,024 sequences) a tiny batch nobody asked for.
        if (batch.Tokens < seqLen)
            throw Bad(option, text, $"{batch.Tokens:N0} tokens (a K/M suffix means tokens, in powers of two) is less than one sequence of {seqLen:N0}; " +
                $"give sequences without a suffix ({batch.Tokens:0} sequences), or at least {seqLen:N0} tokens");
        if (sequences > MaxGlobalBatchSeqs)
            throw Bad(option, text, $"is {sequences:N0} sequences of {seqLen:N0} tokens; the simulator takes at most {MaxGlobalBatchSeqs:N0}");
        return batch.ToSequences(seqLen);
    }

    /// <summary>Sequences (1024) or tokens with a K/M suffix in powers of two (4M).</summary>
    public static BatchSize ParseBatch(string option, string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 0 && char.IsLetter(trimmed[^1]))
        {
            var tokens = ParseScaled(trimmed, BinarySuffixes)
                ?? throw Bad(option, text, "expected sequences (1024) or tokens with a K/M suffix (4M)");
            return tokens > 0 ? new BatchSize(null, tokens) : throw Bad(option, text, "must be positive, e.g. 1024 or 4M");
        }
        return new BatchSize(ParsePositiveInt(option, text), null);
    }

    /// <summary>A positive integer. With <paramref name="kibi"/>, K means 1024 (8K = 8192).</summary>
    public static int ParsePositiveInt(string option, string text, bool kibi = false)
    {
        var value = kibi ? ParseScaled(text, BinarySuffixes) : ParsePlain(text);
        if (value is not { } v || v != Math.Floor(v) || v > int.MaxValue)
            throw Bad(option, text, kibi ? "expected a whole number, e.g. 4096 or 8K" : "expected a whole number, e.g. 8");
        return v >= 1 ? (int)v : throw Bad(option, text, "must be a positive whole number");
    }

    /// <summary>A finite decimal number between <paramref name="minimum"/> and <paramref name="maximum"/>.</summary>
    public static double ParseNumber(string option, string text, double minimum, string example, double maximum = double.MaxValue)
    {
        var value = ParsePlain(text) ?? throw Bad(option, text, NotANumber(text, example));
        if (!(value >= minimum))
            throw Bad(option, text, minimum == 0 ? "must not be negative" : $"must be at least {minimum.ToString(CultureInfo.InvariantCulture)}");
        return value <= maximum && double.IsFinite(value)
            ? value
            : throw Bad(option, text, $"must be at most {maximum.ToString("#,0.##", CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// A whole number between <paramref name="minimum"/> and <paramref name="maximum"/>, written as
    /// <see cref="ParseNumber"/> reads it (1e3 is 1000). Steps and batches come whole: rounding 1.5
    /// to 2 would run what nobody asked for.
    /// </summary>
    public static double ParseWholeNumber(string option, string text, double minimum, string example, double maximum = double.MaxValue)
    {
        var value = ParseNumber(option, text, minimum, example, maximum);
        return value == Math.Floor(value) ? value : throw new WaferInputException($"{option} {text}: expected a whole number, e.g. {example}");
    }

    /// <summary>SYSTEM[:COUNT]: a system id and an optional positive device count.</summary>
    public static (string SystemId, int? Devices) ParseSystemTarget(string option, string text)
    {
        var trimmed = text.Trim();
        var colon = trimmed.LastIndexOf(':');
        var id = colon < 0 ? trimmed : trimmed[..colon];
        if (id.Length == 0)
            throw new WaferInputException($"{option} {text}: expected SYSTEM[:COUNT], e.g. dgx-h100:512");
        if (colon < 0)
            return (id, null);
        var countText = trimmed[(colon + 1)..];
        var count = ParseScaled(countText, DecimalSuffixes);
        if (count is not { } c || c != Math.Floor(c) || c < 1)
            throw new WaferInputException($"{option} {text}: device count must be a positive integer, e.g. {id}:512");
        if (c > int.MaxValue)
            throw new WaferInputException($"{option} {text}: the simulator takes at most {int.MaxValue:N0} devices, e.g. {id}:512");
        return (id, (int)c);
    }

    public static Precision ParsePrecision(string option, string text) =>
        ParseChoice(option, text, ["bf16", "fp16", "fp8", "fp4"]) switch
        {
            "fp16" => Precision.Fp16,
            "fp8" => Precision.Fp8,
            "fp4" => Precision.Fp4,
            _ => Precision.Bf16,
        };

    /// <summary>
    /// NAME[+compiled][@YYYY-MM]: a training framework and its software profile, today's or as of
    /// that month, under torch.compile when +compiled (<see cref="Gpu.TrainingFramework"/>). The
    /// framework also selects its fitted constants (<see cref="SimulatorCatalog.ForFramework"/>),
    /// as validation does for a row of that framework. A month before the framework's first release
    /// or after the current month (by <paramref name="clock"/>, the system's by default) is refused.
    /// </summary>
    public static (Gpu.TrainingFramework Framework, GpuSoftware Software) ParseFramework(string option, string text, TimeProvider? clock = null)
    {
        var parts = text.Split('@', 2, StringSplitOptions.TrimEntries);
        // NAME+compiled: the model ran under torch.compile, which fuses an eager stack's elementwise ops.
        const string compiledSuffix = "+compiled";
        bool compiled = parts[0].EndsWith(compiledSuffix, StringComparison.OrdinalIgnoreCase);
        string name = compiled ? parts[0][..^compiledSuffix.Length] : parts[0];
        var framework = Gpu.TrainingFramework.Find(name)
            ?? throw Bad(option, text, DidYouMean(name, Gpu.TrainingFramework.Names) + $"expected one of {string.Join(", ", Gpu.TrainingFramework.Names)}, optionally with +compiled (torch.compile) and @YYYY-MM (torchtitan+compiled, deepspeed@2022-03)");
        DateOnly? month = null;
        if (parts.Length == 2)
            month = Gpu.TrainingFramework.TryParseMonth(parts[1], out var date)
                ? date
                : throw Bad(option, text, $"the release month after @ is YYYY-MM, for example {framework.Name}@2021-04");
        // A month before the framework existed would silently cost its oldest profile.
        if (month < framework.FirstRelease)
        {
            var first = framework.FirstRelease.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            throw Bad(option, text, $"{framework.Name} was first released in {first} ({framework.FirstReleaseSource}); the earliest valid month is {framework.Name}@{first}");
        }
        // A month to come would silently cost today's stack, as if its future were known.
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var thisMonth = new DateOnly(now.Year, now.Month, 1);
        if (month > thisMonth)
        {
            var latest = thisMonth.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            throw Bad(option, text, $"{parts[1]} is after the current month, and a stack that is not yet released cannot be costed; the latest valid month is {framework.Name}@{latest} (or leave @YYYY-MM out for today's stack)");
        }
        var software = framework.SoftwareAt(month);
        return (framework, compiled ? software.WithEagerKernels(false) : software);
    }

    /// <summary>
    /// One of <paramref name="allowed"/>, case-insensitive; returns the canonical spelling. A word
    /// that is not one is refused with every allowed word and the close ones first (--objective tme: did you mean time?).
    /// </summary>
    public static string ParseChoice(string option, string text, IReadOnlyList<string> allowed) =>
        allowed.FirstOrDefault(a => string.Equals(a, text.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw Bad(option, text, DidYouMean(text, allowed) + $"expected one of {string.Join(", ", allowed)}");

    /// <summary>"did you mean X? " for the known words close to <paramref name="typed"/>, or nothing when none is (a number is no typo: zero=4 is not "3").</summary>
    internal static string DidYouMean(string typed, IEnumerable<string> known) =>
        ParsePlain(typed) is null ? CloseMatches.DidYouMean(typed, known) : "";

    /// <summary>
    /// Device counts: a list (8,16,32), a doubling range (8..4096: 8, 16, ..., 4096, ending at
    /// the upper bound even if it is not a doubling), or a stepped range (64..512:64).
    /// Counts take K = 1000. The result is sorted and distinct.
    /// </summary>
    public static IReadOnlyList<int> ParseCounts(string option, string text)
    {
        const string expected = "expected a list 8,16,32, a range 8..4096 or a stepped range 64..512:64";
        var trimmed = text.Trim();
        var dots = trimmed.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
        {
            var items = trimmed.Split(',', StringSplitOptions.TrimEntries);
            return items.Select(i => CountItem(option, text, i, expected)).Distinct().Order().ToList();
        }
        var upperAndStep = trimmed[(dots + 2)..].Split(':', 2, StringSplitOptions.TrimEntries);
        var low = CountItem(option, text, trimmed[..dots], expected);
        var high = CountItem(option, text, upperAndStep[0], expected);
        if (high < low)
            throw Bad(option, text, $"the range must rise: {low}..{high} ends below its start");
        var step = upperAndStep.Length == 2 ? CountItem(option, text, upperAndStep[1], expected) : (int?)null;
        var counts = new List<int>();
        for (long n = low; n <= high; n = step is { } s ? n + s : n * 2)
        {
            counts.Add((int)n);
            if (counts.Count > MaxCounts)
                throw Bad(option, text, $"more than {MaxCounts:N0} device counts; use a larger step");
        }
        if (counts[^1] != high)
            counts.Add(high);
        return counts;
    }

    /// <summary>
    /// KNOB=V1,V2,...: batch (sequences or tokens, as --batch; tokens become sequences at
    /// <paramref name="seqLen"/>), seq (as --seq), tokens (as --tokens), price, pue, carbon.
    /// </summary>
    public static SweepKnob ParseKnob(string option, string text, int seqLen)
    {
        var eq = text.IndexOf('=');
        var knobs = CommandGrammar.Vary.AllowedValues!;
        if (eq <= 0)
            throw Bad(option, text, $"expected KNOB=V1,V2,... with KNOB one of {string.Join(", ", knobs)}, e.g. batch=512,1024,2048");
        var knob = ParseChoice(option, text[..eq], knobs);
        var name = $"{option} {knob}";
        var values = text[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(v => knob switch
            {
                "batch" => ParseBatchSequences(name, v, seqLen),
                "seq" => ParsePositiveInt(name, v, kibi: true),
                "tokens" => ParseTokenCount(name, v),
                "pue" => ParseNumber(name, v, 1, "1.2", EconomicLimits.MaxPue),
                "price" => ParseNumber(name, v, 0, "2.5", EconomicLimits.MaxPrice),
                _ => ParseNumber(name, v, 0, "400", EconomicLimits.MaxCarbon),
            })
            // A value written twice (2K and 2048) is one point, as a count listed twice is.
            .Distinct()
            .ToList();
        var kind = knob switch
        {
            "batch" => KnobKind.GlobalBatch,
            "seq" => KnobKind.SeqLen,
            "tokens" => KnobKind.Tokens,
            "price" => KnobKind.Price,
            "pue" => KnobKind.Pue,
            _ => KnobKind.Carbon,
        };
        return new SweepKnob(kind, values);
    }

    /// <summary>A C# identifier for --name.</summary>
    public static string ParseIdentifier(string option, string text)
    {
        var t = text.Trim();
        var ok = t.Length > 0 && (char.IsLetter(t[0]) || t[0] == '_') && t.All(c => char.IsLetterOrDigit(c) || c == '_');
        return ok ? t : throw Bad(option, text, "expected a C# variable name such as run1");
    }

    /// <summary>The full path of a file that exists; relative paths start at the working directory, which the message names.</summary>
    public static string ExistingFile(string option, string path) =>
        File.Exists(path) ? Path.GetFullPath(path)
        : Directory.Exists(path) ? throw Bad(option, path, "is a folder; give a file" + FilesIn(path))
        : throw Bad(option, path, $"file not found (relative paths start at {Directory.GetCurrentDirectory()})");

    /// <summary>" in it: a.csv, b.csv, …" (the first five names), or " in it" for a folder without files.</summary>
    private static string FilesIn(string folder)
    {
        var names = Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? " (this one holds none)" : $" in it: {string.Join(", ", names.Take(5))}{(names.Count > 5 ? ", …" : "")}";
    }

    internal static WaferInputException Bad(string option, string text, string what) =>
        new($"{option} '{text}': {what}");

    private static int CountItem(string option, string text, string item, string expected)
    {
        var value = ParseScaled(item, DecimalSuffixes);
        if (value is not { } v || v != Math.Floor(v) || v > int.MaxValue)
            throw Bad(option, text, expected);
        return v >= 1 ? (int)v : throw Bad(option, text, "device counts must be positive");
    }

    /// <summary>Why a text is not a plain number: a decimal comma or a unit after the number get their own advice.</summary>
    private static string NotANumber(string text, string example)
    {
        var t = text.Trim();
        if (t.Contains(',') && ParsePlain(t.Replace(",", "")) is not null)
            return $"write numbers without commas: a dot for decimals and no thousands separator, e.g. {example}";
        // A number too large for a double (1e400) is a number, not one with a unit.
        var digits = t.TakeWhile(c => char.IsDigit(c) || c is '.' or '-' or '+').Count();
        return !double.TryParse(t, Decimal, CultureInfo.InvariantCulture, out _) && digits > 0 && digits < t.Length && ParsePlain(t[..digits]) is { } number
            ? $"give the number alone, without the unit '{t[digits..].Trim()}': {number.ToString(CultureInfo.InvariantCulture)}"
            : $"expected a number, e.g. {example}";
    }

    private static double? ParsePlain(string text) =>
        double.TryParse(text.Trim(), Decimal, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    private static double? ParseScaled(string text, Dictionary<char, double> suffixes)
    {
        var t = text.Trim();
        if (t.Length == 0)
            return null;
        var multiplier = 1.0;
        if (char.IsLetter(t[^1]) && !t.EndsWith("e", StringComparison.OrdinalIgnoreCase))
        {
            if (!suffixes.TryGetValue(char.ToUpperInvariant(t[^1]), out multiplier))
                return null;
            t = t[..^1];
        }
        return ParsePlain(t) * multiplier;
    }
}

/// <summary>
/// Upper bounds of the economic options: a PUE of 10 is far worse than any data centre measured
/// (Uptime Institute surveys: 1.1–2.5), USD 10^6 per device-hour is beyond any rental price, and
/// 10,000 g CO2/kWh is ten times coal. Beyond them a typo would print Infinity or a meaningless figure.
/// </summary>
public static class EconomicLimits
{
    public const double MaxPue = 10;
    public const double MaxPrice = 1e6;
    public const double MaxCarbon = 10_000;
    /// <summary>Interruption-model limits: a million years per device, a TB/s per device, a week to restart; beyond them the arithmetic says nothing useful.</summary>
    public const double MaxMtbfDeviceHours = 1e10;
    public const double MaxCheckpointGBps = 1_000;
    public const double MaxRestartMinutes = 10_080;
    /// <summary>Evaluation limits: an interval of 10^9 steps is no evaluation at all; 10^6 batches per evaluation is more than any held-out set.</summary>
    public const double MaxEvalIntervalSteps = 1e9;
    public const double MaxEvalIterations = 1e6;
}
