using SweepRunner.Core.Trials;
using SweepRunner.Training.Data;
using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Training;

/// <summary>
/// The per-sample split metrics every model kind reports (<c>split_loss</c>, <c>split_recon</c>, <c>split_mse</c>, and for
/// a VAE <c>split_kl</c>, <c>split_elbo</c>; see <see cref="TrialTrainer"/> for their definitions), from per-batch sums.
/// One implementation for trained networks and for models fitted otherwise (PCA), so their numbers compare.
/// </summary>
public static class SplitMetrics
{
    /// <param name="sumsOf">(clean batch, objective input) to summed terms; e.g. <see cref="AutoencoderModel.Evaluate"/> or <see cref="ReconstructionSums"/>.</param>
    /// <param name="corrupt">Makes the objective's input from a clean batch (a DAE's fixed noise); null uses the clean batch.</param>
    /// <param name="name">Names a measure for the split, e.g. <see cref="MetricNames.Test"/>.</param>
    public static Dictionary<string, double> Measure(
        Func<Tensor, Tensor, EvaluationSums> sumsOf, ImageSplit split, Func<string, string> name, Func<Tensor, Tensor>? corrupt,
        int batchSize, CancellationToken ct)
    {
        using var noGrad = no_grad();
        double objective = 0, recon = 0, squaredError = 0, kl = 0;
        bool hasKl = false;
        long count = split.Count;
        for (long start = 0; start < count; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var clean = split.Images.narrow(0, start, Math.Min(batchSize, count - start));
            var input = corrupt is null ? clean : corrupt(clean);
            var sums = sumsOf(clean, input);
            objective += sums.Objective;
            recon += sums.Recon;
            squaredError += sums.SquaredError;
            if (sums.Kl is { } batchKl)
            {
                kl += batchKl;
                hasKl = true;
            }
        }

        var metrics = new Dictionary<string, double>
        {
            [name("loss")] = objective / count,
            [name("recon")] = recon / count,
            [name("mse")] = squaredError / (count * split.Images.shape[1]),
        };
        if (hasKl)
        {
            metrics[name("kl")] = kl / count;
            metrics[name("elbo")] = -(recon + kl) / count;
        }
        return metrics;
    }

    /// <summary>
    /// Sums for a model that only encodes and decodes (no objective of its own, e.g. PCA): the objective is the
    /// reconstruction BCE of <paramref name="objectiveInput"/>, with the log clamped as torch's BCE does so pixels of
    /// exactly 0 or 1 stay finite.
    /// </summary>
    public static EvaluationSums ReconstructionSums(IAutoencoder model, Tensor clean, Tensor objectiveInput)
    {
        var reconstruction = model.Decode(model.Encode(clean));
        double recon = nn.functional.binary_cross_entropy(reconstruction, clean, reduction: nn.Reduction.Sum).item<float>();
        double objective = ReferenceEquals(objectiveInput, clean)
            ? recon
            : nn.functional.binary_cross_entropy(model.Decode(model.Encode(objectiveInput)), clean, reduction: nn.Reduction.Sum).item<float>();
        double squaredError = (reconstruction - clean).square().sum().item<float>();
        return new EvaluationSums(objective, recon, squaredError, Kl: null);
    }
}
