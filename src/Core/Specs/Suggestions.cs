namespace SweepRunner.Core.Specs;

/// <summary>"Did you mean ...?" hints for misspelt keys and words.</summary>
internal static class Suggestions
{
    /// <summary>" (did you mean 'x'?)" for the closest candidate within a few edits, otherwise the list of candidates.</summary>
    public static string Hint(string given, IEnumerable<string> candidates)
    {
        var known = candidates.ToList();
        var nearest = known.Select(c => (Candidate: c, Distance: EditDistance(given.ToLowerInvariant(), c)))
                           .OrderBy(x => x.Distance).ThenBy(x => x.Candidate, StringComparer.Ordinal)
                           .FirstOrDefault();
        // A third of the word (at least 2) keeps "lr" from matching "hidden" while catching typos and swaps.
        var tolerance = Math.Max(2, given.Length / 3);
        return nearest.Candidate is not null && nearest.Distance <= tolerance
            ? $" (did you mean '{nearest.Candidate}'?)"
            : $" (known: {string.Join(", ", known)})";
    }

    /// <summary>Levenshtein distance, counting an adjacent swap as one edit.</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
