using SweepRunner.Core.Trials;
using TorchSharp;

namespace SweepRunner.Training.Models;

/// <summary>What evaluation and figures need from a trained model, whatever its kind (AE, DAE, VAE, PCA).</summary>
public interface IAutoencoder : IDisposable
{
    ModelKind Kind { get; }
    int LatentDim { get; }
    /// <summary>[B, 784] images in 0..1 to [B, k] codes (for a VAE: the posterior mean).</summary>
    torch.Tensor Encode(torch.Tensor images);
    /// <summary>[B, k] codes to [B, 784] pixel intensities in 0..1.</summary>
    torch.Tensor Decode(torch.Tensor codes);
}
