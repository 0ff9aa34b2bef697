using SweepRunner.Analysis.Sampling;
using SweepRunner.Core.Trials;
using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Tests.Analysis;

/// <summary>An autoencoder made of two functions, for metrics whose answer is known for that function.</summary>
internal sealed class FunctionAutoencoder(int latentDim, Func<Tensor, Tensor> encode, Func<Tensor, Tensor> decode) : IAutoencoder
{
    public ModelKind Kind => ModelKind.Ae;
    public int LatentDim => latentDim;
    public Tensor Encode(Tensor images) => encode(images);
    public Tensor Decode(Tensor codes) => decode(codes);
    public void Dispose() { }

    /// <summary>Codes are the images themselves.</summary>
    public static FunctionAutoencoder Identity(int pixels) => new(pixels, x => x.alias(), z => z.alias());
}

/// <summary>Hands out the given rows in order, so a metric sees exactly the codes a test chose.</summary>
internal sealed class FixedSampler(Tensor rows) : ILatentSampler
{
    public int LatentDim => (int)rows.shape[1];
    public Tensor Sample(int count, Generator generator) => rows.narrow(0, 0, count).alias();
}
