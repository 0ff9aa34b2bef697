using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Metrics;

/// <summary>
/// PSNR (dB, see <see cref="ReconstructionMetrics.Psnr"/>) against the clean images of the noisy input and of the
/// model's output from it; the gain is what denoising buys.
/// </summary>
public sealed record DenoisingScore(NoiseKind Kind, double Level, double NoisyPsnr, double DenoisedPsnr)
{
    public double GainDb => DenoisedPsnr - NoisyPsnr;
}

public static class DenoisingMetrics
{
    /// <summary>Corrupts <paramref name="clean"/> at each level (one generator seeded with <paramref name="seed"/> per level, so levels are independent of order) and scores the model's output.</summary>
    public static IReadOnlyList<DenoisingScore> Evaluate(
        IAutoencoder model, Tensor clean, NoiseKind kind, IEnumerable<double> levels, long seed, int batchSize = Batched.DefaultBatchSize)
    {
        var scores = new List<DenoisingScore>();
        foreach (double level in levels)
        {
            using var generator = new Generator((ulong)seed);
            using var noisy = Noise.Corrupt(clean, kind, level, generator);
            using var denoised = Batched.Reconstruct(model, noisy, batchSize);
            scores.Add(new DenoisingScore(kind, level,
                ReconstructionMetrics.Psnr(noisy, clean), ReconstructionMetrics.Psnr(denoised, clean)));
        }
        return scores;
    }
}
