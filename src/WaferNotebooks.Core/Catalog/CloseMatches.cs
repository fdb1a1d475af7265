namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// Finds known names close to a mistyped one: by edit distance (typos), by prefix ("llama3"
/// finds "llama3-8b") and by substring ("405b" finds "llama3-405b"). Used for every
/// "did you mean" message.
/// </summary>
public static class CloseMatches
{
    /// <summary>
    /// Up to <paramref name="max"/> known names close to <paramref name="typed"/>, closest first.
    /// <paramref name="minBudget"/> is the typo budget of short names.
    /// </summary>
    public static IReadOnlyList<string> Find(string typed, IEnumerable<string> known, int max = 5, int minBudget = 2)
    {
        var t = typed.Trim().ToLowerInvariant();
        if (t.Length == 0) return [];
        // A typo budget that grows with the length: 2 edits for short ids, about a third for long ones.
        var budget = Math.Max(minBudget, t.Length / 3);
        return known
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(k => (Name: k, Score: Score(t, k.ToLowerInvariant(), budget)))
            .Where(x => x.Score is not null)
            .OrderBy(x => x.Score)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.Name)
            .ToList();
    }

    /// <summary>
    /// "did you mean X or Y? " for the (up to two) known names close to <paramref name="typed"/>, or
    /// nothing when none is: the hint every refusal of a mistyped word gives. Each name is shown
    /// after <paramref name="prefix"/> ("--" for option names).
    /// </summary>
    public static string DidYouMean(string typed, IEnumerable<string> known, string prefix = "") =>
        Find(typed, known, max: 2, minBudget: 1) is { Count: > 0 } close ? $"did you mean {string.Join(" or ", close.Select(c => prefix + c))}? " : "";

    // Lower is closer; null = not close. Edit distance dominates; prefix and substring matches
    // rank after one-edit typos but before distant ones.
    private static double? Score(string typed, string known, int budget)
    {
        var d = Levenshtein(typed, known);
        if (d <= budget) return d;
        if (known.StartsWith(typed, StringComparison.Ordinal) || typed.StartsWith(known, StringComparison.Ordinal))
            return budget + 0.5;
        if (typed.Length >= 2 && known.Contains(typed, StringComparison.Ordinal)) return budget + 0.75;
        return null;
    }

    /// <summary>Levenshtein distance (insert, delete, substitute each cost 1).</summary>
    public static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                cur[j] = Math.Min(sub, Math.Min(prev[j] + 1, cur[j - 1] + 1));
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
