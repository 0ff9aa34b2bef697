using SweepRunner.Analysis.Figures;
using SweepRunner.Analysis.Metrics;
using SweepRunner.Analysis.Pca;
using SweepRunner.Core.Trials;
using SweepRunner.Training.Data;
using Xunit;
using static TorchSharp.torch;

namespace SweepRunner.Tests.Analysis;

/// <summary>
/// Renders every figure from real Fashion-MNIST slices and a PCA model. The PNGs go to a temp folder that is deleted
/// afterwards, unless SWEEPRUNNER_FIGURE_DIR names a folder to keep them in for a look.
/// </summary>
public sealed class FigureTests : IDisposable
{
    private readonly string _folder;
    private readonly bool _keep;
    private readonly ImageSplitFixture _data = new();

    public FigureTests()
    {
        string? keep = Environment.GetEnvironmentVariable("SWEEPRUNNER_FIGURE_DIR");
        _keep = !string.IsNullOrEmpty(keep);
        _folder = _keep ? Directory.CreateDirectory(keep!).FullName : Directory.CreateTempSubdirectory("sweeprunner-figures-").FullName;
    }

    public void Dispose()
    {
        if (!_keep) Directory.Delete(_folder, recursive: true);
    }

    private sealed class ImageSplitFixture
    {
        public global::SweepRunner.Training.Data.ImageSplit Train { get; } = TestData.Load(TestData.FashionFolder, "train", 2000);
    }

    [Fact]
    public void Image_grids_show_images_noisy_inputs_and_reconstructions()
    {
        using var pca = PcaModel.Fit(_data.Train.Images, 30);
        using var originals = _data.Train.Images.narrow(0, 0, 8);
        using var noisy = Noise.Corrupt(originals, NoiseKind.Gaussian, 0.3, new Generator(1));
        using var reconstructed = Batched.Reconstruct(pca, noisy);
        string grid = Path.Combine(_folder, "comparison.png");
        ImageFigures.SaveComparisonGrid(grid,
            [new ImageRow("test images", originals), new ImageRow("noisy (std 0.3)", noisy), new ImageRow("PCA-30 output", reconstructed)],
            28, 28, "Denoising with PCA-30");
        AssertPng(grid, minWidth: 8 * 28, minHeight: 3 * 28);

        string samples = Path.Combine(_folder, "samples.png");
        using var many = _data.Train.Images.narrow(0, 0, 30);
        ImageFigures.SaveSampleGrid(samples, many, 28, 28, columns: 10, "Samples");
        AssertPng(samples, minWidth: 10 * 28, minHeight: 3 * 28);
    }

    [Fact]
    public void Code_scatter_and_manifold_of_a_two_dimensional_code_space()
    {
        using var pca = PcaModel.Fit(_data.Train.Images, 2);
        using var codes = pca.Encode(_data.Train.Images);
        string scatter = Path.Combine(_folder, "codes.png");
        ChartFigures.SaveCodeScatter(scatter, codes, _data.Train.Labels, ClassNames.For("fashion-mnist"), "PCA-2 codes of Fashion-MNIST");
        AssertPng(scatter, 400, 300);

        string manifold = Path.Combine(_folder, "manifold.png");
        ImageFigures.SaveManifold(manifold, pca, 28, 28, min: -6, max: 6, steps: 8, "PCA-2 decoded manifold");
        AssertPng(manifold, 8 * 28, 8 * 28);

        using var wide = PcaModel.Fit(_data.Train.Images, 5);
        Assert.Throws<ArgumentException>(() => ImageFigures.SaveManifold(manifold, wide, 28, 28, -1, 1, 4, "x"));
    }

    [Fact]
    public void Charts_of_learning_curves_sweeps_and_parameters()
    {
        // Curves and points come from PCA runs: reconstruction MSE on 500 held-out images for several k.
        using var heldOut = _data.Train.Images.narrow(0, 1500, 500);
        using var fit = _data.Train.Images.narrow(0, 0, 1500);
        var latentDims = new[] { 2, 5, 10, 20, 40 };
        var mseByDim = latentDims.Select(k =>
        {
            using var model = PcaModel.Fit(fit, k);
            return ReconstructionMetrics.Evaluate(model, heldOut).Mse;
        }).ToList();

        var history = latentDims.Select((k, i) => new EpochReport
        {
            Epoch = i + 1,
            Metrics = new() { ["val_mse"] = mseByDim[i], ["train_loss"] = mseByDim[i] * 0.9 },
        }).ToList();
        string curves = Path.Combine(_folder, "learning.png");
        ChartFigures.SaveLearningCurves(curves, history, null, "Learning curves");
        AssertPng(curves, 600, 400);

        var points = latentDims.Select((k, i) => ("pca", (double)k, mseByDim[i]))
            .Concat(latentDims.Select((k, i) => ("pca x0.5", (double)k, mseByDim[i] / 2)));
        string line = Path.Combine(_folder, "by-latent-dim.png");
        ChartFigures.SaveLineChart(line, LineSeries.ByGroup(points), "latent_dim", "test MSE", "MSE against latent size");
        AssertPng(line, 600, 400);

        var trials = latentDims.SelectMany((k, i) => new[]
        {
            new TrialPoint(new Dictionary<string, string> { ["model"] = "pca", ["latent_dim"] = k.ToString(), ["noise"] = "0.1" }, mseByDim[i]),
            new TrialPoint(new Dictionary<string, string> { ["model"] = "ae", ["latent_dim"] = k.ToString(), ["noise"] = "0.3" }, mseByDim[i] * 0.7),
        }).ToList();
        string panels = Path.Combine(_folder, "panels.png");
        ChartFigures.SaveParameterPanels(panels, trials, "test MSE");
        AssertPng(panels, 900, 250);
    }

    [Fact]
    public void Repeats_are_averaged_and_series_sorted_by_x()
    {
        var series = LineSeries.ByGroup([("vae", 8, 2.0), ("ae", 2, 5.0), ("vae", 2, 4.0), ("vae", 8, 4.0)]);
        var vae = series.Single(s => s.Name == "vae");
        Assert.Equal([2.0, 8.0], vae.X);
        Assert.Equal([4.0, 3.0], vae.Y);
        Assert.Equal(2, series.Count);
    }

    /// <summary>A PNG signature, and an IHDR at least this large (so the plot was not rendered empty or tiny).</summary>
    private static void AssertPng(string path, int minWidth, int minHeight)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 2000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        int width = (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19];
        int height = (bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23];
        Assert.True(width >= minWidth && height >= minHeight, $"{path} is {width}x{height}");
    }
}
