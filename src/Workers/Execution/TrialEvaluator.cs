using System.Collections.Concurrent;
using SweepRunner.Analysis.Evaluation;
using SweepRunner.Analysis.Figures;
using SweepRunner.Analysis.Metrics;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using SweepRunner.Training.Data;
using SweepRunner.Training.Models;

namespace SweepRunner.Workers.Execution;

/// <summary>How a silo evaluates completed trials; a spec's <c>evaluation:</c> adjusts <see cref="Options"/> per sweep.</summary>
public sealed record EvaluationSettings
{
    /// <summary>How the per-dataset evaluation classifier is trained (and so which cached one is used).</summary>
    public ClassifierTrainingOptions Classifier { get; init; } = new();
    /// <summary>Where trained classifiers are kept; <see cref="EvaluationClassifier.DefaultCacheFolder"/> when null.</summary>
    public string? CacheFolder { get; init; }
    /// <summary>Everything the spec does not set: probe sizes, mixture, continuity, the fixed noise settings, the seed.</summary>
    public EvaluationOptions Options { get; init; } = new();
}

/// <summary>
/// The end of a completed trial: every test-split measurement of <see cref="ModelEvaluator"/> merged into the outcome's
/// metrics (plus <c>classifier_acc</c>), and the trial's figures handed to <see cref="TrialRun.OnArtifacts"/>. A failure
/// here never loses the trained result: the outcome stays completed with its training metrics and says what failed.
/// </summary>
public sealed class TrialEvaluator(EvaluationSettings settings)
{
    public const string ClassifierAccuracy = "classifier_acc";

    /// <summary>
    /// One judge per data set, classifier setup and cache folder for the whole process: trials finishing at once wait for
    /// the first to load or train it instead of training it twice.
    /// </summary>
    private static readonly ConcurrentDictionary<(DatasetSpec Dataset, long DataSeed, ClassifierTrainingOptions Classifier, string Folder), Lazy<GenerationJudge>> Judges = new();

    public TrialOutcome Complete(TrialRun run, ImageDataset data, IAutoencoder model, TrialOutcome outcome)
    {
        var metrics = new Dictionary<string, double>(outcome.Metrics);
        var problems = new List<string>();
        try
        {
            foreach (var (name, value) in Measure(run.Config, data, model)) metrics[name] = value;
        }
        catch (Exception ex)
        {
            problems.Add($"evaluation failed ({ex.GetType().Name}: {ex.Message}); the training metrics are kept");
        }
        if (run.Config.Evaluation.Figures && run.OnArtifacts is { } keep)
        {
            try
            {
                var options = OptionsFor(run.Config);
                keep(new TrialArtifacts
                {
                    Images = TrialFigures.Render(model, run.Config, data, outcome.History, options.Mixture, options.MixtureFitLimit, options.Seed),
                });
            }
            catch (Exception ex)
            {
                problems.Add($"figures failed ({ex.GetType().Name}: {ex.Message})");
            }
        }
        var error = problems.Count == 0 ? outcome.Error : string.Join("; ", problems);
        return outcome with { Metrics = metrics, Error = error };
    }

    private Dictionary<string, double> Measure(TrialConfig config, ImageDataset data, IAutoencoder model)
    {
        var options = OptionsFor(config);
        // Resolved before any dispose scope: the judge's tensors outlive this trial.
        var judge = options.Generation ? JudgeFor(config, data) : null;
        using var scope = TorchSharp.torch.NewDisposeScope();
        var metrics = ModelEvaluator.Evaluate(model, data, judge?.Classifier, judge?.Reference, options).ToMetrics();
        if (judge is not null) metrics[ClassifierAccuracy] = judge.Accuracy;
        return metrics;
    }

    /// <summary>The silo's options with the spec's choices, and the DAE's own noise added to the fixed set.</summary>
    private EvaluationOptions OptionsFor(TrialConfig config)
    {
        var spec = config.Evaluation;
        var noise = settings.Options.Noise.ToList();
        var own = new NoiseSetting(config.NoiseKind, config.Noise);
        if (config.Model == ModelKind.Dae && !noise.Contains(own)) noise.Add(own);
        return settings.Options with
        {
            Probes = spec.Probes, Generation = spec.Generation, GeneratedCount = spec.Samples, Noise = noise,
        };
    }

    private GenerationJudge JudgeFor(TrialConfig config, ImageDataset data)
    {
        string folder = settings.CacheFolder ?? EvaluationClassifier.DefaultCacheFolder;
        var key = (config.Dataset, config.DataSeed, settings.Classifier, folder);
        var entry = Judges.GetOrAdd(key, _ => new Lazy<GenerationJudge>(() => GenerationJudge.Create(data, settings.Classifier, folder)));
        try
        {
            return entry.Value;
        }
        catch
        {
            // A failure is not cached: a later trial tries again (say, after the cache folder was fixed).
            Judges.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }

    /// <summary>The evaluation classifier of a data set, its test accuracy, and the test-set reference for the Fréchet distance.</summary>
    private sealed record GenerationJudge(EvaluationClassifier Classifier, GenerationReference Reference, double Accuracy)
    {
        public static GenerationJudge Create(ImageDataset data, ClassifierTrainingOptions options, string folder)
        {
            var classifier = EvaluationClassifier.LoadOrTrain(data, options, folder);
            return new GenerationJudge(classifier, GenerationReference.Create(classifier, data), classifier.Accuracy(data.Test));
        }
    }
}
