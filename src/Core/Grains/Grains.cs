using Orleans.Concurrency;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;

namespace SweepRunner.Core.Grains;

/// <summary>One per sweep (key: sweep id). Plans the trials, dispatches them, collects and ranks their results.</summary>
/// <remarks>
/// The read-only queries interleave with everything else, so a coordinator waiting on a slow silo (one that has
/// just died, before membership says so) still answers clients at once.
/// </remarks>
public interface ISweepCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Starts the sweep; a second call with the same spec is a no-op that returns the status.</summary>
    Task<SweepStatus> Start(SweepSpec spec, string specYaml);
    [AlwaysInterleave]
    Task<SweepStatus> GetStatus();
    /// <summary>The spec the sweep was started with, and its YAML text; null if it was never started.</summary>
    [AlwaysInterleave]
    Task<StartedSpec?> GetSpec();
    /// <summary>Finished trials with <see cref="TrialRecord.FinishOrder"/> greater than <paramref name="after"/>.</summary>
    [AlwaysInterleave]
    Task<List<TrialRecord>> GetFinished(int after);
    [AlwaysInterleave]
    Task<List<TrialRecord>> GetTrials();
    [AlwaysInterleave]
    Task<List<RankedTrial>> GetLeaderboard();
    /// <summary>Called by a trial after each epoch; the answer may stop it early.</summary>
    Task<TrialDirective> ReportEpoch(string trialId, int attempt, EpochReport report);
    Task ReportFinished(string trialId, int attempt, TrialOutcome outcome);
    Task Cancel();
}

/// <summary>How trial grains are keyed, for the coordinator that runs them and the clients that fetch their figures.</summary>
public static class TrialGrainKey
{
    public static string Of(string sweepId, string trialId) => $"{sweepId}/{trialId}";
}

/// <summary>One per trial (key: <see cref="TrialGrainKey.Of"/>). Trains one configuration off Orleans' scheduler.</summary>
public interface ITrialGrain : IGrainWithStringKey
{
    /// <summary>Accepts the trial and returns; training goes on in the background and reports to the coordinator.</summary>
    Task Run(TrialAssignment assignment);
    Task Stop();
    /// <summary>The figures of the trial's completed attempt (empty before, or when figures are off); durable, so any silo answers.</summary>
    [AlwaysInterleave]
    Task<TrialArtifacts> GetArtifacts();
}

/// <summary>A trial's figures: name (e.g. <c>learning_curves</c>) to PNG bytes. Kept as the trial grain's own state.</summary>
[GenerateSerializer]
public sealed record TrialArtifacts
{
    [Id(0)] public Dictionary<string, byte[]> Images { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record TrialAssignment(
    [property: Id(0)] string SweepId,
    [property: Id(1)] TrialSpec Trial,
    [property: Id(2)] int Attempt);

[GenerateSerializer, Immutable]
public sealed record StartedSpec([property: Id(0)] SweepSpec Spec, [property: Id(1)] string Yaml);

public enum SweepState { Running, Completed, Cancelled }

[GenerateSerializer, Immutable]
public sealed record SweepStatus
{
    [Id(0)] public required string SweepId { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required SweepState State { get; init; }
    [Id(3)] public int Total { get; init; }
    [Id(4)] public Dictionary<TrialStatus, int> Counts { get; init; } = [];
    [Id(5)] public DateTime StartedAt { get; init; }
    [Id(6)] public DateTime? FinishedAt { get; init; }
    [Id(7)] public required MetricSpec Metric { get; init; }
    /// <summary>Trials currently running, with their latest epoch (for progress views).</summary>
    [Id(8)] public List<RunningTrial> Running { get; init; } = [];
    /// <summary>The silo the coordinator is active on (diagnostics, and the failover tests).</summary>
    [Id(9)] public string? CoordinatorSilo { get; init; }

    public int Count(TrialStatus status) => Counts.GetValueOrDefault(status);
    public int Finished => Counts.Where(kv => kv.Key.IsFinal()).Sum(kv => kv.Value);
}

[GenerateSerializer, Immutable]
public sealed record RunningTrial(
    [property: Id(0)] string TrialId,
    [property: Id(1)] int Epoch,
    [property: Id(2)] int Epochs,
    [property: Id(3)] double? MetricValue,
    [property: Id(4)] Dictionary<string, string> Parameters,
    [property: Id(5)] string? Silo,
    [property: Id(6)] int Attempt);

[GenerateSerializer, Immutable]
public sealed record RankedTrial
{
    /// <summary>1-based; null for trials that have no value of the metric (diverged, failed).</summary>
    [Id(0)] public int? Rank { get; init; }
    [Id(1)] public required string TrialId { get; init; }
    [Id(2)] public required TrialStatus Status { get; init; }
    [Id(3)] public double? Value { get; init; }
    [Id(4)] public required Dictionary<string, string> Parameters { get; init; }
    [Id(5)] public Dictionary<string, double> Metrics { get; init; } = [];
    [Id(6)] public int Attempts { get; init; }
    [Id(7)] public double Seconds { get; init; }
    [Id(8)] public string? Error { get; init; }
}
