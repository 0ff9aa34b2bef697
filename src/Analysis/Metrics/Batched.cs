using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Metrics;

/// <summary>Runs a model over many rows in batches without autograd, so evaluation memory stays bounded.</summary>
public static class Batched
{
    public const int DefaultBatchSize = 1000;

    /// <summary>Applies <paramref name="step"/> to consecutive row slices of <paramref name="rows"/> and concatenates the results.</summary>
    public static Tensor Map(Tensor rows, Func<Tensor, Tensor> step, int batchSize = DefaultBatchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be positive.");
        using var noGrad = no_grad();
        long count = rows.shape[0];
        var parts = new List<Tensor>();
        try
        {
            for (long start = 0; start < count; start += batchSize)
            {
                using var slice = rows.narrow(0, start, Math.Min(batchSize, count - start));
                parts.Add(step(slice).detach());
            }
            return parts.Count == 1 ? parts[0].alias() : cat(parts, 0);
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }

    /// <summary>The first <paramref name="limit"/> rows (a view), or all of them when the limit is null or not smaller.</summary>
    public static Tensor Head(Tensor rows, int? limit) =>
        limit is int n && n < rows.shape[0] ? rows.narrow(0, 0, n) : rows.alias();

    public static Tensor Encode(IAutoencoder model, Tensor images, int batchSize = DefaultBatchSize) =>
        Map(images, model.Encode, batchSize);

    public static Tensor Decode(IAutoencoder model, Tensor codes, int batchSize = DefaultBatchSize) =>
        Map(codes, model.Decode, batchSize);

    /// <summary>Decode(Encode(images)), batch by batch.</summary>
    public static Tensor Reconstruct(IAutoencoder model, Tensor images, int batchSize = DefaultBatchSize) =>
        Map(images, batch =>
        {
            using var codes = model.Encode(batch);
            return model.Decode(codes);
        }, batchSize);
}
