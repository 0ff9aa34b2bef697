using SweepRunner.Analysis.Metrics;
using SweepRunner.Analysis.Sampling;
using SweepRunner.Core.Trials;
using SweepRunner.Training.Data;
using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Evaluation;

/// <summary>What <see cref="ModelEvaluator"/> measures and on how much data; the defaults suit a full Fashion-MNIST run.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The fixed corruptions every model is measured on, so any two trials compare.</summary>
    public static readonly IReadOnlyList<NoiseSetting> StandardNoise =
    [
        new(NoiseKind.Gaussian, 0.1), new(NoiseKind.Gaussian, 0.3), new(NoiseKind.Gaussian, 0.5),
        new(NoiseKind.Masking, 0.25), new(NoiseKind.SaltPepper, 0.1),
    ];

    /// <summary>Evaluate on at most this many test images (all when null).</summary>
    public int? TestLimit { get; init; }
    /// <summary>Measure the code-space probes (linear and kNN accuracy).</summary>
    public bool Probes { get; init; } = true;
    /// <summary>Train the code-space probes on at most this many training codes: 5-NN over all 54k costs minutes per model.</summary>
    public int? ProbeTrainLimit { get; init; } = 10_000;
    public LinearProbeOptions Probe { get; init; } = new();
    public IReadOnlyList<NoiseSetting> Noise { get; init; } = StandardNoise;
    /// <summary>Measure generation quality and completeness; needs the classifier and the reference.</summary>
    public bool Generation { get; init; } = true;
    /// <summary>Images generated per sampler for the Fréchet distance, confidence, coverage and completeness.</summary>
    public int GeneratedCount { get; init; } = 10_000;
    /// <summary>The ex-post mixture is fitted to at most this many training codes.</summary>
    public int MixtureFitLimit { get; init; } = 10_000;
    public GaussianMixtureOptions Mixture { get; init; } = new();
    public int ContinuityPairs { get; init; } = 100;
    public int ContinuitySteps { get; init; } = 10;
    /// <summary>Seeds noise, sampling and the choice of interpolation pairs.</summary>
    public long Seed { get; init; } = 1;
}

/// <summary>
/// What generated images are compared with, per data set and classifier: statistics of the classifier features of the
/// test images, and the floor, the Fréchet distance of real validation images to them (no generator can be expected
/// to do better than real images it never saw).
/// </summary>
public sealed class GenerationReference : IDisposable
{
    public GaussianStatistics Test { get; }
    public double FrechetFloor { get; }

    private GenerationReference(GaussianStatistics test, double floor)
    {
        Test = test;
        FrechetFloor = floor;
    }

    public static GenerationReference Create(EvaluationClassifier classifier, ImageDataset data, int? testLimit = null)
    {
        using var testImages = Batched.Head(data.Test.Images, testLimit);
        using var testFeatures = classifier.Features(testImages);
        var test = GaussianStatistics.Of(testFeatures);
        using var validationFeatures = classifier.Features(data.Validation.Images);
        using var validation = GaussianStatistics.Of(validationFeatures);
        return new GenerationReference(test, FrechetDistance.Between(validation, test));
    }

    public void Dispose() => Test.Dispose();
}

/// <summary>The generation measurements of one model, with the floor they are read against.</summary>
public sealed record GenerationEvaluation(GenerationScores PriorSamples, GenerationScores MixtureSamples, double Completeness, double FrechetFloor);

/// <summary>Every measurement of one trained model; <see cref="ToMetrics"/> flattens it for a trial outcome. Parts not asked for are null.</summary>
public sealed record ModelEvaluation(
    ReconstructionScores Reconstruction,
    IReadOnlyList<DenoisingScore> Denoising,
    ProbeScores? Probe,
    GenerationEvaluation? Generation,
    double Continuity)
{
    /// <summary>
    /// The trial-outcome metric names (all on the test split): <c>test_psnr</c>, <c>denoise_psnr_in@KIND:LEVEL</c> and
    /// <c>denoise_psnr_out@KIND:LEVEL</c> (e.g. <c>@gaussian:0.3</c>), <c>probe_linear_acc</c>, <c>probe_knn_acc</c>,
    /// <c>gen_prior_fid</c> / <c>_confidence</c> / <c>_coverage</c> / <c>_entropy</c>, the same for <c>gen_gmm_</c>,
    /// <c>fid_floor</c>, <c>completeness</c>, <c>continuity</c>. BCE and MSE are left to the trainer's <c>test_recon</c> and
    /// <c>test_mse</c>, which every model kind reports the same way.
    /// </summary>
    public Dictionary<string, double> ToMetrics()
    {
        var metrics = new Dictionary<string, double>
        {
            ["test_psnr"] = Reconstruction.Psnr,
            ["continuity"] = Continuity,
        };
        foreach (var score in Denoising)
        {
            metrics[$"denoise_psnr_in@{score.Setting}"] = score.NoisyPsnr;
            metrics[$"denoise_psnr_out@{score.Setting}"] = score.DenoisedPsnr;
        }
        if (Probe is not null)
        {
            metrics["probe_linear_acc"] = Probe.LinearProbeAccuracy;
            metrics["probe_knn_acc"] = Probe.KnnAccuracy;
        }
        if (Generation is not null)
        {
            foreach (var (prefix, scores) in new[] { ("gen_prior_", Generation.PriorSamples), ("gen_gmm_", Generation.MixtureSamples) })
            {
                metrics[prefix + "fid"] = scores.Frechet;
                metrics[prefix + "confidence"] = scores.Confidence;
                metrics[prefix + "coverage"] = scores.Coverage;
                metrics[prefix + "entropy"] = scores.EntropyBits;
            }
            metrics["fid_floor"] = Generation.FrechetFloor;
            metrics["completeness"] = Generation.Completeness;
        }
        return metrics;
    }
}

/// <summary>Runs every metric of this library on one model: reconstruction, denoising, code space and generation.</summary>
public static class ModelEvaluator
{
    /// <param name="classifier">Judges generated images; may be null when <see cref="EvaluationOptions.Generation"/> is off.</param>
    /// <param name="reference">The test-set statistics for the Fréchet distance; null like <paramref name="classifier"/>.</param>
    public static ModelEvaluation Evaluate(IAutoencoder model, ImageDataset data, EvaluationClassifier? classifier,
        GenerationReference? reference, EvaluationOptions? options = null)
    {
        options ??= new EvaluationOptions();
        using var testImages = Batched.Head(data.Test.Images, options.TestLimit);
        using var testLabels = Batched.Head(data.Test.Labels, options.TestLimit);

        var reconstruction = ReconstructionMetrics.Evaluate(model, testImages);
        var denoising = DenoisingMetrics.Evaluate(model, testImages, options.Noise, options.Seed);
        ProbeScores? probe = null;
        if (options.Probes)
        {
            using var probeImages = Batched.Head(data.Train.Images, options.ProbeTrainLimit);
            using var probeLabels = Batched.Head(data.Train.Labels, options.ProbeTrainLimit);
            probe = CodeSpaceMetrics.Evaluate(model, probeImages, probeLabels, testImages, testLabels, options.Probe);
        }

        using var generator = new Generator((ulong)options.Seed);
        GenerationEvaluation? generation = null;
        if (options.Generation)
        {
            if (classifier is null || reference is null)
                throw new ArgumentException("Generation quality needs the evaluation classifier and the generation reference.");
            generation = EvaluateGeneration(model, data, classifier, reference, options, generator);
        }
        using var testCodes = Batched.Encode(model, testImages);
        double continuity = CodeSpaceQuality.Continuity(model, testCodes, options.ContinuityPairs, options.ContinuitySteps, generator);

        return new ModelEvaluation(reconstruction, denoising, probe, generation, continuity);
    }

    private static GenerationEvaluation EvaluateGeneration(IAutoencoder model, ImageDataset data, EvaluationClassifier classifier,
        GenerationReference reference, EvaluationOptions options, Generator generator)
    {
        var prior = new PriorSampler(model.LatentDim);
        using var mixtureImages = Batched.Head(data.Train.Images, options.MixtureFitLimit);
        using var mixtureCodes = Batched.Encode(model, mixtureImages);
        using var mixture = GaussianMixtureSampler.Fit(mixtureCodes, options.Mixture);
        var priorScores = ScoreSamples(model, prior, classifier, reference, options.GeneratedCount, generator);
        var mixtureScores = ScoreSamples(model, mixture, classifier, reference, options.GeneratedCount, generator);
        double completeness = CodeSpaceQuality.Completeness(model, prior, classifier, options.GeneratedCount, generator);
        return new GenerationEvaluation(priorScores, mixtureScores, completeness, reference.FrechetFloor);
    }

    private static GenerationScores ScoreSamples(IAutoencoder model, ILatentSampler sampler, EvaluationClassifier classifier,
        GenerationReference reference, int count, Generator generator)
    {
        using var codes = sampler.Sample(count, generator);
        using var images = Batched.Decode(model, codes);
        return GenerationMetrics.Evaluate(classifier, images, reference.Test);
    }
}
