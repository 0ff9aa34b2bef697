using static TorchSharp.torch;

namespace SweepRunner.Analysis.Metrics;

/// <summary>Mean [d] and covariance [d, d] of a feature set, float64.</summary>
public sealed class GaussianStatistics : IDisposable
{
    public Tensor Mean { get; }
    public Tensor Covariance { get; }

    public GaussianStatistics(Tensor mean, Tensor covariance)
    {
        Mean = mean;
        Covariance = covariance;
    }

    /// <param name="features">[N, d], N &gt;= 2.</param>
    public static GaussianStatistics Of(Tensor features)
    {
        if (features.dim() != 2 || features.shape[0] < 2)
            throw new ArgumentException($"Need [N, d] features with N >= 2; got [{string.Join(", ", features.shape)}].", nameof(features));
        using var scope = NewDisposeScope();
        var rows = features.to_type(ScalarType.Float64);
        var mean = rows.mean([0L]);
        var centred = rows - mean;
        var covariance = centred.t().matmul(centred) / (rows.shape[0] - 1);
        return new GaussianStatistics(mean.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        Mean.Dispose();
        Covariance.Dispose();
    }
}

/// <summary>
/// Fréchet distance between Gaussians fitted to two feature sets (the FID recipe with our own classifier's features):
/// |μa − μb|² + tr(Σa) + tr(Σb) − 2 tr((Σa Σb)^½). The trace of the square root is taken from the eigenvalues of the
/// symmetric product Σa^½ Σb Σa^½ (same spectrum as Σa Σb), so only symmetric eigendecompositions are needed, in float64.
/// </summary>
public static class FrechetDistance
{
    public static double Between(Tensor featuresA, Tensor featuresB)
    {
        using var a = GaussianStatistics.Of(featuresA);
        using var b = GaussianStatistics.Of(featuresB);
        return Between(a, b);
    }

    public static double Between(GaussianStatistics a, GaussianStatistics b)
    {
        using var scope = NewDisposeScope();
        var meanTerm = (a.Mean - b.Mean).square().sum().item<double>();
        var sqrtA = SymmetricSquareRoot(a.Covariance);
        var product = sqrtA.matmul(b.Covariance).matmul(sqrtA);
        // Symmetrise: rounding makes the product very slightly asymmetric, and eigh reads one triangle only.
        product = (product + product.t()) / 2;
        var traceSqrt = linalg.eigvalsh(product).clamp_min(0).sqrt().sum().item<double>();
        double distance = meanTerm + a.Covariance.trace().item<double>() + b.Covariance.trace().item<double>() - 2 * traceSqrt;
        // Tiny negative values are rounding noise on identical sets.
        return Math.Max(distance, 0);
    }

    private static Tensor SymmetricSquareRoot(Tensor symmetric)
    {
        var (values, vectors) = linalg.eigh(symmetric);
        return vectors.matmul(values.clamp_min(0).sqrt().diag()).matmul(vectors.t());
    }
}
