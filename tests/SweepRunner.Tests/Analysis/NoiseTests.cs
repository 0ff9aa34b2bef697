using Xunit;
using SweepRunner.Analysis.Metrics;
using SweepRunner.Analysis.Pca;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using SweepRunner.Training.Data;
using static TorchSharp.torch;

namespace SweepRunner.Tests.Analysis;

public class NoiseTests
{
    [Theory]
    [InlineData("gaussian", NoiseKind.Gaussian)]
    [InlineData("masking", NoiseKind.Masking)]
    [InlineData("salt_pepper", NoiseKind.SaltPepper)]
    public void Names_round_trip(string name, NoiseKind kind)
    {
        Assert.Equal(kind, ParameterCatalog.NoiseKinds[name]);
        Assert.Equal(name, Noise.Name(kind));
    }

    [Theory]
    [InlineData(NoiseKind.Masking, 1.5)]
    [InlineData(NoiseKind.SaltPepper, -0.1)]
    [InlineData(NoiseKind.Gaussian, -1)]
    public void Out_of_range_levels_are_rejected_naming_the_kind(NoiseKind kind, double level)
    {
        using var clean = full(2, 4, 0.5f);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Noise.Corrupt(clean, kind, level, new Generator(1)));
        Assert.Contains(Noise.Name(kind), error.Message);
    }

    [Fact]
    public void Masking_zeroes_about_the_given_share_and_is_reproducible()
    {
        using var clean = full(100, 784, 0.5f);
        using var first = Noise.Corrupt(clean, NoiseKind.Masking, 0.3, new Generator(1));
        using var again = Noise.Corrupt(clean, NoiseKind.Masking, 0.3, new Generator(1));
        using var other = Noise.Corrupt(clean, NoiseKind.Masking, 0.3, new Generator(2));

        double zeroShare = first.eq(0).to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(zeroShare, 0.28, 0.32);
        Assert.True(first.eq(again).all().item<bool>());
        Assert.False(first.eq(other).all().item<bool>());
        Assert.True(first.ne(0).logical_and(first.ne(0.5f)).sum().item<long>() == 0);
    }

    [Fact]
    public void Salt_pepper_sets_the_share_to_black_or_white_evenly()
    {
        using var clean = full(100, 784, 0.5f);
        using var noisy = Noise.Corrupt(clean, NoiseKind.SaltPepper, 0.2, new Generator(3));
        double black = noisy.eq(0).to_type(ScalarType.Float64).mean().item<double>();
        double white = noisy.eq(1).to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(black, 0.09, 0.11);
        Assert.InRange(white, 0.09, 0.11);
    }

    [Fact]
    public void Gaussian_noise_has_the_given_spread_and_stays_in_range()
    {
        using var clean = full(100, 784, 0.5f);
        using var noisy = Noise.Corrupt(clean, NoiseKind.Gaussian, 0.1, new Generator(4));
        // At std 0.1 around 0.5 the clamp almost never acts, so the spread is the std itself.
        Assert.InRange((noisy - clean).std().item<float>(), 0.095, 0.105);
        Assert.True(noisy.min().item<float>() >= 0 && noisy.max().item<float>() <= 1);
    }

    [Fact]
    public void Pca_denoises_gaussian_noise_on_mnist()
    {
        var data = TestData.Load(TestData.MnistTestFolder, "t10k", 3000);
        using var pca = PcaModel.Fit(data.Images.narrow(0, 0, 2000), 30);
        using var clean = data.Images.narrow(0, 2000, 1000);
        var scores = DenoisingMetrics.Evaluate(pca, clean, [new(NoiseKind.Gaussian, 0.1), new(NoiseKind.Gaussian, 0.3), new(NoiseKind.Gaussian, 0.5)], seed: 11);

        Assert.Equal([0.1, 0.3, 0.5], scores.Select(s => s.Setting.Level));
        // More noise, worse input; projecting onto 30 components discards most of strong noise.
        Assert.True(scores[0].NoisyPsnr > scores[1].NoisyPsnr && scores[1].NoisyPsnr > scores[2].NoisyPsnr);
        Assert.True(scores[2].GainDb > 3, $"gain at std 0.5 was {scores[2].GainDb:F2} dB");
        var repeat = DenoisingMetrics.Evaluate(pca, clean, [new(NoiseKind.Gaussian, 0.5)], seed: 11);
        Assert.Equal(scores[2].DenoisedPsnr, repeat[0].DenoisedPsnr);
    }
}
