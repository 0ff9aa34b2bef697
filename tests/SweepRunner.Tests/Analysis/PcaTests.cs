using Xunit;
using SweepRunner.Analysis.Metrics;
using SweepRunner.Analysis.Pca;
using SweepRunner.Core.Trials;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SweepRunner.Tests.Analysis;

public class PcaTests(ITestOutputHelper output)
{
    [Fact]
    public void Thirty_components_on_mnist_match_hinton_salakhutdinov_2006()
    {
        var all = TestData.Load(TestData.MnistTestFolder, "t10k", 10_000);
        using var fitImages = all.Images.narrow(0, 0, 5000);
        using var heldOut = all.Images.narrow(0, 5000, 5000);
        using var pca = PcaModel.Fit(fitImages, 30);

        var scores = ReconstructionMetrics.Evaluate(pca, heldOut);
        using var components = PrincipalComponents.Fit(fitImages, 30);
        using var unclamped = components.Reconstruct(components.Project(heldOut));
        double unclampedMse = ReconstructionMetrics.Mse(unclamped, heldOut);
        output.WriteLine($"PCA-30 held-out MSE (sum over 784 pixels): {scores.Mse:F2} clamped decode, {unclampedMse:F2} unclamped; explained variance {pca.ExplainedVarianceRatio:F3}");

        Assert.Equal(ModelKind.Pca, pca.Kind);
        Assert.Equal(30, pca.LatentDim);
        // Published: 13.87 (fitted on the 60k training set). Fitting on 5k test images and clamping the
        // decode shifts it slightly; 10% covers that and still rules out a wrong projection or scaling.
        Assert.InRange(scores.Mse, 13.87 * 0.9, 13.87 * 1.1);
        // Clamping to 0..1 moves each pixel towards its 0..1 target, so it can only lower the error.
        Assert.True(scores.Mse <= unclampedMse);
    }

    [Fact]
    public void Full_rank_pca_reconstructs_exactly_and_codes_are_decorrelated()
    {
        using var generator = new Generator(7);
        using var images = rand([200, 12], generator: generator);
        using var pca = PcaModel.Fit(images, 12);
        using var codes = pca.Encode(images);
        using var decoded = pca.Decode(codes);

        Assert.True(decoded.allclose(images, rtol: 0, atol: 1e-4));
        // Principal coordinates are uncorrelated and ordered by variance.
        using var covariance = codes.t().matmul(codes) / 199;
        var variances = covariance.diag().data<float>().ToArray();
        using var offDiagonal = covariance - covariance.diag().diag();
        Assert.True(offDiagonal.abs().max().item<float>() < 1e-4);
        Assert.Equal(variances.OrderByDescending(v => v), variances);
        Assert.Equal(1.0, pca.ExplainedVarianceRatio, 6);
    }
}
