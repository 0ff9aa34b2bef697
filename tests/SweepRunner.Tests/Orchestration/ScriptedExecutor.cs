using System.Collections.Concurrent;
using SweepRunner.Core.Trials;
using SweepRunner.Workers.Execution;

namespace SweepRunner.Tests.Orchestration;

/// <summary>
/// A trial executor without TorchSharp whose behaviour is read off the configuration, so orchestration can be
/// tested quickly and exactly: val_loss = latent_dim + learning_rate; latent_dim 3 fails on its first attempt,
/// 5 fails always, 7 diverges; each epoch takes <see cref="EpochDelay"/>.
/// </summary>
public sealed class ScriptedExecutor : ITrialExecutor
{
    public TimeSpan EpochDelay { get; init; } = TimeSpan.FromMilliseconds(20);
    /// <summary>Executions started per (latent_dim, seed), to check nothing runs twice.</summary>
    public ConcurrentDictionary<string, int> Executions { get; } = new();
    /// <summary>When set, executions after this many block until <see cref="Release"/>: a trial caught mid-training by a shutdown.</summary>
    public int? HangAfter { get; init; }
    private readonly ManualResetEventSlim _released = new();
    private int _started;

    public void Release() => _released.Set();

    public static string KeyOf(TrialConfig config) => $"{config.LatentDim}/{config.Seed}";

    public TrialOutcome Execute(TrialConfig config, Func<EpochReport, TrialDirective> onEpoch, CancellationToken cancellation)
    {
        var attempt = Executions.AddOrUpdate(KeyOf(config), 1, (_, n) => n + 1);
        if (Interlocked.Increment(ref _started) > HangAfter) _released.Wait();
        if (config.LatentDim == 5 || (config.LatentDim == 3 && attempt == 1))
            throw new InvalidOperationException($"scripted failure of latent_dim {config.LatentDim}, attempt {attempt}");

        var loss = config.LatentDim + config.LearningRate;
        for (var epoch = 1; epoch <= config.Epochs; epoch++)
        {
            Thread.Sleep(EpochDelay);
            cancellation.ThrowIfCancellationRequested();
            if (config.LatentDim == 7)
                return new TrialOutcome { Status = TrialStatus.Diverged, EpochsDone = epoch, Error = $"loss became NaN at epoch {epoch}" };
            var directive = onEpoch(new EpochReport { Epoch = epoch, Metrics = new() { ["val_loss"] = loss + (config.Epochs - epoch) } });
            if (directive == TrialDirective.Stop)
                return new TrialOutcome { Status = TrialStatus.Stopped, EpochsDone = epoch };
        }
        return new TrialOutcome
        {
            Status = TrialStatus.Completed,
            EpochsDone = config.Epochs,
            Metrics = new() { ["val_loss"] = loss, ["test_loss"] = loss + 0.5 },
        };
    }
}
