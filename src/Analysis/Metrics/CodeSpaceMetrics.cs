using SweepRunner.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Metrics;

/// <summary>How much class information a representation keeps: accuracies in 0..1 of two simple classifiers on it.</summary>
public sealed record ProbeScores(double LinearProbeAccuracy, double KnnAccuracy);

/// <summary>
/// Linear-probe and k-nearest-neighbour accuracy of codes (or of raw pixels, the reference). Both train on the
/// train rows and are measured on the test rows; neither sees the test labels.
/// </summary>
public static class CodeSpaceMetrics
{
    public const int DefaultNeighbours = 5;

    /// <summary>Encodes both splits with the model and probes the codes.</summary>
    public static ProbeScores Evaluate(IAutoencoder model, Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels,
        LinearProbeOptions? probe = null)
    {
        using var trainCodes = Batched.Encode(model, trainImages);
        using var testCodes = Batched.Encode(model, testImages);
        return Probe(trainCodes, trainLabels, testCodes, testLabels, probe);
    }

    /// <summary>Probes any features, e.g. raw pixels for the reference figures.</summary>
    public static ProbeScores Probe(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels, LinearProbeOptions? probe = null) =>
        new(LinearProbeAccuracy(trainFeatures, trainLabels, testFeatures, testLabels, probe),
            KnnAccuracy(trainFeatures, trainLabels, testFeatures, testLabels));

    /// <summary>
    /// Multinomial logistic regression (softmax over a linear map of standardised features, small L2 penalty), fitted
    /// full-batch with Adam from zero weights, so the result is deterministic; then accuracy on the test rows.
    /// </summary>
    public static double LinearProbeAccuracy(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels, LinearProbeOptions? options = null)
    {
        options ??= new LinearProbeOptions();
        CheckRows(trainFeatures, trainLabels, testFeatures, testLabels);
        using var scope = NewDisposeScope();
        int classes = (int)Math.Max(trainLabels.max().item<long>(), testLabels.max().item<long>()) + 1;
        var mean = trainFeatures.mean([0L]);
        // Constant features (e.g. border pixels) have zero spread; dividing by 1 there leaves them at 0.
        var std = trainFeatures.std([0L]);
        std = where(std > 1e-6, std, ones_like(std));
        var train = (trainFeatures - mean) / std;
        var test = (testFeatures - mean) / std;

        var weights = new Parameter(zeros([train.shape[1], classes]));
        var bias = new Parameter(zeros([classes]));
        var optimizer = optim.Adam([weights, bias], lr: options.LearningRate, weight_decay: options.L2);
        for (int step = 0; step < options.Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(train.matmul(weights) + bias, trainLabels);
            loss.backward();
            optimizer.step();
        }
        using var noGrad = no_grad();
        var predicted = (test.matmul(weights) + bias).argmax(1);
        return predicted.eq(testLabels).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>
    /// Majority vote of the <paramref name="neighbours"/> nearest train rows (Euclidean); a tied vote goes to the
    /// class whose tied members are nearest (the nearest neighbour's class among the tied classes).
    /// </summary>
    public static double KnnAccuracy(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels,
        int neighbours = DefaultNeighbours, int batchSize = 500)
    {
        CheckRows(trainFeatures, trainLabels, testFeatures, testLabels);
        if (neighbours < 1 || neighbours > trainFeatures.shape[0])
            throw new ArgumentOutOfRangeException(nameof(neighbours), neighbours, $"k must be in 1..{trainFeatures.shape[0]}.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int classes = (int)Math.Max(trainLabels.max().item<long>(), testLabels.max().item<long>()) + 1;
        var train = trainFeatures.to_type(ScalarType.Float32);
        var trainSquared = train.square().sum([1L]);
        long correct = 0;
        for (long start = 0; start < testFeatures.shape[0]; start += batchSize)
        {
            using var batchScope = NewDisposeScope();
            long size = Math.Min(batchSize, testFeatures.shape[0] - start);
            var query = testFeatures.narrow(0, start, size).to_type(ScalarType.Float32);
            // ||q - t||² = ||q||² - 2 q·t + ||t||²; ||q||² is the same for every t of one query, so it is left out.
            var distances = trainSquared.unsqueeze(0) - 2 * query.matmul(train.t());
            var nearest = distances.topk(neighbours, dim: 1, largest: false, sorted: true).indexes;
            var nearestLabels = trainLabels.index_select(0, nearest.flatten()).reshape(size, neighbours);
            // Votes weighted 1 + a rank bonus below 1/k: counts decide, and among tied counts the nearer neighbour wins.
            var rankBonus = (arange(neighbours, 0, -1, dtype: ScalarType.Float32) / (neighbours * (neighbours + 1))).expand(size, neighbours);
            var votes = zeros([size, classes], dtype: ScalarType.Float32).scatter_add_(1, nearestLabels, 1 + rankBonus);
            correct += votes.argmax(1).eq(testLabels.narrow(0, start, size)).sum().item<long>();
        }
        return (double)correct / testFeatures.shape[0];
    }

    private static void CheckRows(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels)
    {
        if (trainFeatures.dim() != 2 || testFeatures.dim() != 2 || trainFeatures.shape[1] != testFeatures.shape[1])
            throw new ArgumentException($"Features must be [N, d] with one d; got [{string.Join(", ", trainFeatures.shape)}] and [{string.Join(", ", testFeatures.shape)}].");
        if (trainLabels.shape[0] != trainFeatures.shape[0] || testLabels.shape[0] != testFeatures.shape[0])
            throw new ArgumentException("Each split needs one label per feature row.");
    }
}

/// <summary>Fitting settings of the linear probe; the defaults converge on 784 standardised pixels within a few hundred full-batch steps.</summary>
public sealed record LinearProbeOptions
{
    public int Steps { get; init; } = 300;
    public double LearningRate { get; init; } = 0.01;
    public double L2 { get; init; } = 1e-4;
}
