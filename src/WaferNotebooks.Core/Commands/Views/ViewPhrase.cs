using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// Words with typed values in them ("goodput {share}, {n} interruptions expected"): a fact's
/// value or detail, or a table cell. It reads by formatting each value in its unit, so the text
/// and the card print exactly the numbers the JSON exporter writes from the same values. Written
/// as an interpolated string: <c>ViewPhrase.Of($"{days} days")</c>.
/// </summary>
public sealed class ViewPhrase
{
    private readonly object[] parts;
    private string? text;

    private ViewPhrase(object[] parts) => this.parts = parts;

    /// <summary>The typed values of the phrase.</summary>
    public IEnumerable<ViewValue> Values => parts.OfType<ViewValue>();

    /// <summary>The phrase's only value when it is nothing else (a number cell), else null.</summary>
    public ViewValue? Single => parts is [ViewValue v] ? v : null;

    public static ViewPhrase Of(Builder phrase) => phrase.Build();

    /// <summary>How it reads, each value in its unit's format.</summary>
    public override string ToString() => text ??= string.Concat(parts);

    /// <summary>How it reads in a table cell; with <paramref name="withRanges"/>, a ranged number carries its range in brackets ("52.4 (48.1–60.2)").</summary>
    public string CellText(bool withRanges) => withRanges && parts.Any(p => p is ViewNumber { Range: not null })
        ? string.Concat(parts.Select(p => p is ViewNumber n ? ValueText.WithRange(n) : p.ToString()))
        : ToString();

    [return: NotNullIfNotNull(nameof(words))]
    public static implicit operator ViewPhrase?(string? words) => words is null ? null : new([words]);

    [return: NotNullIfNotNull(nameof(value))]
    public static implicit operator ViewPhrase?(ViewValue? value) => value is null ? null : new([value]);

    [return: NotNullIfNotNull(nameof(phrase))]
    public static implicit operator string?(ViewPhrase? phrase) => phrase?.ToString();

    /// <summary>Collects an interpolated string's words and values.</summary>
    [InterpolatedStringHandler]
    public readonly struct Builder
    {
        private readonly List<object> parts;

        /// <summary>The shape the compiler calls; the literal length is not needed.</summary>
        public Builder(int literalLength, int formattedCount) => parts = new(formattedCount * 2 + 1);

        public void AppendLiteral(string s)
        {
            if (s.Length > 0) parts.Add(s);
        }

        public void AppendFormatted(ViewValue? value) => parts.Add((object?)value ?? ValueText.Missing);

        public void AppendFormatted(string? s) => AppendLiteral(s ?? ValueText.Missing);

        internal ViewPhrase Build() => new([.. parts]);
    }
}
