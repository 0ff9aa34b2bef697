using Microsoft.Extensions.Logging;
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
    private readonly ILogger<TorchTrialExecutor> _log;
    private readonly Lazy<bool> _threadsApplied;
    private readonly TrialEvaluator _evaluator;

    public TorchTrialExecutor(SlotOptions options, ILogger<TorchTrialExecutor> log, EvaluationSettings? evaluation = null)
    {
        _log = log;
        _evaluator = new TrialEvaluator(evaluation ?? new EvaluationSettings());
        // Process-wide: every trial of this silo trains on this many intra-op threads, and torch's temporaries stay
        // on the heap (see NativeAllocator). Applied before the first trial rather than here, so a silo that trains
        // nothing (sleep trials only) never loads libtorch; every slot waits for it, so no trial starts on the
        // default thread count.
        _threadsApplied = new(() =>
        {
            torch.set_num_threads(options.ThreadsPerTrial);
            NativeAllocator.KeepTemporariesOnHeap();
            return true;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public TrialOutcome Execute(TrialRun run, CancellationToken cancellation)
    {
        _ = _threadsApplied.Value;
        var data = DatasetLoader.Load(run.Config.Dataset, run.Config.DataSeed);
        // Marks the end of start-up (host, silo, data set): the benchmark times `run` to this line.
        _log.LogInformation("Training starts: {Model} seed {Seed}, {Images} training images", run.Config.Model, run.Config.Seed, data.Train.Count);
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
