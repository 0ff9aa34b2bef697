using Xunit;
using SweepRunner.Analysis.Metrics;
using static TorchSharp.torch;

namespace SweepRunner.Tests.Analysis;

public class ReconstructionMetricsTests
{
    [Fact]
    public void Identical_images_give_zero_mse_and_the_capped_psnr()
    {
        using var images = tensor(new float[] { 0f, 0.5f, 1f, 0.25f, 0f, 0.5f, 1f, 0.25f }, [2, 4]);
        var scores = ReconstructionMetrics.Compare(images, images);
        Assert.Equal(0, scores.Mse);
        Assert.Equal(ReconstructionMetrics.MaxPsnrDb, scores.Psnr, 9);
        Assert.True(double.IsFinite(scores.Bce));
    }

    [Fact]
    public void Values_match_hand_computed_ones()
    {
        // Image 1: every pixel off by 0.1 (4 pixels); image 2: every pixel off by 0.2.
        using var target = tensor(new float[] { 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f }, [2, 4]);
        using var estimate = tensor(new float[] { 0.6f, 0.4f, 0.6f, 0.4f, 0.7f, 0.3f, 0.7f, 0.3f }, [2, 4]);
        var scores = ReconstructionMetrics.Compare(estimate, target);

        Assert.Equal((4 * 0.01 + 4 * 0.04) / 2, scores.Mse, 5);
        Assert.Equal((20.0 + 10 * Math.Log10(1 / 0.04)) / 2, scores.Psnr, 4);
        double bcePixel(double p) => -(0.5 * Math.Log(p) + 0.5 * Math.Log(1 - p));
        Assert.Equal((4 * bcePixel(0.6) + 4 * bcePixel(0.7)) / 2, scores.Bce, 4);
    }

    [Fact]
    public void Bce_stays_finite_when_a_confident_pixel_is_wrong()
    {
        using var target = tensor(new float[] { 1f, 0f }, [1, 2]);
        using var estimate = tensor(new float[] { 0f, 1f }, [1, 2]);
        Assert.Equal(200, ReconstructionMetrics.Bce(estimate, target), 6);
    }

    [Fact]
    public void Mismatched_shapes_are_rejected()
    {
        using var a = zeros(2, 4);
        using var b = zeros(2, 5);
        Assert.Throws<ArgumentException>(() => ReconstructionMetrics.Mse(a, b));
    }
}
