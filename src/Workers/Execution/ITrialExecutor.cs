using SweepRunner.Core.Trials;

namespace SweepRunner.Workers.Execution;

/// <summary>
/// Trains one trial to the end on the calling (slot) thread. The seam between orchestration and training:
/// the grains do not know how a model is trained, and tests can orchestrate without TorchSharp.
/// </summary>
public interface ITrialExecutor
{
    /// <param name="onEpoch">Called after every epoch on the training thread; may block; its answer can stop the trial.</param>
    TrialOutcome Execute(TrialConfig config, Func<EpochReport, TrialDirective> onEpoch, CancellationToken cancellation);
}
