using SweepRunner.Analysis.Figures;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using Xunit;
using Xunit.Abstractions;

namespace SweepRunner.Tests.EvalTrial;

public sealed class TrialEvaluationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("sweeprunner-eval-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private static readonly string[] StandardNoise = ["gaussian:0.1", "gaussian:0.3", "gaussian:0.5", "masking:0.25", "salt_pepper:0.1"];

    [Fact]
    public void A_completed_dae_gets_every_contract_metric_in_range_and_its_figures()
    {
        var config = ExecutorSetup.Config(ModelKind.Dae) with { NoiseKind = NoiseKind.SaltPepper, Noise = 0.2 };

        var (outcome, _, artifacts) = ExecutorSetup.Execute(config, ExecutorSetup.SmallEvaluation(_cache));
        foreach (var (name, value) in outcome.Metrics.OrderBy(m => m.Key)) output.WriteLine($"{name} = {value:G4}");

        Assert.True(outcome.Status == TrialStatus.Completed, outcome.Error);
        Assert.Null(outcome.Error);
        var m = outcome.Metrics;
        Assert.InRange(m["test_psnr"], 5, 100);
        foreach (var setting in StandardNoise.Append("salt_pepper:0.2"))
        {
            Assert.InRange(m[$"denoise_psnr_in@{setting}"], 0, 100);
            Assert.InRange(m[$"denoise_psnr_out@{setting}"], 0, 100);
        }
        // Salt and pepper is far from the images: the DAE trained against it must clean it up.
        Assert.True(m["denoise_psnr_out@salt_pepper:0.2"] > m["denoise_psnr_in@salt_pepper:0.2"]);
        foreach (var accuracy in new[] { "probe_linear_acc", "probe_knn_acc", "classifier_acc", "completeness" })
            Assert.InRange(m[accuracy], 0, 1);
        // Ten classes: even a 2-D code of a briefly trained model separates them far better than chance.
        Assert.True(m["probe_knn_acc"] > 0.3, $"kNN probe {m["probe_knn_acc"]}");
        Assert.True(m["classifier_acc"] > 0.3, $"classifier {m["classifier_acc"]}");
        foreach (var sampler in new[] { "prior", "gmm" })
        {
            Assert.True(m[$"gen_{sampler}_fid"] > m["fid_floor"], $"{sampler} samples should be further from the test set than real images");
            Assert.InRange(m[$"gen_{sampler}_confidence"], 0.1, 1);
            Assert.InRange(m[$"gen_{sampler}_coverage"], 0, 1);
            Assert.InRange(m[$"gen_{sampler}_entropy"], 0, Math.Log2(10) + 1e-9);
        }
        Assert.True(m["fid_floor"] >= 0);
        Assert.True(m["continuity"] > 0);

        Assert.NotNull(artifacts);
        Assert.Equal(
            new[] { TrialFigures.Codes, TrialFigures.LearningCurves, TrialFigures.Manifold, TrialFigures.Reconstructions, TrialFigures.MixtureSamples, TrialFigures.PriorSamples },
            artifacts.Images.Keys.Order());
        byte[] pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];
        Assert.All(artifacts.Images.Values, png => Assert.Equal(pngSignature, png.Take(4)));
    }

    [Fact]
    public void The_spec_turns_probes_generation_and_figures_off()
    {
        var config = ExecutorSetup.Config(ModelKind.Ae, latentDim: 4,
            new EvaluationSpec { Probes = false, Generation = false, Figures = false });

        var (outcome, _, artifacts) = ExecutorSetup.Execute(config, ExecutorSetup.SmallEvaluation(_cache));

        Assert.True(outcome.Status == TrialStatus.Completed, outcome.Error);
        Assert.Null(artifacts);
        Assert.Contains("test_psnr", outcome.Metrics.Keys);
        Assert.Contains("denoise_psnr_out@masking:0.25", outcome.Metrics.Keys);
        // Only the fixed settings: an AE has no noise of its own.
        Assert.Equal(StandardNoise.Length, outcome.Metrics.Keys.Count(k => k.StartsWith("denoise_psnr_in@", StringComparison.Ordinal)));
        Assert.DoesNotContain(outcome.Metrics.Keys, k => k.StartsWith("probe_", StringComparison.Ordinal) || k.StartsWith("gen_", StringComparison.Ordinal));
        Assert.DoesNotContain("classifier_acc", outcome.Metrics.Keys);
    }

    [Fact]
    public void A_failing_evaluation_keeps_the_trained_result_and_says_what_failed()
    {
        // The classifier cache cannot be created under a regular file, so the evaluation fails after training.
        string blocker = Path.Combine(_cache, "not-a-folder");
        File.WriteAllText(blocker, "");
        var settings = ExecutorSetup.SmallEvaluation(Path.Combine(blocker, "classifiers"));
        var config = ExecutorSetup.Config(ModelKind.Ae, latentDim: 4, new EvaluationSpec { Samples = 100, Figures = false });

        var (outcome, reports, _) = ExecutorSetup.Execute(config, settings);

        Assert.Equal(TrialStatus.Completed, outcome.Status);
        Assert.Contains("evaluation failed", outcome.Error);
        Assert.Equal(config.Epochs, outcome.EpochsDone);
        Assert.Equal(config.Epochs, reports.Count);
        Assert.True(outcome.Metrics["test_loss"] > 0 && outcome.Metrics["val_loss"] > 0);
        Assert.DoesNotContain("gen_prior_fid", outcome.Metrics.Keys);
    }
}
