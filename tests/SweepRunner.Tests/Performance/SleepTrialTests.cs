using SweepRunner.Core.Grains;
using SweepRunner.Core.Search;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using SweepRunner.Tests.Orchestration;
using SweepRunner.Workers.Execution;
using Xunit;

namespace SweepRunner.Tests.Performance;

public sealed class SleepTrialTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sweeprunner-sleep-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string SleepSpec = """
        name: sleepers
        dataset: {name: fashion-mnist}
        seed: 3
        repeats: 12
        parameters:
          model: {value: sleep}
          sleep_seconds: {value: 0.01}
          epochs: {value: 2}
        resources: {max_concurrent_trials: 2}
        """;

    [Fact]
    public void A_spec_can_ask_for_sleep_trials()
    {
        var spec = SpecParser.Parse(SleepSpec, "sleep.yaml").Spec;
        var config = TrialPlanner.Plan(spec)[0].Config;

        Assert.Equal(ModelKind.Sleep, config.Model);
        Assert.Equal(0.01, config.SleepSeconds);
        Assert.Equal(12, TrialPlanner.Plan(spec).Count);
    }

    [Fact]
    public void A_sleep_trial_waits_every_epoch_and_reports_it()
    {
        var config = new TrialConfig { Model = ModelKind.Sleep, SleepSeconds = 0.05, Epochs = 2, Dataset = new DatasetSpec { Name = "fashion-mnist" } };
        var epochs = new List<int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = new SleepTrialExecutor().Execute(
            new TrialRun(config, null, report => { epochs.Add(report.Epoch); return TrialDirective.Continue; }, (_, _) => { }),
            CancellationToken.None);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.1), $"waited only {clock.Elapsed}");
        Assert.Equal([1, 2], epochs);
        Assert.Equal(TrialStatus.Completed, outcome.Status);
        Assert.Equal(0.1, outcome.Metrics["val_loss"], 9);
    }

    [Fact]
    public async Task A_sweep_of_sleep_trials_completes_and_is_read_back_after_a_restart()
    {
        var spec = SpecParser.Parse(SleepSpec, "sleep.yaml").Spec;
        await using (var cluster = await EmbeddedCluster.StartAsync(_folder, new SleepTrialExecutor()))
        {
            var coordinator = cluster.Coordinator("sleepers");
            await coordinator.Start(spec, SleepSpec);
            SweepStatus status;
            do { await Task.Delay(20); status = await coordinator.GetStatus(); } while (status.State == SweepState.Running);
            Assert.Equal(12, status.Count(TrialStatus.Completed));
        }

        await using (var cluster = await EmbeddedCluster.StartAsync(_folder, new SleepTrialExecutor()))
        {
            var trials = await cluster.Coordinator("sleepers").GetTrials();
            Assert.All(trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
            Assert.Equal(Enumerable.Range(1, 12), trials.Select(t => t.FinishOrder).Order());
            Assert.All(trials, t => Assert.Equal(2, t.History.Count));
        }
    }
}
