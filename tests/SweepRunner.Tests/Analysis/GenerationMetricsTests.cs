using SweepRunner.Analysis.Metrics;
using SweepRunner.Analysis.Pca;
using SweepRunner.Analysis.Sampling;
using SweepRunner.Training.Data;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SweepRunner.Tests.Analysis;

/// <summary>One evaluation classifier trained for 1 epoch (batches of 32) on 5k Fashion-MNIST images, cached in a temp folder, shared by the tests.</summary>
public sealed class ClassifierFixture : IDisposable
{
    public ImageDataset Data { get; } = TestData.Fashion(train: 5000, test: 1000);
    public ClassifierTrainingOptions Options { get; } = new() { Epochs = 1, BatchSize = 32, Seed = 3 };
    public string CacheFolder { get; } = Directory.CreateTempSubdirectory("sweeprunner-classifiers-").FullName;
    public EvaluationClassifier Classifier { get; }

    public ClassifierFixture() => Classifier = EvaluationClassifier.LoadOrTrain(Data, Options, CacheFolder);

    public void Dispose()
    {
        Classifier.Dispose();
        Directory.Delete(CacheFolder, recursive: true);
    }
}

public class GenerationMetricsTests(ClassifierFixture fixture, ITestOutputHelper output) : IClassFixture<ClassifierFixture>
{
    [Fact]
    public void Classifier_learns_and_is_cached_under_a_key_of_the_data_set()
    {
        double accuracy = fixture.Classifier.Accuracy(fixture.Data.Test);
        output.WriteLine($"Evaluation CNN, 1 epoch on 5k Fashion-MNIST images: test accuracy {accuracy:F3}");
        Assert.InRange(accuracy, 0.70, 1.0);

        string path = EvaluationClassifier.CachePath(fixture.Data, fixture.Options, fixture.CacheFolder);
        Assert.True(File.Exists(path));
        Assert.StartsWith("fashion-mnist-28x28-n5000-e1-b32", Path.GetFileName(path));
        using var reloaded = EvaluationClassifier.LoadOrTrain(fixture.Data, fixture.Options, fixture.CacheFolder);
        using var images = fixture.Data.Test.Images.narrow(0, 0, 50);
        using var expected = fixture.Classifier.Probabilities(images);
        using var actual = reloaded.Probabilities(images);
        Assert.True(actual.allclose(expected));
    }

    [Fact]
    public void Frechet_distance_is_zero_to_itself_smallest_for_real_images_and_grows_with_damage()
    {
        var classifier = fixture.Classifier;
        using var testFeatures = classifier.Features(fixture.Data.Test.Images);
        using var reference = GaussianStatistics.Of(testFeatures);
        var heldOut = fixture.Data.Validation.Images;
        using var blurred = PcaModel.Fit(fixture.Data.Train.Images.narrow(0, 0, 4000), 5);
        using var blurredImages = Batched.Reconstruct(blurred, heldOut);
        using var generator = new Generator(9);
        using var noise = rand([1000, 784], generator: generator);

        double self = FrechetDistance.Between(testFeatures, testFeatures);
        var floor = GenerationMetrics.Evaluate(classifier, heldOut, reference);
        var fivePca = GenerationMetrics.Evaluate(classifier, blurredImages, reference);
        var uniform = GenerationMetrics.Evaluate(classifier, noise, reference);
        output.WriteLine($"Fréchet: self {self:E2}, real held-out (floor) {floor.Frechet:F3}, PCA-5 reconstructions {fivePca.Frechet:F3}, uniform noise {uniform.Frechet:F3}");
        output.WriteLine($"Confidence / coverage / entropy: real {floor.Confidence:F3}/{floor.Coverage:F2}/{floor.EntropyBits:F2}, noise {uniform.Confidence:F3}/{uniform.Coverage:F2}/{uniform.EntropyBits:F2}");

        Assert.True(self < 1e-6 * floor.Frechet + 1e-9, $"self distance {self}");
        Assert.True(floor.Frechet < fivePca.Frechet && fivePca.Frechet < uniform.Frechet);
        Assert.Equal(1.0, floor.Coverage);
        Assert.InRange(floor.EntropyBits, 3.2, Math.Log2(10) + 1e-9);
        // Noise collapses onto one or two classes.
        Assert.True(uniform.Coverage < 0.5 && uniform.EntropyBits < floor.EntropyBits, $"noise coverage {uniform.Coverage}, entropy {uniform.EntropyBits}");
    }

    [Fact]
    public void Frechet_distance_of_gaussians_matches_the_closed_form()
    {
        // N(0, I) vs N(m, 4I) in d dims: |m|² + d + 4d − 2·d·2 = |m|² + d.
        using var generator = new Generator(2);
        using var a = randn([20000, 3], dtype: ScalarType.Float64, generator: generator);
        using var b = 2 * randn([20000, 3], dtype: ScalarType.Float64, generator: generator) + tensor(new double[] { 1, 2, 0 });
        Assert.Equal(5 + 3, FrechetDistance.Between(a, b), 0.3);
    }

    [Fact]
    public void Class_balance_counts_covered_classes_and_entropy()
    {
        // 10 classes; predictions: 50 of class 0, 50 of class 1, none of the others.
        using var probabilities = zeros(100, 10);
        probabilities.narrow(0, 0, 50).select(1, 0).fill_(1);
        probabilities.narrow(0, 50, 50).select(1, 1).fill_(1);
        var (coverage, entropy) = GenerationMetrics.ClassBalance(probabilities);
        Assert.Equal(0.2, coverage, 9);
        Assert.Equal(1.0, entropy, 9);
        Assert.Equal(1.0, GenerationMetrics.Confidence(probabilities), 9);
    }

    [Fact]
    public void Completeness_is_high_for_real_images_and_low_for_noise()
    {
        using var identity = FunctionAutoencoder.Identity(784);
        using var generator = new Generator(4);
        using var noise = rand([500, 784], generator: generator);
        double real = CodeSpaceQuality.Completeness(identity, new FixedSampler(fixture.Data.Test.Images), fixture.Classifier, 500, generator);
        double random = CodeSpaceQuality.Completeness(identity, new FixedSampler(noise), fixture.Classifier, 500, generator);
        output.WriteLine($"Completeness: real test images {real:F3}, uniform-noise images {random:F3}");
        // The 1-epoch test classifier is under-confident (about a third of real images pass 0.9); noise must do far worse.
        Assert.True(real > 0.2, $"real {real}");
        Assert.True(random < real / 4, $"noise {random}, real {real}");
        Assert.InRange(random, 0, 1);
    }
}

public class ModelEvaluatorTests(ClassifierFixture fixture, ITestOutputHelper output) : IClassFixture<ClassifierFixture>
{
    [Fact]
    public void Evaluates_a_pca_model_end_to_end_and_flattens_the_metrics()
    {
        using var pca = PcaModel.Fit(fixture.Data.Train.Images, 16);
        using var reference = SweepRunner.Analysis.Evaluation.GenerationReference.Create(fixture.Classifier, fixture.Data);
        var options = new SweepRunner.Analysis.Evaluation.EvaluationOptions
        {
            ProbeTrainLimit = 2000, GeneratedCount = 500, MixtureFitLimit = 2000, ContinuityPairs = 20,
            Probe = new LinearProbeOptions { Steps = 100 },
        };
        var evaluation = SweepRunner.Analysis.Evaluation.ModelEvaluator.Evaluate(pca, fixture.Data, fixture.Classifier, reference, options);
        var metrics = evaluation.ToMetrics();
        foreach (var (name, value) in metrics.OrderBy(m => m.Key)) output.WriteLine($"{name} = {value:G4}");

        Assert.All(metrics.Values, value => Assert.True(double.IsFinite(value)));
        Assert.Equal(ReconstructionMetrics.Evaluate(pca, fixture.Data.Test.Images).Psnr, metrics["test_psnr"], 9);
        Assert.True(metrics["denoise_psnr_out@gaussian:0.3"] > metrics["denoise_psnr_in@gaussian:0.3"]);
        // PCA codes are far from N(0, I) (their variances run into the tens), while the mixture is fitted to them:
        // mixture samples must land nearer the test set than prior samples.
        Assert.True(metrics["gen_gmm_fid"] < metrics["gen_prior_fid"]);
        Assert.True(metrics["fid_floor"] < metrics["gen_gmm_fid"]);
        Assert.InRange(metrics["continuity"], 1.0, 2.0);
    }
}
