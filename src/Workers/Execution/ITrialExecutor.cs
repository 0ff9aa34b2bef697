using SweepRunner.Core.Grains;
using SweepRunner.Core.Trials;

namespace SweepRunner.Workers.Execution;

/// <summary>
/// Trains one trial to the end on the calling (slot) thread. The seam between orchestration and training:
/// the grains do not know how a model is trained, and tests can orchestrate without TorchSharp.
/// </summary>
public interface ITrialExecutor
{
    TrialOutcome Execute(TrialRun run, CancellationToken cancellation);
}

/// <summary>One attempt at a trial.</summary>
/// <param name="ResumeFrom">The trial's latest checkpoint, if an earlier attempt left one.</param>
/// <param name="OnEpoch">Called after every epoch on the training thread; may block; its answer can stop the trial.</param>
/// <param name="OnCheckpoint">Receives (epoch, checkpoint) after every epoch the trial continues past.</param>
/// <param name="OnArtifacts">Receives the figures of a completed trial, on the training thread, before Execute returns.</param>
public sealed record TrialRun(
    TrialConfig Config,
    byte[]? ResumeFrom,
    Func<EpochReport, TrialDirective> OnEpoch,
    Action<int, byte[]> OnCheckpoint,
    Action<TrialArtifacts>? OnArtifacts = null);
