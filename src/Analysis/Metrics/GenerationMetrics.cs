using static TorchSharp.torch;

namespace SweepRunner.Analysis.Metrics;

/// <summary>
/// How good a set of generated images looks to the evaluation classifier.
/// <para><see cref="Frechet"/>: Fréchet distance of their classifier features to the reference (test) set; compare with the
/// floor, the distance of real held-out images to the same reference.</para>
/// <para><see cref="Confidence"/>: mean max-softmax probability (1 = every image unmistakably some class).</para>
/// <para><see cref="Coverage"/>: share of classes that receive at least the coverage threshold of the predictions.</para>
/// <para><see cref="EntropyBits"/>: entropy of the predicted-class histogram in bits (log2(classes) = perfectly even).</para>
/// </summary>
public sealed record GenerationScores(double Frechet, double Confidence, double Coverage, double EntropyBits);

public static class GenerationMetrics
{
    /// <summary>
    /// A class counts as covered when it gets at least this share of its even share (1/classes) of the predictions:
    /// with 10 classes, 5% of the samples.
    /// </summary>
    public const double DefaultCoverageShareOfUniform = 0.5;

    /// <param name="images">[N, pixels] generated images in 0..1.</param>
    /// <param name="reference">Statistics of the classifier features of the reference set (e.g. the test split).</param>
    public static GenerationScores Evaluate(EvaluationClassifier classifier, Tensor images, GaussianStatistics reference,
        double coverageShareOfUniform = DefaultCoverageShareOfUniform)
    {
        using var features = classifier.Features(images);
        using var statistics = GaussianStatistics.Of(features);
        using var probabilities = classifier.Probabilities(images);
        var (coverage, entropy) = ClassBalance(probabilities, coverageShareOfUniform);
        return new GenerationScores(FrechetDistance.Between(statistics, reference), Confidence(probabilities), coverage, entropy);
    }

    /// <summary>Mean over images of the largest class probability.</summary>
    public static double Confidence(Tensor probabilities)
    {
        using var top = probabilities.max(1).values;
        return top.to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>Coverage (see <see cref="GenerationScores"/>) and entropy in bits of the histogram of argmax predictions.</summary>
    public static (double Coverage, double EntropyBits) ClassBalance(Tensor probabilities, double coverageShareOfUniform = DefaultCoverageShareOfUniform)
    {
        using var scope = NewDisposeScope();
        long classes = probabilities.shape[1];
        var counts = bincount(probabilities.argmax(1), minlength: classes).to_type(ScalarType.Float64);
        var shares = counts / counts.sum();
        double coverage = (shares >= coverageShareOfUniform / classes).to_type(ScalarType.Float64).mean().item<double>();
        // 0·log 0 = 0: empty classes add nothing. Subtracting from +0 keeps a one-class histogram at +0, not -0.
        var logShares = where(shares > 0, shares.log2(), zeros_like(shares));
        double entropy = 0.0 - (shares * logShares).sum().item<double>();
        return (coverage, entropy);
    }

    /// <summary>Share of images whose top class probability is at least <paramref name="threshold"/>.</summary>
    public static double ShareConfident(Tensor probabilities, double threshold)
    {
        using var top = probabilities.max(1).values;
        using var confident = top >= threshold;
        return confident.to_type(ScalarType.Float64).mean().item<double>();
    }
}
