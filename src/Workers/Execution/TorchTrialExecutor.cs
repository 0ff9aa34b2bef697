using SweepRunner.Core.Trials;
using SweepRunner.Training;
using SweepRunner.Training.Data;
using TorchSharp;

namespace SweepRunner.Workers.Execution;

/// <summary>Trains a trial with TorchSharp on the slot thread that calls it.</summary>
public sealed class TorchTrialExecutor : ITrialExecutor
{
    public TorchTrialExecutor(TrainingOptions options)
    {
        // Process-wide: every trial of this silo trains on this many intra-op threads.
        torch.set_num_threads(options.ThreadsPerTrial);
    }

    public TrialOutcome Execute(TrialConfig config, Func<EpochReport, TrialDirective> onEpoch, CancellationToken cancellation)
    {
        var data = DatasetLoader.Load(config.Dataset, config.DataSeed);
        return TrialTrainer.Train(config, data, onEpoch, cancellation);
    }
}
