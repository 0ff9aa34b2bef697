using SweepRunner.Analysis.Metrics;
using SweepRunner.Analysis.Pca;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using SweepRunner.Tests.Training;
using Xunit;

namespace SweepRunner.Tests.EvalTrial;

public sealed class PcaTrialTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("sweeprunner-pca-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    [Fact]
    public void A_pca_trial_reports_one_epoch_and_the_test_error_of_pca_itself()
    {
        var nothingExtra = new EvaluationSpec { Probes = false, Generation = false, Figures = false, Samples = 1 };
        var config = ExecutorSetup.Config(ModelKind.Pca, latentDim: 16, nothingExtra) with { Epochs = 7 };

        var (outcome, reports, artifacts) = ExecutorSetup.Execute(config, ExecutorSetup.SmallEvaluation(_cache));

        Assert.True(outcome.Status == TrialStatus.Completed, outcome.Error);
        Assert.Null(outcome.Error);
        Assert.Equal(1, outcome.EpochsDone);
        Assert.Equal([1], reports.Select(r => r.Epoch));
        Assert.Null(artifacts);
        // PCA has no objective of its own: its loss is the reconstruction BCE, like an AE's.
        Assert.Equal(outcome.Metrics["val_recon"], outcome.Metrics["val_loss"]);
        Assert.Equal(outcome.Metrics["test_recon"], outcome.Metrics["test_loss"]);
        Assert.True(outcome.Metrics["test_psnr"] > 10);

        var data = TorchTestSetup.SmallData();
        using var pca = PcaModel.Fit(data.Train.Images, 16);
        double ownMsePerImage = ReconstructionMetrics.Evaluate(pca, data.Test.Images).Mse;
        // The trial reports the error per pixel; PCA's own measure sums the pixels of an image.
        Assert.Equal(ownMsePerImage / data.Pixels, outcome.Metrics["test_mse"], 5);
    }

    [Fact]
    public void A_latent_size_above_the_pixel_count_fails_the_trial_with_a_reason()
    {
        var config = ExecutorSetup.Config(ModelKind.Pca, latentDim: 5000, new EvaluationSpec { Figures = false });

        var (outcome, _, _) = ExecutorSetup.Execute(config, ExecutorSetup.SmallEvaluation(_cache));

        Assert.Equal(TrialStatus.Failed, outcome.Status);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Error));
    }
}
