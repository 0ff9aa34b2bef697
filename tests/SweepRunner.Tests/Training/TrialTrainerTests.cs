using SweepRunner.Core.Trials;
using SweepRunner.Training;
using SweepRunner.Training.Data;
using Xunit;

namespace SweepRunner.Tests.Training;

public sealed class TrialTrainerTests
{
    private readonly ImageDataset data = TorchTestSetup.SmallData();

    private static TrialConfig Config(ModelKind model, long seed = 1, int epochs = 3) => new()
    {
        Model = model, Hidden = [64, 16], LatentDim = 8, Epochs = epochs, BatchSize = 32,
        LearningRate = 2e-3, Seed = seed, Dataset = TorchTestSetup.SmallFashionMnist, DataSeed = 11,
    };

    private (TrialOutcome Outcome, List<EpochReport> Reports) Run(TrialConfig config, TrainingOptions? options = null,
        Func<EpochReport, TrialDirective>? directive = null)
    {
        var reports = new List<EpochReport>();
        var outcome = TrialTrainer.Train(config, data, report =>
        {
            reports.Add(report);
            return directive?.Invoke(report) ?? TrialDirective.Continue;
        }, CancellationToken.None, options);
        return (outcome, reports);
    }

    [Theory]
    [InlineData(ModelKind.Ae)]
    [InlineData(ModelKind.Dae)]
    [InlineData(ModelKind.Vae)]
    public void LossFallsOverEpochs(ModelKind model)
    {
        var (outcome, reports) = Run(Config(model));

        Assert.Equal(TrialStatus.Completed, outcome.Status);
        Assert.Null(outcome.Error);
        Assert.Equal(3, outcome.EpochsDone);
        Assert.Equal([1, 2, 3], reports.Select(r => r.Epoch));
        Assert.True(reports[2].Metrics["val_loss"] < reports[0].Metrics["val_loss"], "validation loss should fall");
        Assert.True(reports[2].Metrics["train_loss"] < reports[0].Metrics["train_loss"], "training loss should fall");
        Assert.True(outcome.Seconds > 0);
        foreach (var measure in new[] { "loss", "recon", "mse" })
        {
            Assert.True(outcome.Metrics[MetricNames.Validation(measure)] > 0);
            Assert.True(outcome.Metrics[MetricNames.Test(measure)] > 0);
        }
        Assert.True(outcome.Metrics["val_mse"] < 1);
    }

    [Fact]
    public void VaeReportsNonNegativeKlAndTheElbo()
    {
        var (outcome, reports) = Run(Config(ModelKind.Vae, epochs: 1) with { KlWeight = 0.5 });

        foreach (var split in new Func<string, string>[] { MetricNames.Validation, MetricNames.Test })
        {
            var m = outcome.Metrics;
            Assert.True(m[split("kl")] >= 0);
            Assert.Equal(-(m[split("recon")] + m[split("kl")]), m[split("elbo")], 6);
            Assert.Equal(m[split("recon")] + 0.5 * m[split("kl")], m[split("loss")], 3);
        }
        Assert.True(reports[0].Metrics["val_kl"] >= 0);
    }

    [Fact]
    public void AutoencodersHaveNoKlAndAeLossIsItsReconstruction()
    {
        var (ae, _) = Run(Config(ModelKind.Ae, epochs: 1));
        var (dae, _) = Run(Config(ModelKind.Dae, epochs: 1) with { Noise = 0.5 });

        Assert.DoesNotContain("val_kl", ae.Metrics.Keys);
        Assert.DoesNotContain("test_elbo", ae.Metrics.Keys);
        Assert.Equal(ae.Metrics["val_recon"], ae.Metrics["val_loss"]);
        // The DAE's objective reconstructs from noisy inputs, its recon from clean ones.
        Assert.NotEqual(dae.Metrics["val_recon"], dae.Metrics["val_loss"]);
        Assert.DoesNotContain("val_kl", dae.Metrics.Keys);
    }

    [Fact]
    public void ParameterCountMatchesTheLayers()
    {
        var (outcome, _) = Run(Config(ModelKind.Ae, epochs: 1));

        long Linear(long inputs, long outputs) => inputs * outputs + outputs;
        long expected = Linear(784, 64) + Linear(64, 16) + Linear(16, 8) + Linear(8, 16) + Linear(16, 64) + Linear(64, 784);
        Assert.Equal(expected, outcome.ParameterCount);
    }

    [Theory]
    [InlineData(ModelKind.Dae)]
    [InlineData(ModelKind.Vae)]
    public async Task SameSeedGivesIdenticalNumbersAlsoWhenTrainingConcurrently(ModelKind model)
    {
        var config = Config(model, seed: 42, epochs: 2);
        var sequential = Run(config).Outcome;

        // Two trials of the same seed, and one of another, at the same time on three threads.
        var concurrent = new[] { config, config, config with { Seed = 43 } }
            .Select(c => Task.Factory.StartNew(() => Run(c).Outcome, TaskCreationOptions.LongRunning))
            .ToArray();
        var outcomes = await Task.WhenAll(concurrent);

        Assert.Equal(sequential.Metrics, outcomes[0].Metrics);
        Assert.Equal(sequential.Metrics, outcomes[1].Metrics);
        Assert.NotEqual(sequential.Metrics, outcomes[2].Metrics);
    }

    [Fact]
    public void ResultsDoNotDependOnTheProcessWideRng()
    {
        var config = Config(ModelKind.Vae, seed: 5, epochs: 1);

        TorchSharp.torch.manual_seed(1);
        var first = Run(config).Outcome;
        TorchSharp.torch.manual_seed(2);
        var second = Run(config).Outcome;

        Assert.Equal(first.Metrics, second.Metrics);
    }

    [Fact]
    public void DifferentSeedGivesDifferentNumbers()
    {
        var first = Run(Config(ModelKind.Vae, seed: 1, epochs: 1)).Outcome;
        var second = Run(Config(ModelKind.Vae, seed: 2, epochs: 1)).Outcome;

        Assert.NotEqual(first.Metrics["val_loss"], second.Metrics["val_loss"]);
        Assert.NotEqual(first.Metrics["train_loss"], second.Metrics["train_loss"]);
    }

    [Theory]
    [InlineData(ModelKind.Ae)]
    [InlineData(ModelKind.Vae)]
    public void AbsurdLearningRateIsReportedAsDiverged(ModelKind model)
    {
        var (outcome, _) = Run(Config(model) with { LearningRate = 1e9 });

        Assert.Equal(TrialStatus.Diverged, outcome.Status);
        Assert.Matches(@"epoch \d+", outcome.Error);
        Assert.True(outcome.EpochsDone < 3);
    }

    [Fact]
    public void StopDirectiveEndsTheTrialWithItsMetricsSoFar()
    {
        var (outcome, reports) = Run(Config(ModelKind.Ae), directive: _ => TrialDirective.Stop);

        Assert.Equal(TrialStatus.Stopped, outcome.Status);
        Assert.Equal(1, outcome.EpochsDone);
        Assert.Single(reports);
        Assert.Equal(reports[0].Metrics, outcome.Metrics);
        Assert.DoesNotContain("test_loss", outcome.Metrics.Keys);
    }

    [Theory]
    [InlineData(ModelKind.Dae)]
    [InlineData(ModelKind.Vae)]
    public void ResumingFromACheckpointGivesTheUninterruptedResult(ModelKind model)
    {
        var config = Config(model, epochs: 3);
        var checkpoints = new List<TrialCheckpoint>();
        var uninterrupted = Run(config, new TrainingOptions { OnCheckpoint = checkpoints.Add });

        // Resume a fresh run from the state after epoch 1, as if the first run had crashed there.
        var afterFirstEpoch = Assert.Single(checkpoints, c => c.Epoch == 1);
        var resumed = Run(config, new TrainingOptions { ResumeFrom = afterFirstEpoch.Data });

        Assert.Equal(TrialStatus.Completed, resumed.Outcome.Status);
        Assert.Equal([2, 3], resumed.Reports.Select(r => r.Epoch));
        Assert.Equal(3, resumed.Outcome.EpochsDone);
        Assert.Equal(uninterrupted.Outcome.Metrics, resumed.Outcome.Metrics);
        Assert.Equal(uninterrupted.Reports[1].Metrics, resumed.Reports[0].Metrics);
    }

    [Fact]
    public void CheckpointOfAnotherConfigurationIsRefused()
    {
        var checkpoints = new List<TrialCheckpoint>();
        Run(Config(ModelKind.Ae, epochs: 1), new TrainingOptions { OnCheckpoint = checkpoints.Add });

        var (outcome, _) = Run(Config(ModelKind.Ae, seed: 99), new TrainingOptions { ResumeFrom = checkpoints[0].Data });

        Assert.Equal(TrialStatus.Failed, outcome.Status);
        Assert.Contains("checkpoint", outcome.Error);
    }

    [Fact]
    public void InvalidConfigurationFailsWithTheReason()
    {
        var (outcome, reports) = Run(Config(ModelKind.Ae) with { Hidden = [] });

        Assert.Equal(TrialStatus.Failed, outcome.Status);
        Assert.Contains("hidden", outcome.Error);
        Assert.Empty(reports);
    }

    [Fact]
    public void CancellationThrows()
    {
        using var cancel = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() => TrialTrainer.Train(Config(ModelKind.Ae), data, _ =>
        {
            cancel.Cancel();
            return TrialDirective.Continue;
        }, cancel.Token));
    }
}
