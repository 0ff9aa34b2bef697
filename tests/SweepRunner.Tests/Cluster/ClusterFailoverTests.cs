using System.Diagnostics;
using SweepRunner.Client.Cli;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Results;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using Xunit;
using Xunit.Abstractions;

namespace SweepRunner.Tests.Cluster;

/// <summary>
/// Real processes and a real Redis: silos started as `sweeprunner silo`, killed with SIGKILL mid-trial, a cluster
/// stopped whole and started again. Each test prints how long recovery took.
/// </summary>
[Collection(nameof(ClusterFailoverTests))]
public sealed class ClusterFailoverTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan SweepLimit = TimeSpan.FromMinutes(3);
    private readonly string _folder = Directory.CreateTempSubdirectory("sweeprunner-cluster-").FullName;
    private readonly List<SiloProcess> _silos = [];
    private RedisServer _redis = null!;

    /// <summary>Six trials of six short epochs (well under a second each here): long enough to be caught mid-training.</summary>
    private const string SweepYaml = """
        name: failover
        dataset: {name: fashion-mnist, train_limit: 3000, test_limit: 500, validation: 0.2}
        method: random
        count: 6
        seed: 11
        parameters:
          model: {values: [ae, dae, vae]}
          latent_dim: {values: [2, 8]}
          hidden: {value: [256, 64]}
          learning_rate: {distribution: log_uniform, min: 0.0005, max: 0.005}
          batch_size: {value: 64}
          epochs: {value: 6}
        resources: {max_concurrent_trials: 3}
        evaluation: {samples: 300}
        """;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos) await silo.DisposeAsync();
        await _redis.DisposeAsync();
        if (Environment.GetEnvironmentVariable("KEEPLOGS") is null) Directory.Delete(_folder, recursive: true);
    }

    private async Task StartSilos(int count)
    {
        var started = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => SiloProcess.StartAsync(_redis.Address, _folder)));
        _silos.AddRange(started);
    }

    private Task<ClusterConnection> Connect() =>
        ClusterConnection.RemoteAsync(new RemoteCluster(_redis.Address, "sweeprunner", "sweeprunner"), logFile: null, CancellationToken.None);

    private static SweepSpec ParseSpec() => SpecParser.Parse(SweepYaml, "failover.yaml").Spec;

    /// <summary>Polls the status until <paramref name="condition"/> holds; failed calls (a coordinator moving) are retried.</summary>
    private static async Task<SweepStatus> WaitFor(ISweepCoordinatorGrain coordinator, Func<SweepStatus, bool> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? SweepLimit);
        while (true)
        {
            try
            {
                var status = await coordinator.GetStatus();
                if (condition(status)) return status;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    /// <summary>Kills a silo that trains a trial past epoch 2 and does not hold the coordinator; returns how long until the trial trains again.</summary>
    private async Task<string> KillMidTrialAndMeasureRecovery(ISweepCoordinatorGrain coordinator, int kill)
    {
        RunningTrial? victim = null;
        SiloProcess? silo = null;
        await WaitFor(coordinator, s =>
        {
            victim = s.Running.FirstOrDefault(r => r.Epoch >= 2 && r.Epoch < r.Epochs - 1 && !_silos.Any(p => p.Is(s.CoordinatorSilo) && p.Is(r.Silo))
                                                   && _silos.Any(p => p.Alive && p.Is(r.Silo)));
            silo = victim is null ? null : _silos.First(p => p.Alive && p.Is(victim.Silo));
            return victim is not null;
        }, "a trial past epoch 2 on a silo without the coordinator");

        var clock = Stopwatch.StartNew();
        await silo!.KillAsync();
        var killedAt = victim!;
        var redispatched = await WaitFor(coordinator, s => s.Running.Any(r => r.TrialId == killedAt.TrialId && r.Attempt > killedAt.Attempt), "the re-dispatch");
        var movedAfter = clock.Elapsed;
        var resumed = await WaitFor(coordinator, s => s.Finished == s.Total || s.Running.Any(r => r.TrialId == killedAt.TrialId && r.Attempt > killedAt.Attempt && r.Epoch > killedAt.Epoch),
            "the resumed trial's next epoch");
        var line = $"kill {kill}: {killedAt.TrialId} killed at epoch {killedAt.Epoch} (attempt {killedAt.Attempt}); re-dispatched after {movedAfter.TotalSeconds:F1} s " +
                   $"to {redispatched.Running.First(r => r.TrialId == killedAt.TrialId).Silo}, training past its checkpoint after {clock.Elapsed.TotalSeconds:F1} s";
        log.WriteLine(line);
        return killedAt.TrialId;
    }

    [Fact]
    public async Task A_sweep_survives_two_silos_killed_mid_trial_with_exactly_one_result_per_trial()
    {
        await StartSilos(3);
        var specFile = Path.Combine(_folder, "failover.yaml");
        File.WriteAllText(specFile, SweepYaml);
        var runDir = Path.Combine(_folder, "failover-run");
        using var cli = Process.Start(new ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "sweeprunner.dll"), "run", specFile, "--cluster", $"redis://{_redis.Address}", "--out", runDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var cliOutput = cli.StandardOutput.ReadToEndAsync();
        var cliErrors = cli.StandardError.ReadToEndAsync();

        await using var connection = await Connect();
        var coordinator = connection.Client.GetGrain<ISweepCoordinatorGrain>("failover-run");
        await WaitFor(coordinator, s => s.Total > 0, "the sweep to start", TimeSpan.FromSeconds(60));

        var killed = new List<string>
        {
            await KillMidTrialAndMeasureRecovery(coordinator, 1),
            await KillMidTrialAndMeasureRecovery(coordinator, 2),
        };

        await cli.WaitForExitAsync(new CancellationTokenSource(SweepLimit).Token);
        Assert.True(cli.ExitCode == 0, $"exit {cli.ExitCode}\n{await cliOutput}\n{await cliErrors}");
        var results = ResultsFile.Read(Path.Combine(runDir, "results.jsonl"));
        var lines = File.ReadAllLines(Path.Combine(runDir, "results.jsonl")).Length;
        Assert.Equal(6, lines);                                             // one line per trial, none repeated
        Assert.Equal(6, results.Select(r => r.TrialId).Distinct().Count());
        Assert.All(results, r => Assert.Equal(TrialStatus.Completed, r.Status));
        // Figures are the trial grains' durable state: they reach the client from whichever silo holds the grain now.
        Assert.All(results, r => Assert.True(File.Exists(Path.Combine(runDir, "trials", r.TrialId, "learning_curves.png")), $"{r.TrialId} has no figures"));
        Assert.All(results, r => Assert.Contains("gen_gmm_fid", r.Metrics.Keys));
        foreach (var result in results)
            log.WriteLine($"{result.TrialId}: attempts {result.Attempts}, epochs run {result.EpochsRun} for {result.EpochsDone}, " +
                          string.Join("; ", result.AttemptLog.Select(a => $"#{a.Number} on {a.Silo} from epoch {a.FirstEpoch} ({a.EpochsRun} run): {a.End}")));
        foreach (var result in results)
        {
            var kills = killed.Count(k => k == result.TrialId);
            Assert.Equal(1 + kills, result.Attempts);
            Assert.True(result.EpochsRun - result.EpochsDone <= kills, $"{result.TrialId} re-did {result.EpochsRun - result.EpochsDone} epochs after {kills} kill(s)");
            if (kills > 0)
            {
                Assert.Equal("lost", result.AttemptLog[0].End);
                Assert.True(result.AttemptLog[^1].FirstEpoch > 1, $"{result.TrialId} started over instead of resuming");
            }
        }
    }

    [Fact]
    public async Task The_coordinator_moves_to_another_silo_when_its_silo_is_killed()
    {
        await StartSilos(3);
        await using var connection = await Connect();
        var coordinator = connection.Client.GetGrain<ISweepCoordinatorGrain>("coordinator-kill");
        await coordinator.Start(ParseSpec(), SweepYaml);
        var before = await WaitFor(coordinator, s => s.Running.Any(r => r.Epoch >= 1), "a trial to train");
        var host = _silos.Single(s => s.Is(before.CoordinatorSilo));

        var clock = Stopwatch.StartNew();
        await host.KillAsync();
        var after = await WaitFor(coordinator, s => !host.Is(s.CoordinatorSilo), "the coordinator to reactivate", TimeSpan.FromSeconds(90));
        log.WriteLine($"coordinator on {before.CoordinatorSilo} killed; answering from {after.CoordinatorSilo} after {clock.Elapsed.TotalSeconds:F1} s " +
                      $"with {after.Finished}/{after.Total} finished");

        var done = await WaitFor(coordinator, s => s.State != SweepState.Running, "the sweep to finish");
        Assert.Equal(6, done.Count(TrialStatus.Completed));
        var trials = await coordinator.GetTrials();
        Assert.Equal(Enumerable.Range(1, 6), trials.Select(t => t.FinishOrder).Order());   // each finished exactly once
        log.WriteLine($"sweep finished after {clock.Elapsed.TotalSeconds:F1} s; attempts: {string.Join(", ", trials.Select(t => $"{t.Spec.TrialId}={t.Attempts}"))}");
    }

    [Fact]
    public async Task A_cluster_stopped_whole_resumes_without_rerunning_finished_trials()
    {
        await StartSilos(2);
        List<TrialRecord> finishedBefore;
        List<TrialRecord> planBefore;
        RunningTrial midTraining;
        await using (var connection = await Connect())
        {
            var coordinator = connection.Client.GetGrain<ISweepCoordinatorGrain>("full-stop");
            await coordinator.Start(ParseSpec(), SweepYaml);
            planBefore = await coordinator.GetTrials();
            var status = await WaitFor(coordinator, s => s.Finished >= 2 && s.Running.Any(r => r.Epoch >= 2 && r.Epoch < r.Epochs - 1),
                "two finished trials and one mid-training");
            finishedBefore = await coordinator.GetFinished(0);
            midTraining = status.Running.First(r => r.Epoch >= 2 && r.Epoch < r.Epochs - 1);
            await Task.WhenAll(_silos.Select(s => s.KillAsync()));
        }
        await _redis.RestartAsync();
        var clock = Stopwatch.StartNew();
        var stopped = _silos.ToList();
        _silos.Clear();
        _silos.AddRange(await Task.WhenAll(stopped.Select(s => s.StartAgainAsync())));
        foreach (var silo in stopped) await silo.DisposeAsync();

        await using (var connection = await Connect())
        {
            var coordinator = connection.Client.GetGrain<ISweepCoordinatorGrain>("full-stop");
            await WaitFor(coordinator, s => s.Running.Any(r => r.Epoch >= 1), "training to resume");
            log.WriteLine($"cluster restarted: training again {clock.Elapsed.TotalSeconds:F1} s after the silos started");
            await WaitFor(coordinator, s => s.State != SweepState.Running, "the sweep to finish");
            var after = await coordinator.GetTrials();

            Assert.All(after, t => Assert.Equal(TrialStatus.Completed, t.Status));
            static string Configuration(TrialRecord t) =>
                $"{t.Spec.TrialId} {t.Spec.Config.Model} {t.Spec.Config.LatentDim} {t.Spec.Config.LearningRate:R} {t.Spec.Config.Seed} [{string.Join(",", t.Spec.Config.Hidden)}]";
            Assert.Equal(planBefore.Select(Configuration), after.Select(Configuration));   // the same random search, continued
            foreach (var finished in finishedBefore)
            {
                var now = after.Single(t => t.Spec.TrialId == finished.Spec.TrialId);
                Assert.Equal(finished.Attempts, now.Attempts);                               // not run again
                Assert.Equal(finished.FinishOrder, now.FinishOrder);
            }
            var interrupted = after.Single(t => t.Spec.TrialId == midTraining.TrialId);
            log.WriteLine($"{interrupted.Spec.TrialId} was at epoch {midTraining.Epoch} when the cluster stopped; " +
                          string.Join("; ", interrupted.AttemptLog.Select(a => $"#{a.Number} from epoch {a.FirstEpoch}: {a.End}")));
            Assert.True(interrupted.Attempts > midTraining.Attempt);
            Assert.True(interrupted.AttemptLog[^1].FirstEpoch >= 2, "the interrupted trial started over instead of resuming from its checkpoint");
        }
    }
}

[Collection(nameof(ClusterFailoverTests))]
public sealed class ClusterPlacementTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sweeprunner-placement-").FullName;
    private readonly List<SiloProcess> _silos = [];
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos) await silo.DisposeAsync();
        await _redis.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Trials_spread_over_free_slots_and_a_silo_joining_mid_sweep_gets_work()
    {
        const string yaml = """
            name: spread
            dataset: {name: fashion-mnist}
            seed: 2
            repeats: 8
            parameters:
              model: {value: sleep}
              sleep_seconds: {value: 1}
              epochs: {value: 3}
            resources: {max_concurrent_trials: 4}
            """;
        _silos.Add(await SiloProcess.StartAsync(_redis.Address, _folder, slots: 1));
        await using var connection = await ClusterConnection.RemoteAsync(new RemoteCluster(_redis.Address, "sweeprunner", "sweeprunner"), null, CancellationToken.None);
        var coordinator = connection.Client.GetGrain<ISweepCoordinatorGrain>("spread");
        await coordinator.Start(SpecParser.Parse(yaml, "spread.yaml").Spec, yaml);

        var first = await coordinator.GetStatus();
        Assert.Single(first.Running);                       // one silo, one slot: the limit of 4 is not reached
        _silos.Add(await SiloProcess.StartAsync(_redis.Address, _folder, slots: 2));

        var deadline = DateTime.UtcNow.AddMinutes(2);
        var mostAtOnce = 0;
        SweepStatus status;
        do
        {
            await Task.Delay(200);
            status = await coordinator.GetStatus();
            mostAtOnce = Math.Max(mostAtOnce, status.Running.Count);
        }
        while (status.State == SweepState.Running && DateTime.UtcNow < deadline);
        Assert.Equal(SweepState.Completed, status.State);

        var silos = (await coordinator.GetTrials()).Select(t => t.AttemptLog.Single().Silo).ToList();
        Assert.Contains(silos, s => _silos[1].Is(s));       // the newcomer got work
        Assert.Equal(3, mostAtOnce);                        // 1 + 2 slots in use at once; the limit of 4 never oversubscribed them
    }
}

[CollectionDefinition(nameof(ClusterFailoverTests), DisableParallelization = true)]
public sealed class ClusterFailoverCollection;
