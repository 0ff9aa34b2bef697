using SweepRunner.Core.Trials;
using SweepRunner.Training;
using SweepRunner.Training.Data;
using TorchSharp;

namespace SweepRunner.Workers.Execution;

/// <summary>Trains a trial with TorchSharp on the slot thread that calls it.</summary>
public sealed class TorchTrialExecutor : ITrialExecutor
{
    public TorchTrialExecutor(SlotOptions options)
    {
        // Process-wide: every trial of this silo trains on this many intra-op threads.
        torch.set_num_threads(options.ThreadsPerTrial);
    }

    public TrialOutcome Execute(TrialRun run, CancellationToken cancellation)
    {
        var data = DatasetLoader.Load(run.Config.Dataset, run.Config.DataSeed);
        return TrialTrainer.Train(run.Config, data, run.OnEpoch, cancellation, new TrainingOptions
        {
            ResumeFrom = run.ResumeFrom,
            OnCheckpoint = checkpoint => run.OnCheckpoint(checkpoint.Epoch, checkpoint.Data),
        });
    }
}
