using SweepRunner.Core.Grains;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;

namespace SweepRunner.Core.Ranking;

/// <summary>Orders finished trials by the sweep's metric. Trials without a finite value are listed after, unranked.</summary>
public static class Leaderboard
{
    public static List<RankedTrial> Rank(IEnumerable<TrialRecord> trials, MetricSpec metric)
    {
        var finished = trials.Where(t => t.Status.IsFinal()).Select(t => ToRow(t, metric)).ToList();
        var ranked = finished.Where(r => r.Value is not null);
        ranked = metric.Goal == Goal.Minimize
            ? ranked.OrderBy(r => r.Value).ThenBy(r => r.TrialId, StringComparer.Ordinal)
            : ranked.OrderByDescending(r => r.Value).ThenBy(r => r.TrialId, StringComparer.Ordinal);
        var unranked = finished.Where(r => r.Value is null).OrderBy(r => r.TrialId, StringComparer.Ordinal);
        return ranked.Select((r, i) => r with { Rank = i + 1 }).Concat(unranked).ToList();
    }

    private static RankedTrial ToRow(TrialRecord trial, MetricSpec metric)
    {
        var metrics = trial.Outcome?.Metrics ?? [];
        double? value = trial.Status == TrialStatus.Completed
                        && metrics.TryGetValue(metric.Name, out var v) && double.IsFinite(v) ? v : null;
        return new RankedTrial
        {
            TrialId = trial.Spec.TrialId,
            Status = trial.Status,
            Value = value,
            Parameters = trial.Spec.Parameters,
            Metrics = metrics,
            Attempts = trial.Attempts,
            Seconds = trial.Outcome?.Seconds ?? 0,
            Error = trial.Outcome?.Error ?? trial.Error,
        };
    }
}
