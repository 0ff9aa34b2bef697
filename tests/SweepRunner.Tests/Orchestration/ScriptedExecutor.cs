using System.Collections.Concurrent;
using SweepRunner.Core.Trials;
using SweepRunner.Workers.Execution;

namespace SweepRunner.Tests.Orchestration;

/// <summary>
/// A trial executor without TorchSharp whose behaviour is read off the configuration, so orchestration can be
/// tested quickly and exactly: val_loss = latent_dim + learning_rate; latent_dim 3 fails on its first attempt,
/// 5 fails always, 7 diverges; each epoch takes <see cref="EpochDelay"/> and leaves a checkpoint (its number).
/// </summary>
public sealed class ScriptedExecutor : ITrialExecutor
{
    private readonly ManualResetEventSlim _released = new();
    private int _started;

    public TimeSpan EpochDelay { get; init; } = TimeSpan.FromMilliseconds(20);
    /// <summary>When set, executions after this many block after their first epoch until <see cref="Release"/>: a trial caught mid-training.</summary>
    public int? HangAfter { get; init; }
    /// <summary>Executions started per trial key, to check nothing runs twice.</summary>
    public ConcurrentDictionary<string, int> Executions { get; } = new();
    /// <summary>The checkpoint epoch each resumed execution started from.</summary>
    public ConcurrentDictionary<string, int> ResumedFrom { get; } = new();

    public static string KeyOf(TrialConfig config) => $"{config.LatentDim}/{config.Seed}";

    public void Release() => _released.Set();

    public TrialOutcome Execute(TrialRun run, CancellationToken cancellation)
    {
        var config = run.Config;
        var key = KeyOf(config);
        var attempt = Executions.AddOrUpdate(key, 1, (_, n) => n + 1);
        var hangs = Interlocked.Increment(ref _started) > HangAfter;
        if (config.LatentDim == 5 || (config.LatentDim == 3 && attempt == 1))
            throw new InvalidOperationException($"scripted failure of latent_dim {config.LatentDim}, attempt {attempt}");

        var firstEpoch = 1;
        if (run.ResumeFrom is { } checkpoint)
        {
            ResumedFrom[key] = BitConverter.ToInt32(checkpoint);
            firstEpoch = ResumedFrom[key] + 1;
        }
        var loss = config.LatentDim + config.LearningRate;
        for (var epoch = firstEpoch; epoch <= config.Epochs; epoch++)
        {
            Thread.Sleep(EpochDelay);
            cancellation.ThrowIfCancellationRequested();
            if (config.LatentDim == 7)
                return new TrialOutcome { Status = TrialStatus.Diverged, EpochsDone = epoch, Error = $"loss became NaN at epoch {epoch}" };
            var directive = run.OnEpoch(new EpochReport { Epoch = epoch, Metrics = new() { ["val_loss"] = loss + (config.Epochs - epoch) } });
            if (directive == TrialDirective.Stop)
                return new TrialOutcome { Status = TrialStatus.Stopped, EpochsDone = epoch };
            run.OnCheckpoint(epoch, BitConverter.GetBytes(epoch));
            if (hangs) _released.Wait();
        }
        return new TrialOutcome
        {
            Status = TrialStatus.Completed,
            EpochsDone = config.Epochs,
            Metrics = new() { ["val_loss"] = loss, ["test_loss"] = loss + 0.5 },
        };
    }
}
