using SweepRunner.Core.Trials;

namespace SweepRunner.Workers.Execution;

/// <summary>
/// Runs a <see cref="ModelKind.Sleep"/> trial: every epoch waits <see cref="TrialConfig.SleepSeconds"/> on the slot
/// thread and is reported like a trained one, so a sweep of them measures what orchestration costs on its own.
/// Its metrics are the seconds it waited (train_loss, val_loss, test_loss), which ranks longer waits lower.
/// </summary>
public sealed class SleepTrialExecutor : ITrialExecutor
{
    public TrialOutcome Execute(TrialRun run, CancellationToken cancellation)
    {
        var config = run.Config;
        if (config.Model != ModelKind.Sleep)
            throw new ArgumentException($"{nameof(SleepTrialExecutor)} runs sleep trials, not {config.Model}.", nameof(run));
        var metrics = new Dictionary<string, double>();
        for (int epoch = 1; epoch <= config.Epochs; epoch++)
        {
            if (config.SleepSeconds > 0)
                cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(config.SleepSeconds));
            cancellation.ThrowIfCancellationRequested();
            double waited = epoch * config.SleepSeconds;
            metrics = new Dictionary<string, double> { [MetricNames.TrainLoss] = waited, [MetricNames.Validation("loss")] = waited };
            if (run.OnEpoch(new EpochReport { Epoch = epoch, Metrics = metrics, Seconds = waited }) == TrialDirective.Stop)
                return new TrialOutcome { Status = TrialStatus.Stopped, EpochsDone = epoch, Metrics = metrics, Seconds = waited };
        }
        double total = config.Epochs * config.SleepSeconds;
        return new TrialOutcome
        {
            Status = TrialStatus.Completed,
            EpochsDone = config.Epochs,
            Metrics = new Dictionary<string, double>(metrics) { [MetricNames.Test("loss")] = total },
            Seconds = total,
        };
    }
}
