using System.Globalization;
using SweepRunner.Analysis.Metrics;
using SweepRunner.Analysis.Sampling;
using SweepRunner.Training.Data;
using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Evaluation;

/// <summary>What <see cref="ModelEvaluator"/> measures and on how much data; the defaults suit a full Fashion-MNIST run.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Evaluate on at most this many test images (all when null).</summary>
    public int? TestLimit { get; init; }
    /// <summary>Train the code-space probes on at most this many training codes: 5-NN over all 54k costs minutes per model.</summary>
    public int? ProbeTrainLimit { get; init; } = 10_000;
    public LinearProbeOptions Probe { get; init; } = new();
    public NoiseKind Noise { get; init; } = NoiseKind.Gaussian;
    public IReadOnlyList<double> NoiseLevels { get; init; } = [0.1, 0.3, 0.5];
    /// <summary>Images generated per sampler for the Fréchet distance, confidence, coverage and completeness.</summary>
    public int GeneratedCount { get; init; } = 2000;
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

/// <summary>Every measurement of one trained model; <see cref="ToMetrics"/> flattens it for a trial outcome.</summary>
public sealed record ModelEvaluation(
    ReconstructionScores Reconstruction,
    IReadOnlyList<DenoisingScore> Denoising,
    ProbeScores Probe,
    GenerationScores PriorSamples,
    GenerationScores MixtureSamples,
    double Completeness,
    double Continuity,
    double FrechetFloor)
{
    /// <summary>
    /// Flat metric names, prefixed <c>eval_</c> so they never clash with the trainer's own <c>test_*</c> figures:
    /// <c>eval_bce</c>, <c>eval_mse</c>, <c>eval_psnr</c>, <c>eval_psnr_noisy_gaussian_0.3</c>,
    /// <c>eval_psnr_denoised_gaussian_0.3</c>, <c>eval_probe_linear</c>, <c>eval_probe_knn</c>,
    /// <c>eval_prior_frechet</c> (and <c>_confidence</c>, <c>_coverage</c>, <c>_entropy</c>), the same for <c>eval_gmm_</c>,
    /// <c>eval_frechet_floor</c>, <c>eval_completeness</c>, <c>eval_continuity</c>.
    /// </summary>
    public Dictionary<string, double> ToMetrics()
    {
        var metrics = new Dictionary<string, double>
        {
            ["eval_bce"] = Reconstruction.Bce,
            ["eval_mse"] = Reconstruction.Mse,
            ["eval_psnr"] = Reconstruction.Psnr,
            ["eval_probe_linear"] = Probe.LinearProbeAccuracy,
            ["eval_probe_knn"] = Probe.KnnAccuracy,
            ["eval_frechet_floor"] = FrechetFloor,
            ["eval_completeness"] = Completeness,
            ["eval_continuity"] = Continuity,
        };
        foreach (var score in Denoising)
        {
            string suffix = Noise.Name(score.Kind) + "_" + score.Level.ToString("G4", CultureInfo.InvariantCulture);
            metrics["eval_psnr_noisy_" + suffix] = score.NoisyPsnr;
            metrics["eval_psnr_denoised_" + suffix] = score.DenoisedPsnr;
        }
        foreach (var (prefix, scores) in new[] { ("eval_prior_", PriorSamples), ("eval_gmm_", MixtureSamples) })
        {
            metrics[prefix + "frechet"] = scores.Frechet;
            metrics[prefix + "confidence"] = scores.Confidence;
            metrics[prefix + "coverage"] = scores.Coverage;
            metrics[prefix + "entropy"] = scores.EntropyBits;
        }
        return metrics;
    }
}

/// <summary>Runs every metric of this library on one model: reconstruction, denoising, code space and generation.</summary>
public static class ModelEvaluator
{
    public static ModelEvaluation Evaluate(IAutoencoder model, ImageDataset data, EvaluationClassifier classifier,
        GenerationReference reference, EvaluationOptions? options = null)
    {
        options ??= new EvaluationOptions();
        using var testImages = Batched.Head(data.Test.Images, options.TestLimit);
        using var testLabels = Batched.Head(data.Test.Labels, options.TestLimit);
        using var probeImages = Batched.Head(data.Train.Images, options.ProbeTrainLimit);
        using var probeLabels = Batched.Head(data.Train.Labels, options.ProbeTrainLimit);
        using var mixtureImages = Batched.Head(data.Train.Images, options.MixtureFitLimit);

        var reconstruction = ReconstructionMetrics.Evaluate(model, testImages);
        var denoising = DenoisingMetrics.Evaluate(model, testImages, options.Noise, options.NoiseLevels, options.Seed);
        var probe = CodeSpaceMetrics.Evaluate(model, probeImages, probeLabels, testImages, testLabels, options.Probe);

        var prior = new PriorSampler(model.LatentDim);
        using var mixtureCodes = Batched.Encode(model, mixtureImages);
        using var mixture = GaussianMixtureSampler.Fit(mixtureCodes, options.Mixture);
        using var generator = new Generator((ulong)options.Seed);
        var priorScores = ScoreSamples(model, prior, classifier, reference, options.GeneratedCount, generator);
        var mixtureScores = ScoreSamples(model, mixture, classifier, reference, options.GeneratedCount, generator);
        double completeness = CodeSpaceQuality.Completeness(model, prior, classifier, options.GeneratedCount, generator);
        using var testCodes = Batched.Encode(model, testImages);
        double continuity = CodeSpaceQuality.Continuity(model, testCodes, options.ContinuityPairs, options.ContinuitySteps, generator);

        return new ModelEvaluation(reconstruction, denoising, probe, priorScores, mixtureScores, completeness, continuity, reference.FrechetFloor);
    }

    private static GenerationScores ScoreSamples(IAutoencoder model, ILatentSampler sampler, EvaluationClassifier classifier,
        GenerationReference reference, int count, Generator generator)
    {
        using var codes = sampler.Sample(count, generator);
        using var images = Batched.Decode(model, codes);
        return GenerationMetrics.Evaluate(classifier, images, reference.Test);
    }
}
