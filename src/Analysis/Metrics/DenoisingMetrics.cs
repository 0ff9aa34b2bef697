using SweepRunner.Core.Trials;
using SweepRunner.Training.Data;
using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Metrics;

/// <summary>One corruption: a noise kind at a level (std for gaussian, share of pixels otherwise).</summary>
public sealed record NoiseSetting(NoiseKind Kind, double Level)
{
    /// <summary><c>KIND:LEVEL</c>, e.g. <c>gaussian:0.3</c>, <c>salt_pepper:0.1</c>: how metric names carry the setting.</summary>
    public override string ToString() =>
        Noise.Name(Kind) + ":" + Level.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// PSNR (dB, see <see cref="ReconstructionMetrics.Psnr"/>) against the clean images of the noisy input and of the
/// model's output from it; the gain is what denoising buys.
/// </summary>
public sealed record DenoisingScore(NoiseSetting Setting, double NoisyPsnr, double DenoisedPsnr)
{
    public double GainDb => DenoisedPsnr - NoisyPsnr;
}

public static class DenoisingMetrics
{
    /// <summary>Corrupts <paramref name="clean"/> for each setting (one generator seeded with <paramref name="seed"/> per setting, so settings are independent of order) and scores the model's output.</summary>
    public static IReadOnlyList<DenoisingScore> Evaluate(
        IAutoencoder model, Tensor clean, IEnumerable<NoiseSetting> settings, long seed, int batchSize = Batched.DefaultBatchSize)
    {
        var scores = new List<DenoisingScore>();
        foreach (var setting in settings)
        {
            using var generator = new Generator((ulong)seed);
            using var noisy = Noise.Corrupt(clean, setting.Kind, setting.Level, generator);
            using var denoised = Batched.Reconstruct(model, noisy, batchSize);
            scores.Add(new DenoisingScore(setting,
                ReconstructionMetrics.Psnr(noisy, clean), ReconstructionMetrics.Psnr(denoised, clean)));
        }
        return scores;
    }
}
