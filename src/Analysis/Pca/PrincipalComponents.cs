using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Pca;

/// <summary>
/// The mean and the top principal directions of a set of row vectors, found by an eigendecomposition of
/// their covariance in float64 (784x784 for images: far cheaper than an SVD of the data and exact enough).
/// </summary>
public sealed class PrincipalComponents : IDisposable
{
    /// <summary>[d] float32 mean of the fitted rows.</summary>
    public Tensor Mean { get; }
    /// <summary>[d, k] float32, orthonormal columns, largest variance first.</summary>
    public Tensor Directions { get; }
    /// <summary>Variance along each direction, largest first.</summary>
    public IReadOnlyList<double> Variances { get; }
    /// <summary>Share of the total variance the k directions keep.</summary>
    public double ExplainedVarianceRatio { get; }

    private PrincipalComponents(Tensor mean, Tensor directions, IReadOnlyList<double> variances, double explained)
    {
        Mean = mean;
        Directions = directions;
        Variances = variances;
        ExplainedVarianceRatio = explained;
    }

    public int Components => (int)Directions.shape[1];

    /// <param name="rows">[N, d] data, N &gt; 1.</param>
    /// <param name="components">k, 1..d.</param>
    public static PrincipalComponents Fit(Tensor rows, int components)
    {
        if (rows.dim() != 2 || rows.shape[0] < 2)
            throw new ArgumentException($"PCA needs a [N, d] matrix with N >= 2; got [{string.Join(", ", rows.shape)}].", nameof(rows));
        long dims = rows.shape[1];
        if (components < 1 || components > dims)
            throw new ArgumentOutOfRangeException(nameof(components), components, $"PCA components must be in 1..{dims}.");

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var data = rows.to_type(ScalarType.Float64);
        var mean = data.mean([0L]);
        var centred = data - mean;
        var covariance = centred.t().matmul(centred) / (rows.shape[0] - 1);
        // eigh returns ascending eigenvalues of a symmetric matrix; flip to take the largest first.
        var (eigenvalues, eigenvectors) = linalg.eigh(covariance);
        var top = arange(dims - 1, dims - 1 - components, -1, dtype: ScalarType.Int64);
        var variances = eigenvalues.index_select(0, top).clamp_min(0);
        var directions = eigenvectors.index_select(1, top);
        double total = eigenvalues.clamp_min(0).sum().item<double>();
        double kept = variances.sum().item<double>();
        var varianceList = variances.data<double>().ToArray();
        return new PrincipalComponents(
            mean.to_type(ScalarType.Float32).MoveToOuterDisposeScope(),
            directions.to_type(ScalarType.Float32).contiguous().MoveToOuterDisposeScope(),
            varianceList,
            total > 0 ? kept / total : 0);
    }

    /// <summary>[B, d] rows to [B, k] coordinates along the directions.</summary>
    public Tensor Project(Tensor rows) => (rows - Mean).matmul(Directions);

    /// <summary>[B, k] coordinates back to [B, d] rows (unclamped).</summary>
    public Tensor Reconstruct(Tensor coordinates) => coordinates.matmul(Directions.t()) + Mean;

    public void Dispose()
    {
        Mean.Dispose();
        Directions.Dispose();
    }
}
