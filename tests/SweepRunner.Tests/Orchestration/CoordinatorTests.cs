using SweepRunner.Core.Grains;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using Xunit;

namespace SweepRunner.Tests.Orchestration;

public sealed class CoordinatorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sweeprunner-coordinator-").FullName;

    public void Dispose()
    {
        // A released zombie trial (the restart test) may still be writing its checkpoint for a moment.
        for (var attempt = 0; ; attempt++)
        {
            try { Directory.Delete(_folder, recursive: true); return; }
            catch (IOException) when (attempt < 10) { Thread.Sleep(100); }
        }
    }

    private static SweepSpec Spec(int[] latentDims, int epochs = 3, int maxConcurrent = 2, int maxFailures = 2) => new()
    {
        Name = "scripted",
        Dataset = new DatasetSpec { Name = "fashion-mnist" },
        Seed = 1,
        Metric = new MetricSpec("val_loss", Goal.Minimize),
        Parameters =
        [
            new ParameterSpec { Name = "latent_dim", Kind = ParameterKind.Choice, Values = latentDims.Select(d => ParamValue.Of(d)).ToList() },
            new ParameterSpec { Name = "epochs", Kind = ParameterKind.Fixed, Values = [ParamValue.Of(epochs)] },
        ],
        Resources = new ResourceSpec { MaxConcurrentTrials = maxConcurrent },
        MaxFailures = maxFailures,
    };

    private static async Task<SweepStatus> WaitUntilDone(ISweepCoordinatorGrain coordinator, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var status = await coordinator.GetStatus();
            if (status.State != SweepState.Running) return status;
            Assert.True(DateTime.UtcNow < deadline, $"sweep still running after {limit}: {status.Finished}/{status.Total}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Ranks_completed_trials_and_keeps_going_past_failures_and_divergence()
    {
        var executor = new ScriptedExecutor();
        await using var cluster = await EmbeddedCluster.StartAsync(_folder, executor);
        var coordinator = cluster.Coordinator("s1");

        await coordinator.Start(Spec([4, 2, 5, 7, 3, 1]), "yaml");
        var status = await WaitUntilDone(coordinator, TimeSpan.FromSeconds(60));

        Assert.Equal(SweepState.Completed, status.State);
        Assert.Equal(6, status.Total);
        Assert.Equal(4, status.Count(TrialStatus.Completed));
        Assert.Equal(1, status.Count(TrialStatus.Failed));
        Assert.Equal(1, status.Count(TrialStatus.Diverged));

        var board = await coordinator.GetLeaderboard();
        var latent = board.Select(r => r.Parameters["latent_dim"]).ToList();
        Assert.Equal(["1", "2", "3", "4"], latent.Take(4));
        Assert.Equal([1, 2, 3, 4], board.Take(4).Select(r => r.Rank!.Value));
        Assert.All(board.Skip(4), r => Assert.Null(r.Rank));

        var trials = (await coordinator.GetTrials()).ToDictionary(t => t.Spec.Parameters["latent_dim"]);
        Assert.Equal(2, trials["3"].Attempts);               // failed once, then completed
        Assert.Equal(TrialStatus.Completed, trials["3"].Status);
        Assert.Equal(2, trials["5"].Attempts);               // max_failures: 2
        Assert.Contains("scripted failure", trials["5"].Outcome!.Error);
        Assert.Contains("NaN", trials["7"].Outcome!.Error);
        Assert.Equal(3, trials["4"].History.Count);          // every epoch reported
        Assert.Equal(Enumerable.Range(1, 6), (await coordinator.GetFinished(0)).Select(t => t.FinishOrder));
    }

    [Fact]
    public async Task Never_runs_more_trials_at_once_than_allowed()
    {
        var executor = new ConcurrencyProbe();
        await using var cluster = await EmbeddedCluster.StartAsync(_folder, executor, slots: 4);
        var coordinator = cluster.Coordinator("s2");

        await coordinator.Start(Spec([1, 2, 4, 6, 8, 9], epochs: 2, maxConcurrent: 2), "yaml");
        await WaitUntilDone(coordinator, TimeSpan.FromSeconds(60));

        Assert.Equal(2, executor.MaxSeen);
    }

    [Fact]
    public async Task A_restarted_cluster_finishes_the_sweep_without_rerunning_finished_trials()
    {
        var first = new ScriptedExecutor { HangAfter = 2 };
        var spec = Spec([1, 2, 4, 6, 8, 9], epochs: 2, maxConcurrent: 1);
        await using (var cluster = await EmbeddedCluster.StartAsync(_folder, first, slots: 1))
        {
            var coordinator = cluster.Coordinator("s3");
            await coordinator.Start(spec, "yaml");
            SweepStatus status;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            do { await Task.Delay(50); status = await coordinator.GetStatus(); }
            while ((status.Finished < 2 || first.Executions.Count < 3 || status.Running.FirstOrDefault()?.Epoch < 1) && DateTime.UtcNow < deadline);
            Assert.Equal(2, status.Finished);
            Assert.Equal(3, first.Executions.Count);   // two finished, the third caught after its first epoch
        }

        var second = new ScriptedExecutor();
        await using (var cluster = await EmbeddedCluster.StartAsync(_folder, second))
        {
            var coordinator = cluster.Coordinator("s3");
            var status = await WaitUntilDone(coordinator, TimeSpan.FromSeconds(60));
            Assert.Equal(SweepState.Completed, status.State);
            Assert.Equal(6, status.Count(TrialStatus.Completed));
            var finishedFirst = (await coordinator.GetTrials()).OrderBy(t => t.FinishOrder).Take(2).Select(t => ScriptedExecutor.KeyOf(t.Spec.Config));
            Assert.All(finishedFirst, key => Assert.False(second.Executions.ContainsKey(key), $"{key} ran again"));
            Assert.Equal(4, second.Executions.Count);   // the interrupted trial and the three never started
            var interrupted = Assert.Single(second.ResumedFrom);
            Assert.Equal(1, interrupted.Value);         // it resumed from its epoch-1 checkpoint
        }
        first.Release();   // only now: a released zombie would go on writing checkpoints
    }

    [Fact]
    public async Task Starting_the_same_sweep_twice_is_a_no_op_and_a_different_spec_is_refused()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(_folder, new ScriptedExecutor());
        var coordinator = cluster.Coordinator("s4");
        var spec = Spec([1, 2]);
        await coordinator.Start(spec, "yaml");
        var again = await coordinator.Start(spec, "yaml");
        Assert.Equal(2, again.Total);
        await Assert.ThrowsAsync<InvalidOperationException>(() => coordinator.Start(spec, "other yaml"));
        await WaitUntilDone(coordinator, TimeSpan.FromSeconds(60));
    }

    /// <summary>Counts how many trials execute at the same moment.</summary>
    private sealed class ConcurrencyProbe : Workers.Execution.ITrialExecutor
    {
        private int _now;
        public int MaxSeen { get; private set; }

        public TrialOutcome Execute(Workers.Execution.TrialRun run, CancellationToken cancellation)
        {
            var config = run.Config;
            var now = Interlocked.Increment(ref _now);
            lock (this) MaxSeen = Math.Max(MaxSeen, now);
            Thread.Sleep(100);
            Interlocked.Decrement(ref _now);
            return new TrialOutcome { Status = TrialStatus.Completed, Metrics = new() { ["val_loss"] = config.LatentDim } };
        }
    }
}
