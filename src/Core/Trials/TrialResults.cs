namespace SweepRunner.Core.Trials;

public enum TrialStatus { Pending, Running, Completed, Diverged, Failed, Stopped }

public static class TrialStatusExtensions
{
    public static bool IsFinal(this TrialStatus status) =>
        status is TrialStatus.Completed or TrialStatus.Diverged or TrialStatus.Failed or TrialStatus.Stopped;
}

/// <summary>Metrics after one epoch. Keys are metric names (<see cref="MetricNames"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record EpochReport
{
    [Id(0)] public required int Epoch { get; init; }
    [Id(1)] public required Dictionary<string, double> Metrics { get; init; }
    /// <summary>Training seconds since the trial started.</summary>
    [Id(2)] public double Seconds { get; init; }
}

/// <summary>How a trial ended and what it measured.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialOutcome
{
    [Id(0)] public required TrialStatus Status { get; init; }
    /// <summary>Final metrics: <c>val_*</c>, <c>test_*</c>, <c>train_loss</c>.</summary>
    [Id(1)] public Dictionary<string, double> Metrics { get; init; } = [];
    [Id(2)] public long ParameterCount { get; init; }
    [Id(3)] public int EpochsDone { get; init; }
    [Id(4)] public double Seconds { get; init; }
    [Id(5)] public string? Error { get; init; }
    /// <summary>Every epoch's report, including those of earlier attempts restored from a checkpoint: the authoritative learning curve.</summary>
    [Id(6)] public List<EpochReport> History { get; init; } = [];
}

/// <summary>What the coordinator tells a trial after an epoch; lets a scheduler stop a trial early.</summary>
public enum TrialDirective { Continue, Stop }

/// <summary>Metric names reported by trials; the spec's <c>metric.name</c> must be one of them.</summary>
public static class MetricNames
{
    public const string TrainLoss = "train_loss";

    /// <summary>Per-sample measures computed on the validation and test splits.</summary>
    public static readonly IReadOnlyList<string> Measures = ["loss", "recon", "mse", "kl", "elbo"];

    public static string Validation(string measure) => "val_" + measure;
    public static string Test(string measure) => "test_" + measure;

    public static IEnumerable<string> All =>
        new[] { TrainLoss }.Concat(Measures.Select(Validation)).Concat(Measures.Select(Test));
}
