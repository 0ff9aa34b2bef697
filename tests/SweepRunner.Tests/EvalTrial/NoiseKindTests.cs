using SweepRunner.Core.Search;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using SweepRunner.Tests.Specs;
using SweepRunner.Tests.Training;
using SweepRunner.Training;
using Xunit;

namespace SweepRunner.Tests.EvalTrial;

public sealed class NoiseKindTests
{
    [Fact]
    public void Noise_kind_is_sweepable_and_lands_in_the_trial_configs()
    {
        var yaml = SpecText.Lines("name: t", "dataset: {name: fashion-mnist}", "parameters:",
            "  model: {values: [dae, pca]}", "  noise_kind: {values: [gaussian, masking, salt_pepper]}", "  noise: {value: 0.25}");

        var plan = TrialPlanner.Plan(SpecParser.Parse(yaml, "noise.yaml").Spec);

        Assert.Equal(6, plan.Count);
        Assert.Equal(
            new[] { NoiseKind.Gaussian, NoiseKind.Masking, NoiseKind.SaltPepper },
            plan.Where(t => t.Config.Model == ModelKind.Dae).Select(t => t.Config.NoiseKind).Order());
        Assert.Equal(3, plan.Count(t => t.Config.Model == ModelKind.Pca)); // the grid crosses every parameter, relevant or not
        Assert.All(plan, t => Assert.Equal(0.25, t.Config.Noise));
    }

    [Fact]
    public void An_unknown_noise_kind_is_rejected_with_the_choices()
    {
        var yaml = SpecText.WithParameter("  noise_kind: {value: speckle}");

        var error = Assert.Throws<SpecException>(() => SpecParser.Parse(yaml, "noise.yaml"));

        var only = Assert.Single(error.Errors);
        Assert.Equal("noise.yaml", only.File);
        Assert.Contains("noise_kind", only.Key);
        Assert.Contains("salt_pepper", only.Message);
    }

    [Theory]
    [InlineData(NoiseKind.Masking)]
    [InlineData(NoiseKind.SaltPepper)]
    public void A_dae_trains_on_each_noise_kind_and_its_objective_sees_that_noise(NoiseKind kind)
    {
        var data = TorchTestSetup.SmallData();
        TrialOutcome TrainAt(double level) => TrialTrainer.Train(
            ExecutorSetup.Config(ModelKind.Dae, latentDim: 8) with { NoiseKind = kind, Noise = level },
            data, _ => TrialDirective.Continue, CancellationToken.None);

        var clean = TrainAt(0);
        var noisy = TrainAt(0.3);

        Assert.True(noisy.Status == TrialStatus.Completed, noisy.Error);
        // The objective reconstructs from corrupted inputs: at level 0 that is the clean reconstruction itself.
        Assert.Equal(clean.Metrics["val_recon"], clean.Metrics["val_loss"], 3);
        Assert.True(Math.Abs(noisy.Metrics["val_loss"] - noisy.Metrics["val_recon"]) > 0.5,
            $"val_loss {noisy.Metrics["val_loss"]}, val_recon {noisy.Metrics["val_recon"]}");
    }

    [Fact]
    public void A_share_of_pixels_above_one_is_refused_before_training()
    {
        var data = TorchTestSetup.SmallData();
        var config = ExecutorSetup.Config(ModelKind.Dae) with { NoiseKind = NoiseKind.Masking, Noise = 1.5, Epochs = 1 };

        var outcome = TrialTrainer.Train(config, data, _ => TrialDirective.Continue, CancellationToken.None);

        Assert.Equal(TrialStatus.Failed, outcome.Status);
        Assert.Contains("noise", outcome.Error);
        Assert.Contains("masking", outcome.Error);
        Assert.Equal(0, outcome.EpochsDone);
    }

    [Fact]
    public void The_evaluation_key_sets_its_fields_and_keeps_defaults_for_the_rest()
    {
        var yaml = SpecText.Lines("name: t", "dataset: {name: fashion-mnist}", "evaluation: {samples: 500, figures: false}",
            "parameters:", "  latent_dim: {value: 2}");

        var spec = SpecParser.Parse(yaml, "eval.yaml").Spec;

        Assert.Equal(new EvaluationSpec { Samples = 500, Figures = false, Probes = true, Generation = true }, spec.Evaluation);
        Assert.Equal(spec.Evaluation, TrialPlanner.Plan(spec).Single().Config.Evaluation);
        Assert.Equal(10_000, SpecParser.Parse(SpecText.WithParameter("  latent_dim: {value: 2}"), "d.yaml").Spec.Evaluation.Samples);
    }

    [Fact]
    public void A_bad_evaluation_key_names_file_and_key()
    {
        var yaml = SpecText.Lines("name: t", "dataset: {name: fashion-mnist}", "evaluation: {samples: 0, figure: true}",
            "parameters:", "  latent_dim: {value: 2}");

        var error = Assert.Throws<SpecException>(() => SpecParser.Parse(yaml, "eval.yaml"));

        Assert.Equal(2, error.Errors.Count);
        Assert.All(error.Errors, e => Assert.Equal("eval.yaml", e.File));
        Assert.Contains(error.Errors, e => e.Key == "evaluation.samples");
        Assert.Contains(error.Errors, e => e.Key.Contains("figure"));
    }
}
