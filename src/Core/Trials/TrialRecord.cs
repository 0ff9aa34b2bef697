namespace SweepRunner.Core.Trials;

/// <summary>The coordinator's durable view of one trial.</summary>
[GenerateSerializer]
public sealed record TrialRecord
{
    [Id(0)] public required TrialSpec Spec { get; init; }
    [Id(1)] public TrialStatus Status { get; set; } = TrialStatus.Pending;
    /// <summary>Attempts started so far (1 after the first start).</summary>
    [Id(2)] public int Attempts { get; set; }
    [Id(3)] public List<EpochReport> History { get; set; } = [];
    [Id(4)] public TrialOutcome? Outcome { get; set; }
    [Id(5)] public DateTime? StartedAt { get; set; }
    [Id(6)] public DateTime? FinishedAt { get; set; }
    /// <summary>1, 2, 3... in the order trials finished; 0 while not finished. Lets readers fetch only what is new.</summary>
    [Id(7)] public int FinishOrder { get; set; }
    [Id(8)] public string? Error { get; set; }
    /// <summary>The silo running the current attempt: if membership declares it dead, the trial moves elsewhere.</summary>
    [Id(9)] public SiloAddress? Silo { get; set; }
    /// <summary>Attempts that ended in an error of the trial's own; a lost silo is not one. Bounded by max_failures.</summary>
    [Id(10)] public int Failures { get; set; }
    /// <summary>Epochs trained over all attempts; above the trial's epochs by the work that attempts lost and re-did.</summary>
    [Id(11)] public int EpochsRun { get; set; }
    /// <summary>Every attempt: where it ran, from which epoch, and how it ended. A trial's identity outlives its attempts.</summary>
    [Id(12)] public List<AttemptRecord> AttemptLog { get; set; } = [];
}

[GenerateSerializer]
public sealed record AttemptRecord
{
    [Id(0)] public required int Number { get; init; }
    [Id(1)] public string? Silo { get; init; }
    [Id(2)] public DateTime StartedAt { get; init; }
    [Id(3)] public DateTime? EndedAt { get; set; }
    /// <summary>How the attempt ended: a trial status (completed, failed, ...) or <c>lost</c> with its silo.</summary>
    [Id(4)] public string? End { get; set; }
    /// <summary>The first epoch this attempt trained: above 1 when it resumed from a checkpoint.</summary>
    [Id(5)] public int? FirstEpoch { get; set; }
    [Id(6)] public int EpochsRun { get; set; }
    [Id(7)] public string? Error { get; set; }
}
