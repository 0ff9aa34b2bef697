using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Metrics;

/// <summary>
/// Per-image reconstruction errors for images in 0..1, averaged over images.
/// BCE and MSE are summed over the pixels of an image (the convention of Hinton &amp; Salakhutdinov 2006,
/// whose 30-component PCA on MNIST scores an MSE of 13.87); PSNR uses the per-pixel mean squared error
/// with peak 1 and is capped at <see cref="MaxPsnrDb"/> so identical images give a finite number.
/// </summary>
public sealed record ReconstructionScores(double Bce, double Mse, double Psnr);

public static class ReconstructionMetrics
{
    /// <summary>PSNR reported for an exact reconstruction (and the ceiling for any image).</summary>
    public const double MaxPsnrDb = 100.0;

    /// <summary>Keeps log() finite where a reconstruction pixel is exactly 0 or 1, as torch's BCE does by clamping the log.</summary>
    private const double LogFloor = -100.0;

    public static ReconstructionScores Evaluate(IAutoencoder model, Tensor images, int batchSize = Batched.DefaultBatchSize)
    {
        using var reconstructions = Batched.Reconstruct(model, images, batchSize);
        return Compare(reconstructions, images);
    }

    /// <summary>Scores <paramref name="estimate"/> against <paramref name="target"/>, both [N, pixels] in 0..1.</summary>
    public static ReconstructionScores Compare(Tensor estimate, Tensor target) =>
        new(Bce(estimate, target), Mse(estimate, target), Psnr(estimate, target));

    /// <summary>Binary cross-entropy summed over pixels, mean over images (nats).</summary>
    public static double Bce(Tensor estimate, Tensor target)
    {
        CheckSameShape(estimate, target);
        using var scope = NewDisposeScope();
        var p = estimate.to_type(ScalarType.Float64);
        var t = target.to_type(ScalarType.Float64);
        var perPixel = -(t * p.log().clamp_min(LogFloor) + (1 - t) * (1 - p).log().clamp_min(LogFloor));
        return perPixel.sum([1L]).mean().item<double>();
    }

    /// <summary>Squared error summed over pixels, mean over images.</summary>
    public static double Mse(Tensor estimate, Tensor target)
    {
        CheckSameShape(estimate, target);
        using var scope = NewDisposeScope();
        var diff = estimate.to_type(ScalarType.Float64) - target.to_type(ScalarType.Float64);
        return diff.square().sum([1L]).mean().item<double>();
    }

    /// <summary>Mean over images of 10·log10(1 / per-pixel MSE) in dB (peak intensity 1), each image capped at <see cref="MaxPsnrDb"/>.</summary>
    public static double Psnr(Tensor estimate, Tensor target)
    {
        CheckSameShape(estimate, target);
        using var scope = NewDisposeScope();
        var diff = estimate.to_type(ScalarType.Float64) - target.to_type(ScalarType.Float64);
        var perImageMse = diff.square().mean([1L]);
        // 10^(-MaxPsnr/10) is the MSE at the cap; flooring there keeps log10 finite for identical images.
        var floored = perImageMse.clamp_min(Math.Pow(10, -MaxPsnrDb / 10));
        return (-10.0 * floored.log10()).mean().item<double>();
    }

    private static void CheckSameShape(Tensor estimate, Tensor target)
    {
        if (!estimate.shape.SequenceEqual(target.shape) || estimate.dim() != 2)
            throw new ArgumentException(
                $"Expected two [N, pixels] tensors of one shape; got [{string.Join(", ", estimate.shape)}] and [{string.Join(", ", target.shape)}].");
    }
}
