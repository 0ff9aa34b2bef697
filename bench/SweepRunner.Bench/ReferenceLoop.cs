using System.Diagnostics;
using SweepRunner.Core.Trials;
using SweepRunner.Training.Data;
using SweepRunner.Training.Randomness;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Bench;

/// <summary>
/// The straightforward TorchSharp training loop the trainer is measured against: <c>Sequential</c> modules,
/// each batch gathered with <c>index_select</c>, stock <c>optim.Adam</c> with <c>zero_grad</c>. It draws the same
/// initial weights and visits the same batches as the trainer's first epoch for the same seed, so their losses can
/// be compared.
/// </summary>
internal static class ReferenceLoop
{
    public sealed record Result(double TrainingSeconds, double MeanTrainingLoss, double ValidationLoss);

    /// <summary>One epoch of the plain autoencoder <paramref name="config"/> describes (AE only), then its validation loss.</summary>
    public static Result TrainOneEpoch(TrialConfig config, ImageDataset data)
    {
        if (config.Model != ModelKind.Ae) throw new ArgumentException("the reference loop trains a plain AE", nameof(config));
        int[] encoderWidths = [data.Pixels, .. config.Hidden, config.LatentDim];
        int[] decoderWidths = [config.LatentDim, .. config.Hidden.Reverse(), data.Pixels];
        using var encoder = Stack(encoderWidths);
        using var decoder = Stack(decoderWidths);

        // Same generator, same order of layers and draws as the trainer's initialisation: identical starting weights.
        using (var generator = new Generator(SeedMixer.Mix(config.Seed, SeedMixer.WeightsStream)))
        using (no_grad())
        {
            foreach (var linear in encoder.modules().Concat(decoder.modules()).OfType<Linear>())
            {
                double bound = 1.0 / Math.Sqrt(linear.weight.shape[1]);
                linear.weight.uniform_(-bound, bound, generator);
                linear.bias!.uniform_(-bound, bound, generator);
            }
        }
        var parameters = encoder.parameters().Concat(decoder.parameters()).ToList();
        using var optimizer = optim.Adam(parameters, config.LearningRate);

        const int epoch = 1;
        var train = data.Train;
        var order = Enumerable.Range(0, (int)train.Count).Select(i => (long)i).ToArray();
        SeedMixer.Random(config.Seed, SeedMixer.EpochStream + epoch).Shuffle(order);

        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        for (int start = 0; start < order.Length; start += config.BatchSize)
        {
            using var scope = NewDisposeScope();
            int size = Math.Min(config.BatchSize, order.Length - start);
            var images = train.Images.index_select(0, tensor(order.AsSpan(start, size).ToArray()));
            optimizer.zero_grad();
            var logits = decoder.forward(encoder.forward(images));
            var loss = nn.functional.binary_cross_entropy_with_logits(logits, images, reduction: nn.Reduction.Sum) / size;
            lossSum += loss.item<float>() * size;
            loss.backward();
            optimizer.step();
        }
        double seconds = clock.Elapsed.TotalSeconds;

        double validationSum = 0;
        using (no_grad())
        {
            var validation = data.Validation.Images;
            for (long start = 0; start < validation.shape[0]; start += 1000)
            {
                using var scope = NewDisposeScope();
                var images = validation.narrow(0, start, Math.Min(1000, validation.shape[0] - start));
                var logits = decoder.forward(encoder.forward(images));
                validationSum += nn.functional.binary_cross_entropy_with_logits(logits, images, reduction: nn.Reduction.Sum).item<float>();
            }
        }
        return new Result(seconds, lossSum / order.Length, validationSum / data.Validation.Count);
    }

    /// <summary>Linear layers through <paramref name="widths"/>, a ReLU between each two (none after the last).</summary>
    private static Sequential Stack(int[] widths)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 1; i < widths.Length; i++)
        {
            if (i > 1) layers.Add(nn.ReLU());
            layers.Add(nn.Linear(widths[i - 1], widths[i]));
        }
        return nn.Sequential(layers);
    }
}
