using System.Diagnostics;
using SweepRunner.Analysis.Pca;
using SweepRunner.Core.Trials;
using SweepRunner.Training;
using SweepRunner.Training.Data;
using SweepRunner.Training.Models;

namespace SweepRunner.Workers.Execution;

/// <summary>
/// A <c>pca</c> trial: the linear baseline fitted in closed form on the training split at <c>latent_dim</c>. It reports
/// one "epoch" (its validation metrics) and, when completed, the same test metrics as the trained models, through the
/// same <see cref="SplitMetrics"/>; loss is the reconstruction BCE. <c>epochs</c>, learning rate and batch size do not apply.
/// </summary>
public static class PcaTrial
{
    private const int EvaluationBatchSize = 1000;

    /// <param name="onCompleted">Like <see cref="TrainingOptions.OnCompleted"/>: sees the fitted model and makes the final outcome.</param>
    public static TrialOutcome Fit(TrialConfig config, ImageDataset data, Func<EpochReport, TrialDirective> onEpoch,
        Func<IAutoencoder, TrialOutcome, TrialOutcome>? onCompleted, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var history = new List<EpochReport>();
        long parameterCount = 0;
        TrialOutcome Outcome(TrialStatus status, Dictionary<string, double> metrics, string? error = null) => new()
        {
            Status = status, Metrics = metrics, ParameterCount = parameterCount, EpochsDone = history.Count,
            Seconds = stopwatch.Elapsed.TotalSeconds, Error = error, History = [.. history],
        };

        try
        {
            using var pca = PcaModel.Fit(data.Train.Images, config.LatentDim);
            // The principal directions and the mean image: what the model stores.
            parameterCount = (long)data.Pixels * (config.LatentDim + 1);
            Dictionary<string, double> Measure(ImageSplit split, Func<string, string> name) => SplitMetrics.Measure(
                (clean, input) => SplitMetrics.ReconstructionSums(pca, clean, input), split, name, corrupt: null, EvaluationBatchSize, ct);

            var report = new EpochReport { Epoch = 1, Metrics = Measure(data.Validation, MetricNames.Validation), Seconds = stopwatch.Elapsed.TotalSeconds };
            history.Add(report);
            if (onEpoch(report) == TrialDirective.Stop) return Outcome(TrialStatus.Stopped, new(report.Metrics));

            var final = new Dictionary<string, double>(report.Metrics);
            foreach (var (name, value) in Measure(data.Test, MetricNames.Test)) final[name] = value;
            var completed = Outcome(TrialStatus.Completed, final);
            return onCompleted is null ? completed : onCompleted(pca, completed);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return Outcome(TrialStatus.Failed, history.Count == 0 ? [] : new(history[^1].Metrics), $"{e.GetType().Name}: {e.Message}");
        }
    }
}
