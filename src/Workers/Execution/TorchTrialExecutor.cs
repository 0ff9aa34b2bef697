using SweepRunner.Core.Trials;
using SweepRunner.Training;
using SweepRunner.Training.Data;
using SweepRunner.Training.Models;
using TorchSharp;

namespace SweepRunner.Workers.Execution;

/// <summary>
/// Trains a trial with TorchSharp on the slot thread that calls it (PCA is fitted instead), then evaluates a completed
/// trial and renders its figures there too, before the outcome is reported.
/// </summary>
public sealed class TorchTrialExecutor : ITrialExecutor
{
    private readonly TrialEvaluator _evaluator;

    public TorchTrialExecutor(SlotOptions options, EvaluationSettings? evaluation = null)
    {
        // Process-wide: every trial of this silo trains on this many intra-op threads.
        torch.set_num_threads(options.ThreadsPerTrial);
        _evaluator = new TrialEvaluator(evaluation ?? new EvaluationSettings());
    }

    public TrialOutcome Execute(TrialRun run, CancellationToken cancellation)
    {
        var data = DatasetLoader.Load(run.Config.Dataset, run.Config.DataSeed);
        TrialOutcome Complete(IAutoencoder model, TrialOutcome outcome) => _evaluator.Complete(run, data, model, outcome);
        if (run.Config.Model == ModelKind.Pca)
            return PcaTrial.Fit(run.Config, data, run.OnEpoch, Complete, cancellation);
        return TrialTrainer.Train(run.Config, data, run.OnEpoch, cancellation, new TrainingOptions
        {
            ResumeFrom = run.ResumeFrom,
            OnCheckpoint = checkpoint => run.OnCheckpoint(checkpoint.Epoch, checkpoint.Data),
            OnCompleted = Complete,
        });
    }
}
