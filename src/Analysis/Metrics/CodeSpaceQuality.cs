using SweepRunner.Analysis.Sampling;
using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Metrics;

/// <summary>Two properties of a code space that make it usable for generation (the seminar's AE-vs-VAE question).</summary>
public static class CodeSpaceQuality
{
    public const double DefaultRecognitionThreshold = 0.9;

    /// <summary>
    /// Completeness: the share, in 0..1, of codes drawn from <paramref name="sampler"/> (normally the N(0, I) prior)
    /// whose decoded image the evaluation classifier assigns to some class with probability ≥
    /// <paramref name="threshold"/> (0.9 by default). High means almost any code the prior proposes decodes to a
    /// recognisable image; a code space with holes between its clusters scores low.
    /// </summary>
    public static double Completeness(IAutoencoder model, ILatentSampler sampler, EvaluationClassifier classifier, int count,
        Generator generator, double threshold = DefaultRecognitionThreshold)
    {
        using var codes = sampler.Sample(count, generator);
        using var images = Batched.Decode(model, codes);
        using var probabilities = classifier.Probabilities(images);
        return GenerationMetrics.ShareConfident(probabilities, threshold);
    }

    /// <summary>
    /// Continuity: for random pairs of codes (rows of <paramref name="codes"/>, e.g. test codes), the straight line
    /// between them is decoded at <paramref name="steps"/> + 1 evenly spaced points; the score of a pair is
    /// steps × (largest Euclidean distance between consecutive decoded frames) / (sum of those distances), and the
    /// result is the mean over pairs. It is 1.0 when every step changes the image equally (perfectly smooth) and grows
    /// towards <paramref name="steps"/> when one step carries the whole change (a jump); lower is smoother. A pair whose
    /// frames are all identical counts as 1.0.
    /// </summary>
    public static double Continuity(IAutoencoder model, Tensor codes, int pairs, int steps, Generator generator)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Need at least one interpolation step.");
        long n = codes.shape[0];
        if (n < 2) throw new ArgumentException("Continuity needs at least two codes.", nameof(codes));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var first = randint(0, n, [pairs], generator: generator);
        // An offset in 1..n-1 guarantees the two ends of a pair are different rows.
        var second = (first + randint(1, n, [pairs], generator: generator)) % n;
        var start = codes.index_select(0, first).unsqueeze(1);
        var end = codes.index_select(0, second).unsqueeze(1);
        var fractions = linspace(0, 1, steps + 1, dtype: codes.dtype).reshape(1, steps + 1, 1);
        var path = (start + fractions * (end - start)).reshape(pairs * (steps + 1), codes.shape[1]);
        var frames = Batched.Decode(model, path).to_type(ScalarType.Float64).reshape(pairs, steps + 1, -1);
        var stepLengths = (frames.narrow(1, 1, steps) - frames.narrow(1, 0, steps)).square().sum([2L]).sqrt(); // [pairs, steps]
        var total = stepLengths.sum([1L]);
        var ratio = where(total > 1e-12, steps * stepLengths.max(1).values / total.clamp_min(1e-12), ones_like(total));
        return ratio.mean().item<double>();
    }
}
