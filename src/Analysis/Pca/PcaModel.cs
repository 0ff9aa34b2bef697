using SweepRunner.Core.Trials;
using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Pca;

/// <summary>
/// The linear baseline: codes are the coordinates along the top-k principal components of the training
/// images. <see cref="Decode"/> clamps to 0..1 so pixel metrics (BCE, PSNR) see valid intensities, as every
/// other <see cref="IAutoencoder"/> returns; the clamp can only lower the squared error against 0..1 images.
/// </summary>
public sealed class PcaModel : IAutoencoder
{
    private readonly PrincipalComponents _components;

    private PcaModel(PrincipalComponents components) => _components = components;

    public ModelKind Kind => ModelKind.Pca;
    public int LatentDim => _components.Components;
    public double ExplainedVarianceRatio => _components.ExplainedVarianceRatio;

    /// <param name="trainImages">[N, pixels] images in 0..1.</param>
    /// <param name="latentDim">Number of principal components kept.</param>
    public static PcaModel Fit(Tensor trainImages, int latentDim) => new(PrincipalComponents.Fit(trainImages, latentDim));

    public Tensor Encode(Tensor images)
    {
        using var noGrad = no_grad();
        return _components.Project(images);
    }

    public Tensor Decode(Tensor codes)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _components.Reconstruct(codes).clamp(0, 1).MoveToOuterDisposeScope();
    }

    public void Dispose() => _components.Dispose();
}
