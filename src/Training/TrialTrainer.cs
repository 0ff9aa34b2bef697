using System.Diagnostics;
using SweepRunner.Core.Trials;
using SweepRunner.Training.Data;
using SweepRunner.Training.Models;
using SweepRunner.Training.Optimisation;
using SweepRunner.Training.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Training;

/// <summary>Optional parts of a training run: resuming and checkpointing.</summary>
public sealed record TrainingOptions
{
    /// <summary>A checkpoint from an earlier run of the same configuration; training continues after its epoch.</summary>
    public byte[]? ResumeFrom { get; init; }

    /// <summary>
    /// Receives a checkpoint after every epoch the trial continues past (after <c>onEpoch</c> answered
    /// <see cref="TrialDirective.Continue"/>). Null skips the cost of serialising.
    /// </summary>
    public Action<TrialCheckpoint>? OnCheckpoint { get; init; }

    /// <summary>Images per batch when evaluating; affects speed and memory only.</summary>
    public int EvaluationBatchSize { get; init; } = 1000;

    /// <summary>
    /// Called with the trained model (still alive, in eval mode) and the outcome of a completed trial; its answer is the
    /// trial's outcome. Where end-of-trial evaluation and figures hook in.
    /// </summary>
    public Func<IAutoencoder, TrialOutcome, TrialOutcome>? OnCompleted { get; init; }
    /// <summary>When given, receives where this run's time went (for benchmarks and profiling).</summary>
    public TrainingProfile? Profile { get; init; }
}

/// <summary>Where a training run's time went, in seconds summed over the epochs this run trained.</summary>
public sealed class TrainingProfile
{
    /// <summary>Training passes (forward, backward, optimizer step) over the training split.</summary>
    public double TrainingSeconds { get; internal set; }
    /// <summary>Validation metrics after each epoch.</summary>
    public double ValidationSeconds { get; internal set; }
    /// <summary>Test metrics at the end of a completed trial.</summary>
    public double TestSeconds { get; internal set; }
    /// <summary>Serialising checkpoints and handing them to <see cref="TrainingOptions.OnCheckpoint"/> (which stores them).</summary>
    public double CheckpointSeconds { get; internal set; }
    public int Epochs { get; internal set; }
    public long TrainingImages { get; internal set; }

    internal static double Since(long timestamp) => Stopwatch.GetElapsedTime(timestamp).TotalSeconds;
}

/// <summary>
/// Trains one <see cref="TrialConfig"/> with Adam and reports per-sample metrics (<see cref="MetricNames"/>), with
/// <c>split</c> being <c>val</c> or <c>test</c>:
/// <list type="bullet">
/// <item><c>split_loss</c>: the training objective, measured without randomness. AE: BCE of the reconstruction.
/// DAE: BCE of the clean image reconstructed from a noisy copy (noise fixed by the trial seed, the same every epoch).
/// VAE: recon + kl_weight · KL, decoding the posterior mean.</item>
/// <item><c>split_recon</c>: BCE of the clean image reconstructed from itself, summed over pixels (nats per image).</item>
/// <item><c>split_mse</c>: mean squared error per pixel of that reconstruction, pixels in 0..1.</item>
/// <item><c>split_kl</c> (VAE only): KL(q(z|x) ‖ N(0, I)) in nats per image.</item>
/// <item><c>split_elbo</c> (VAE only): −(recon + KL), the evidence lower bound in nats per image with the
/// reconstruction term evaluated at the posterior mean; higher is better.</item>
/// <item><c>train_loss</c>: the objective averaged over the epoch's training batches (with sampling and noise).</item>
/// </list>
/// Validation metrics are computed after every epoch, test metrics once at the end of a completed trial.
/// Results are reproducible for a given seed and torch thread count, also with several trials training at once on
/// different threads: weights, shuffling, noise and sampling draw only from the trial's own seeded generators.
/// The torch thread count is the host's to set (it is process-wide); <see cref="TrialConfig.Threads"/> is not applied here.
/// </summary>
public static class TrialTrainer
{
    public static TrialOutcome Train(
        TrialConfig config, ImageDataset data, Func<EpochReport, TrialDirective> onEpoch, CancellationToken ct,
        TrainingOptions? options = null)
    {
        options ??= new TrainingOptions();
        var stopwatch = Stopwatch.StartNew();
        double priorSeconds = 0;
        var history = new List<EpochReport>();
        long parameterCount = 0;
        double Seconds() => priorSeconds + stopwatch.Elapsed.TotalSeconds;
        TrialOutcome Outcome(TrialStatus status, Dictionary<string, double> metrics, string? error = null) => new()
        {
            Status = status, Metrics = metrics, ParameterCount = parameterCount,
            EpochsDone = history.Count == 0 ? 0 : history[^1].Epoch, Seconds = Seconds(), Error = error,
            History = [.. history],
        };
        Dictionary<string, double> MetricsSoFar() => history.Count == 0 ? [] : new(history[^1].Metrics);

        try
        {
            ValidateConfig(config);
            using var generator = new Generator(SeedMixer.Mix(config.Seed, SeedMixer.WeightsStream));
            using var model = AutoencoderModel.Create(config, data.Pixels);
            model.InitialiseWeights(generator);
            parameterCount = model.ParameterCount;
            var optimizer = new FusedAdam(model.parameters(), config.LearningRate);

            if (options.ResumeFrom is { } checkpoint)
            {
                var progress = CheckpointFormat.Read(checkpoint, config, model, optimizer);
                priorSeconds = progress.Seconds;
                history = progress.History;
            }

            for (int epoch = history.Count + 1; epoch <= config.Epochs; epoch++)
            {
                long phase = Stopwatch.GetTimestamp();
                var trainLoss = TrainEpoch(config, data.Train, model, optimizer, generator, epoch, ct);
                if (options.Profile is { } trained)
                {
                    trained.TrainingSeconds += TrainingProfile.Since(phase);
                    trained.TrainingImages += data.Train.Count;
                    trained.Epochs++;
                }
                if (trainLoss.Error is { } divergence)
                    return Outcome(TrialStatus.Diverged, MetricsSoFar(), divergence);

                phase = Stopwatch.GetTimestamp();
                var metrics = Evaluate(model, config, data.Validation, MetricNames.Validation, SeedMixer.ValidationNoiseStream, options, ct);
                if (options.Profile is { } validated) validated.ValidationSeconds += TrainingProfile.Since(phase);
                metrics[MetricNames.TrainLoss] = trainLoss.Mean;
                var report = new EpochReport { Epoch = epoch, Metrics = metrics, Seconds = Seconds() };
                history.Add(report);
                if (!double.IsFinite(metrics[MetricNames.Validation("loss")]))
                    return Outcome(TrialStatus.Diverged, MetricsSoFar(),
                        $"validation loss is {metrics[MetricNames.Validation("loss")]} after epoch {epoch} (learning rate {config.LearningRate}).");

                if (onEpoch(report) == TrialDirective.Stop)
                    return Outcome(TrialStatus.Stopped, MetricsSoFar());
                if (options.OnCheckpoint is { } onCheckpoint)
                {
                    phase = Stopwatch.GetTimestamp();
                    onCheckpoint(new TrialCheckpoint(epoch, CheckpointFormat.Write(config, new(epoch, Seconds(), history), model, optimizer)));
                    if (options.Profile is { } checkpointed) checkpointed.CheckpointSeconds += TrainingProfile.Since(phase);
                }
            }

            var final = MetricsSoFar();
            long testPhase = Stopwatch.GetTimestamp();
            foreach (var (name, value) in Evaluate(model, config, data.Test, MetricNames.Test, SeedMixer.TestNoiseStream, options, ct))
                final[name] = value;
            if (options.Profile is { } tested) tested.TestSeconds += TrainingProfile.Since(testPhase);
            var completed = Outcome(TrialStatus.Completed, final);
            return options.OnCompleted is { } finish ? finish(model, completed) : completed;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return Outcome(TrialStatus.Failed, MetricsSoFar(), $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static void ValidateConfig(TrialConfig config)
    {
        var problems = new List<string>();
        if (config.Epochs < 1) problems.Add($"epochs must be at least 1, not {config.Epochs}");
        if (config.BatchSize < 1) problems.Add($"batch_size must be at least 1, not {config.BatchSize}");
        if (!(config.LearningRate > 0)) problems.Add($"learning_rate must be positive, not {config.LearningRate}");
        if (config.Model == ModelKind.Dae && Noise.LevelProblem(config.NoiseKind, config.Noise) is { } noiseProblem) problems.Add("noise: " + noiseProblem);
        if (problems.Count > 0)
            throw new ArgumentException(string.Join("; ", problems) + ".");
    }

    private readonly record struct EpochLoss(double Mean, string? Error);

    /// <summary>One pass over the training images in an order and with noise drawn from (seed, epoch).</summary>
    private static EpochLoss TrainEpoch(
        TrialConfig config, ImageSplit train, AutoencoderModel model, FusedAdam optimizer, Generator generator,
        int epoch, CancellationToken ct)
    {
        long epochStream = SeedMixer.EpochStream + epoch;
        generator.manual_seed(unchecked((long)SeedMixer.Mix(config.Seed, epochStream)));
        var order = Enumerable.Range(0, (int)train.Count).Select(i => (long)i).ToArray();
        SeedMixer.Random(config.Seed, epochStream).Shuffle(order);

        model.train();
        double lossSum = 0;
        int batchNumber = 0;
        for (int start = 0; start < order.Length; start += config.BatchSize, batchNumber++)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int size = Math.Min(config.BatchSize, order.Length - start);
            var clean = train.Images.index_select(0, tensor(order.AsSpan(start, size).ToArray()));
            var input = config.Model == ModelKind.Dae ? Noise.Corrupt(clean, config.NoiseKind, config.Noise, generator) : clean;

            var loss = model.TrainingLoss(input, clean, generator);
            double value = loss.item<float>();
            if (!double.IsFinite(value))
                return new EpochLoss(double.NaN,
                    $"training loss became {value} in epoch {epoch}, batch {batchNumber + 1} (learning rate {config.LearningRate}).");
            loss.backward();
            optimizer.Step(); // also zeroes the gradients for the next batch
            lossSum += value * size;
        }
        return new EpochLoss(lossSum / order.Length, null);
    }

    /// <summary>Per-sample metrics over a split, named by <paramref name="name"/> (val_… or test_…).</summary>
    private static Dictionary<string, double> Evaluate(
        AutoencoderModel model, TrialConfig config, ImageSplit split, Func<string, string> name, long noiseStream,
        TrainingOptions options, CancellationToken ct)
    {
        // A fresh generator per evaluation gives the DAE the same noisy inputs every epoch, so its loss is comparable.
        using var noise = config.Model == ModelKind.Dae ? new Generator(SeedMixer.Mix(config.Seed, noiseStream)) : null;
        model.eval();
        Func<Tensor, Tensor>? corrupt = noise is null ? null : clean => Noise.Corrupt(clean, config.NoiseKind, config.Noise, noise);
        return SplitMetrics.Measure(model.Evaluate, split, name, corrupt, options.EvaluationBatchSize, ct);
    }
}
