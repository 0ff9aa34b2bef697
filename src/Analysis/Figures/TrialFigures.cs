using SweepRunner.Analysis.Metrics;
using SweepRunner.Analysis.Sampling;
using SweepRunner.Core.Trials;
using SweepRunner.Training.Data;
using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Figures;

/// <summary>
/// The figures of one trained trial, as PNG bytes by name (the names are a contract with the report):
/// <c>learning_curves</c>, <c>reconstructions</c> (test images, noisy inputs, what the model makes of each),
/// <c>samples_prior</c>, <c>samples_gmm</c>, and for a 2-D code space <c>codes</c> and <c>manifold</c>.
/// </summary>
public static class TrialFigures
{
    public const string LearningCurves = "learning_curves";
    public const string Reconstructions = "reconstructions";
    public const string PriorSamples = "samples_prior";
    public const string MixtureSamples = "samples_gmm";
    public const string Codes = "codes";
    public const string Manifold = "manifold";

    private const int ComparisonColumns = 12;
    private const int SampleColumns = 10;
    private const int SampleCount = 60;
    private const int ScatterPoints = 2000;
    private const int ManifoldSteps = 15;
    /// <summary>The noise shown for models not trained against any: the middle of the standard gaussian levels.</summary>
    private static readonly NoiseSetting ShowcaseNoise = new(NoiseKind.Gaussian, 0.3);

    /// <param name="history">The trial's epochs, for the learning curves (skipped when empty).</param>
    /// <param name="mixture">Fitted to the training codes, as the evaluation fits it.</param>
    /// <param name="seed">Seeds the noise and the samples, so a trial's figures are reproducible.</param>
    public static Dictionary<string, byte[]> Render(IAutoencoder model, TrialConfig config, ImageDataset data,
        IReadOnlyList<EpochReport> history, GaussianMixtureOptions mixture, int mixtureFitLimit, long seed)
    {
        string folder = Path.Combine(Path.GetTempPath(), "sweeprunner-figures-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string PathOf(string name) => Path.Combine(folder, name + ".png");
            string kind = config.Model.ToString().ToUpperInvariant();
            string title = $"{kind}, latent {model.LatentDim}";
            using var scope = NewDisposeScope();
            using var generator = new Generator((ulong)seed);

            if (history.Count > 0)
                ChartFigures.SaveLearningCurves(PathOf(LearningCurves), history,
                    [MetricNames.TrainLoss, MetricNames.Validation("loss"), MetricNames.Validation("recon")], $"{title}: learning curves");

            var noise = config.Model == ModelKind.Dae ? new NoiseSetting(config.NoiseKind, config.Noise) : ShowcaseNoise;
            var tests = Batched.Head(data.Test.Images, ComparisonColumns);
            var noisy = Noise.Corrupt(tests, noise.Kind, noise.Level, generator);
            ImageFigures.SaveComparisonGrid(PathOf(Reconstructions),
            [
                new("test", tests), new("reconstruction", Batched.Reconstruct(model, tests)),
                new($"noisy {noise}", noisy), new("from noisy", Batched.Reconstruct(model, noisy)),
            ], data.Rows, data.Cols, $"{title}: reconstructions");

            var prior = new PriorSampler(model.LatentDim).Sample(SampleCount, generator);
            ImageFigures.SaveSampleGrid(PathOf(PriorSamples), Batched.Decode(model, prior), data.Rows, data.Cols, SampleColumns,
                $"{title}: decoded N(0, I) samples");
            using (var fitted = GaussianMixtureSampler.Fit(Batched.Encode(model, Batched.Head(data.Train.Images, mixtureFitLimit)), mixture))
                ImageFigures.SaveSampleGrid(PathOf(MixtureSamples), Batched.Decode(model, fitted.Sample(SampleCount, generator)),
                    data.Rows, data.Cols, SampleColumns, $"{title}: decoded samples of a GMM fitted to training codes");

            if (model.LatentDim == 2)
            {
                var codes = Batched.Encode(model, Batched.Head(data.Test.Images, ScatterPoints));
                var labels = Batched.Head(data.Test.Labels, ScatterPoints);
                ChartFigures.SaveCodeScatter(PathOf(Codes), codes, labels, ClassNames.For(data.Name), $"{title}: test codes by class");
                // The bulk of the codes (2nd to 98th percentile on either axis), so a few outliers do not shrink the picture.
                var sorted = codes.flatten().sort().Values;
                long n = sorted.shape[0];
                double low = sorted[(long)(0.02 * (n - 1))].item<float>(), high = sorted[(long)(0.98 * (n - 1))].item<float>();
                ImageFigures.SaveManifold(PathOf(Manifold), model, data.Rows, data.Cols, low, high, ManifoldSteps,
                    $"{title}: decoded code grid");
            }

            return Directory.GetFiles(folder, "*.png").ToDictionary(file => Path.GetFileNameWithoutExtension(file), File.ReadAllBytes);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
