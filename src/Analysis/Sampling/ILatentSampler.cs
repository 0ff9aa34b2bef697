using static TorchSharp.torch;

namespace SweepRunner.Analysis.Sampling;

/// <summary>Draws codes to decode into generated images.</summary>
public interface ILatentSampler
{
    int LatentDim { get; }
    /// <summary>[count, LatentDim] float32 codes, all randomness from <paramref name="generator"/>.</summary>
    Tensor Sample(int count, Generator generator);
}

/// <summary>The standard normal prior N(0, I): what a VAE is trained towards; for a plain AE a naive baseline.</summary>
public sealed class PriorSampler(int latentDim) : ILatentSampler
{
    public int LatentDim { get; } = latentDim > 0 ? latentDim : throw new ArgumentOutOfRangeException(nameof(latentDim), latentDim, "Latent size must be positive.");

    public Tensor Sample(int count, Generator generator) => randn([count, LatentDim], generator: generator);
}
