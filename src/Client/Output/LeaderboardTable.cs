using System.Globalization;
using System.Text;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Specs;

namespace SweepRunner.Client.Output;

/// <summary>The ranking as rows of text cells, written as CSV, Markdown or a console table from one definition.</summary>
public sealed class LeaderboardTable
{
    /// <param name="parameterNames">The parameter columns: those the sweep varies (results.jsonl keeps them all).</param>
    public LeaderboardTable(IReadOnlyList<RankedTrial> ranked, MetricSpec metric, IReadOnlyList<string> parameterNames)
    {
        var testMetric = metric.Name.StartsWith("val_", StringComparison.Ordinal) ? "test_" + metric.Name[4..] : null;
        Header = ["rank", "trial", .. parameterNames, metric.Name, .. testMetric is null ? Array.Empty<string>() : [testMetric], "status", "attempts", "seconds"];
        Rows = ranked.Select(r => (IReadOnlyList<string>)
        [
            r.Rank?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.TrialId,
            .. parameterNames.Select(p => r.Parameters.GetValueOrDefault(p, "")),
            Format(r.Value),
            .. testMetric is null ? Array.Empty<string>() : [Format(r.Metrics.TryGetValue(testMetric, out var t) ? t : null)],
            r.Status.ToString().ToLowerInvariant(),
            r.Attempts.ToString(CultureInfo.InvariantCulture),
            r.Seconds.ToString("F1", CultureInfo.InvariantCulture),
        ]).ToList();
        Errors = ranked.Where(r => r.Error is not null).Select(r => (r.TrialId, r.Error!)).ToList();
    }

    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }
    /// <summary>Trials that ended with an error, listed under the table so the reason is never lost.</summary>
    public IReadOnlyList<(string TrialId, string Error)> Errors { get; }

    public static string Format(double? value) => value switch
    {
        null => "",
        var v when double.IsNaN(v.Value) => "NaN",
        var v => v.Value.ToString(Math.Abs(v.Value) >= 1000 ? "F1" : "G5", CultureInfo.InvariantCulture),
    };

    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", Header.Select(Csv)));
        foreach (var row in Rows) text.AppendLine(string.Join(",", row.Select(Csv)));
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Header) + " |");
        text.AppendLine("|" + string.Concat(Header.Select(_ => "---|")));
        foreach (var row in Rows) text.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|"))) + " |");
        if (Errors.Count > 0)
        {
            text.AppendLine();
            foreach (var (trial, error) in Errors) text.AppendLine($"- {trial}: {error.ReplaceLineEndings(" ")}");
        }
        return text.ToString();
    }

    private static string Csv(string cell) =>
        cell.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
