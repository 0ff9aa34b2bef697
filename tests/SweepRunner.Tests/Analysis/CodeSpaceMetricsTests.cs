using SweepRunner.Analysis.Metrics;
using SweepRunner.Analysis.Pca;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SweepRunner.Tests.Analysis;

public class CodeSpaceMetricsTests(ITestOutputHelper output)
{
    [Fact]
    public void Knn_takes_the_majority_and_breaks_ties_by_the_nearest()
    {
        using var train = tensor(new float[] { 0f, 1f, 2f, 10f, 11f, 30f }, [6, 1]);
        using var trainLabels = tensor(new long[] { 0, 0, 0, 1, 1, 2 });
        // k=5: 0.5 -> three class-0 votes (right); 10.4 -> 10, 11 and then 2, 1, 0 outvote class 1 (wrong);
        // 5.9 -> 2, 10, 1, 11, 0: class 0 wins (right).
        // k=2: 0.5 -> 0, 1 (right); 10.4 -> 10, 11 (right); 5.9 -> 2 (at 3.9) and 10 (at 4.1) tie, the nearer class 0 wins (right).
        using var test = tensor(new float[] { 0.5f, 10.4f, 5.9f }, [3, 1]);
        using var testLabels = tensor(new long[] { 0, 1, 0 });
        Assert.Equal(2.0 / 3, CodeSpaceMetrics.KnnAccuracy(train, trainLabels, test, testLabels), 9);
        Assert.Equal(1.0, CodeSpaceMetrics.KnnAccuracy(train, trainLabels, test, testLabels, neighbours: 2), 9);
    }

    [Fact]
    public void Raw_fashion_pixels_and_pca_codes_are_probed_near_the_known_accuracies()
    {
        var train = TestData.Load(TestData.FashionFolder, "train", 3000);
        var test = TestData.Load(TestData.FashionFolder, "t10k", 1000);

        var pixels = CodeSpaceMetrics.Probe(train.Images, train.Labels, test.Images, test.Labels);
        using var pca = PcaModel.Fit(train.Images, 30);
        var codes = CodeSpaceMetrics.Evaluate(pca, train.Images, train.Labels, test.Images, test.Labels);
        output.WriteLine($"Fashion-MNIST 3k/1k raw pixels: linear {pixels.LinearProbeAccuracy:F3}, 5-NN {pixels.KnnAccuracy:F3}; PCA-30 codes: linear {codes.LinearProbeAccuracy:F3}, 5-NN {codes.KnnAccuracy:F3}");

        // With 60k training images these reach ~0.84 / ~0.85; 3k training images cost a few points.
        Assert.InRange(pixels.LinearProbeAccuracy, 0.74, 0.88);
        Assert.InRange(pixels.KnnAccuracy, 0.72, 0.88);
        Assert.InRange(codes.LinearProbeAccuracy, 0.70, 0.88);
        Assert.InRange(codes.KnnAccuracy, 0.72, 0.88);
    }

    [Fact]
    public void Raw_mnist_pixels_are_probed_near_the_known_accuracies()
    {
        // Only the 10k MNIST test set is on this machine: train on one half, measure on the other.
        var all = TestData.Load(TestData.MnistTestFolder, "t10k", 10_000);
        using var trainImages = all.Images.narrow(0, 0, 5000);
        using var trainLabels = all.Labels.narrow(0, 0, 5000);
        using var testImages = all.Images.narrow(0, 5000, 5000);
        using var testLabels = all.Labels.narrow(0, 5000, 5000);
        var pixels = CodeSpaceMetrics.Probe(trainImages, trainLabels, testImages, testLabels);
        output.WriteLine($"MNIST 5k/5k raw pixels: linear {pixels.LinearProbeAccuracy:F3}, 5-NN {pixels.KnnAccuracy:F3}");
        // Full-data references are ~0.92 / ~0.97; 5k training images cost a few points.
        Assert.InRange(pixels.LinearProbeAccuracy, 0.85, 0.94);
        Assert.InRange(pixels.KnnAccuracy, 0.90, 0.98);
    }

    [Fact]
    public void Features_without_class_information_probe_at_chance()
    {
        using var generator = new Generator(5);
        using var train = randn([2000, 8], generator: generator);
        using var trainLabels = randint(0, 10, [2000], generator: generator);
        using var test = randn([1000, 8], generator: generator);
        using var testLabels = randint(0, 10, [1000], generator: generator);
        var scores = CodeSpaceMetrics.Probe(train, trainLabels, test, testLabels);
        Assert.InRange(scores.LinearProbeAccuracy, 0.05, 0.16);
        Assert.InRange(scores.KnnAccuracy, 0.05, 0.16);
    }
}
