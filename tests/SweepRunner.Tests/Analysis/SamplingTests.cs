using SweepRunner.Analysis.Metrics;
using SweepRunner.Analysis.Sampling;
using Xunit;
using static TorchSharp.torch;

namespace SweepRunner.Tests.Analysis;

public class SamplingTests
{
    private static Tensor TwoClusters(Generator generator)
    {
        // 600 codes around (-5, 0) with spread (1, 0.3) and 400 around (5, 3) with a correlated spread.
        var left = randn([600, 2], generator: generator) * tensor(new float[] { 1f, 0.3f }) + tensor(new float[] { -5f, 0f });
        var raw = randn([400, 2], generator: generator);
        var right = raw.matmul(tensor(new float[] { 1f, 0.8f, 0f, 0.6f }, [2, 2])) + tensor(new float[] { 5f, 3f });
        return cat([left, right], 0);
    }

    [Theory]
    [InlineData(CovarianceKind.Full)]
    [InlineData(CovarianceKind.Diagonal)]
    public void Em_recovers_two_clusters_and_samples_follow_them(CovarianceKind covariance)
    {
        using var generator = new Generator(1);
        using var codes = TwoClusters(generator);
        using var mixture = GaussianMixtureSampler.Fit(codes, new GaussianMixtureOptions { Components = 2, Covariance = covariance, Seed = 4 });

        var order = mixture.Means.select(1, 0).argsort().data<long>().ToArray();
        using var means = mixture.Means.index_select(0, tensor(order));
        using var weights = mixture.Weights.index_select(0, tensor(order));
        Assert.True(means.allclose(tensor(new double[] { -5, 0, 5, 3 }, [2, 2]), rtol: 0, atol: 0.2));
        Assert.True(weights.allclose(tensor(new double[] { 0.6, 0.4 }), rtol: 0, atol: 0.01));

        using var samples = mixture.Sample(5000, new Generator(8));
        Assert.Equal([5000L, 2L], samples.shape);
        double leftShare = (samples.select(1, 0) < 0).to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(leftShare, 0.57, 0.63);
        using var again = mixture.Sample(5000, new Generator(8));
        Assert.True(samples.eq(again).all().item<bool>());
    }

    [Fact]
    public void Full_covariance_fits_correlated_codes_better_than_diagonal()
    {
        using var generator = new Generator(1);
        using var codes = TwoClusters(generator);
        using var full = GaussianMixtureSampler.Fit(codes, new GaussianMixtureOptions { Components = 2, Covariance = CovarianceKind.Full, Seed = 4 });
        using var diagonal = GaussianMixtureSampler.Fit(codes, new GaussianMixtureOptions { Components = 2, Covariance = CovarianceKind.Diagonal, Seed = 4 });
        Assert.True(full.LogLikelihood > diagonal.LogLikelihood + 0.1, $"full {full.LogLikelihood}, diagonal {diagonal.LogLikelihood}");
        Assert.Equal(full.LogLikelihood, full.MeanLogLikelihood(codes), 3);
    }

    [Fact]
    public void Prior_draws_standard_normal_codes()
    {
        var prior = new PriorSampler(4);
        using var codes = prior.Sample(20000, new Generator(3));
        Assert.Equal([20000L, 4L], codes.shape);
        Assert.True(codes.mean([0L]).abs().max().item<float>() < 0.03);
        Assert.True((codes.std([0L]) - 1).abs().max().item<float>() < 0.03);
    }

    [Fact]
    public void Too_few_codes_for_the_components_is_an_error()
    {
        using var codes = zeros(5, 2);
        var error = Assert.Throws<ArgumentException>(() => GaussianMixtureSampler.Fit(codes, new GaussianMixtureOptions { Components = 10 }));
        Assert.Contains("N >= 10", error.Message);
    }
}
