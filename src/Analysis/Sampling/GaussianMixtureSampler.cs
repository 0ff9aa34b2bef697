using static TorchSharp.torch;

namespace SweepRunner.Analysis.Sampling;

public enum CovarianceKind { Diagonal, Full }

public sealed record GaussianMixtureOptions
{
    public int Components { get; init; } = 10;
    public CovarianceKind Covariance { get; init; } = CovarianceKind.Full;
    public int MaxIterations { get; init; } = 200;
    /// <summary>EM stops when the mean log-likelihood per code improves by less than this.</summary>
    public double Tolerance { get; init; } = 1e-5;
    /// <summary>Added to every variance so a component that collapses onto few codes stays invertible.</summary>
    public double Regularisation { get; init; } = 1e-6;
    public long Seed { get; init; } = 1;
}

/// <summary>
/// Ex-post density estimation (Ghosh et al. 2020; pythae's GMM sampler): a Gaussian mixture fitted by EM to the
/// training codes of a trained model, sampled instead of the prior. Works for any autoencoder, whose codes need not
/// look like N(0, I). EM runs in float64; it starts from randomly chosen codes as means (seeded), the data's
/// per-dimension variance as every covariance, and equal weights.
/// </summary>
public sealed class GaussianMixtureSampler : ILatentSampler, IDisposable
{
    /// <summary>[K] mixing weights.</summary>
    public Tensor Weights { get; }
    /// <summary>[K, d] means.</summary>
    public Tensor Means { get; }
    /// <summary>[K, d] variances (diagonal) or [K, d, d] covariances (full).</summary>
    public Tensor Covariances { get; }
    public CovarianceKind Covariance { get; }
    public int Iterations { get; }
    /// <summary>Mean log-likelihood per training code at the end of EM.</summary>
    public double LogLikelihood { get; }

    /// <summary>Lower-triangular Cholesky factors (full) or standard deviations (diagonal), for sampling.</summary>
    private readonly Tensor _scales;

    private GaussianMixtureSampler(Tensor weights, Tensor means, Tensor covariances, Tensor scales, CovarianceKind covariance, int iterations, double logLikelihood)
    {
        Weights = weights;
        Means = means;
        Covariances = covariances;
        Covariance = covariance;
        Iterations = iterations;
        LogLikelihood = logLikelihood;
        _scales = scales;
    }

    public int LatentDim => (int)Means.shape[1];
    public int Components => (int)Means.shape[0];

    /// <param name="codes">[N, d] training codes, N &gt;= components.</param>
    public static GaussianMixtureSampler Fit(Tensor codes, GaussianMixtureOptions? options = null)
    {
        options ??= new GaussianMixtureOptions();
        int k = options.Components;
        if (codes.dim() != 2 || codes.shape[0] < k || k < 1)
            throw new ArgumentException($"A {k}-component mixture needs [N, d] codes with N >= {k}; got [{string.Join(", ", codes.shape)}].", nameof(codes));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)options.Seed);
        var x = codes.to_type(ScalarType.Float64);
        long n = x.shape[0], d = x.shape[1];

        var means = x.index_select(0, randperm(n, generator: generator).narrow(0, 0, k));
        var dataVariance = x.var([0L]) + options.Regularisation;
        var covariances = options.Covariance == CovarianceKind.Full
            ? dataVariance.diag().unsqueeze(0).repeat(k, 1, 1)
            : dataVariance.unsqueeze(0).repeat(k, 1);
        var weights = full([k], 1.0 / k, dtype: ScalarType.Float64);

        double previous = double.NegativeInfinity, current = double.NegativeInfinity;
        int iteration = 0;
        while (iteration < options.MaxIterations)
        {
            iteration++;
            using var stepScope = NewDisposeScope();
            // E step: responsibilities from log densities, normalised with log-sum-exp for stability.
            var logJoint = LogDensities(x, means, covariances, options.Covariance) + weights.log().unsqueeze(0);
            var logNormaliser = logJoint.logsumexp(1, keepdim: true);
            current = logNormaliser.mean().item<double>();
            var responsibilities = (logJoint - logNormaliser).exp();

            // M step.
            var mass = responsibilities.sum([0L]) + 1e-12;
            var newWeights = mass / n;
            var newMeans = responsibilities.t().matmul(x) / mass.unsqueeze(1);
            Tensor newCovariances;
            if (options.Covariance == CovarianceKind.Full)
            {
                var centred = x.unsqueeze(0) - newMeans.unsqueeze(1); // [K, N, d]
                var weighted = centred * responsibilities.t().unsqueeze(2);
                newCovariances = weighted.transpose(1, 2).matmul(centred) / mass.reshape(k, 1, 1)
                                 + options.Regularisation * eye(d, dtype: ScalarType.Float64);
            }
            else
            {
                newCovariances = (responsibilities.t().matmul(x.square()) / mass.unsqueeze(1) - newMeans.square()).clamp_min(0)
                                 + options.Regularisation;
            }
            weights = newWeights.MoveToOuterDisposeScope();
            means = newMeans.MoveToOuterDisposeScope();
            covariances = newCovariances.MoveToOuterDisposeScope();
            if (current - previous < options.Tolerance) break;
            previous = current;
        }
        var scales = options.Covariance == CovarianceKind.Full ? linalg.cholesky(covariances) : covariances.sqrt();
        return new GaussianMixtureSampler(weights.MoveToOuterDisposeScope(), means.MoveToOuterDisposeScope(),
            covariances.MoveToOuterDisposeScope(), scales.MoveToOuterDisposeScope(), options.Covariance, iteration, current);
    }

    /// <summary>Mean log-likelihood per row of <paramref name="codes"/> under the mixture.</summary>
    public double MeanLogLikelihood(Tensor codes)
    {
        using var scope = NewDisposeScope();
        var x = codes.to_type(ScalarType.Float64);
        var logJoint = LogDensities(x, Means, Covariances, Covariance) + Weights.log().unsqueeze(0);
        return logJoint.logsumexp(1).mean().item<double>();
    }

    public Tensor Sample(int count, Generator generator)
    {
        using var scope = NewDisposeScope();
        var component = multinomial(Weights, count, replacement: true, generator: generator);
        var noise = randn([count, LatentDim], dtype: ScalarType.Float64, generator: generator);
        var spread = Covariance == CovarianceKind.Full
            ? _scales.index_select(0, component).matmul(noise.unsqueeze(2)).squeeze(2)
            : _scales.index_select(0, component) * noise;
        return (Means.index_select(0, component) + spread).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>[N, K] log N(x_n | μ_k, Σ_k).</summary>
    private static Tensor LogDensities(Tensor x, Tensor means, Tensor covariances, CovarianceKind kind)
    {
        long d = x.shape[1];
        var centred = x.unsqueeze(1) - means.unsqueeze(0); // [N, K, d]
        Tensor mahalanobis, logDeterminant;
        if (kind == CovarianceKind.Full)
        {
            var cholesky = linalg.cholesky(covariances); // [K, d, d]
            // Solve L y = (x - μ) per component; |y|² is the Mahalanobis distance.
            var solved = linalg.solve_triangular(cholesky.unsqueeze(0), centred.unsqueeze(3), upper: false).squeeze(3);
            mahalanobis = solved.square().sum([2L]);
            logDeterminant = 2 * cholesky.diagonal(dim1: 1, dim2: 2).log().sum([1L]);
        }
        else
        {
            mahalanobis = (centred.square() / covariances.unsqueeze(0)).sum([2L]);
            logDeterminant = covariances.log().sum([1L]);
        }
        return -0.5 * (mahalanobis + logDeterminant.unsqueeze(0) + d * Math.Log(2 * Math.PI));
    }

    public void Dispose()
    {
        Weights.Dispose();
        Means.Dispose();
        Covariances.Dispose();
        _scales.Dispose();
    }
}
