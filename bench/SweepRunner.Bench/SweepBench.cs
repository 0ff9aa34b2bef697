using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Trials;

namespace SweepRunner.Bench;

/// <summary>Sweeps on the embedded silo: real trials on every core, and sleep trials that measure orchestration alone.</summary>
internal static class SweepBench
{
    public sealed record EfficiencyResult(int Cores, int Trials, double SingleTrialSeconds, double SweepSeconds)
    {
        /// <summary>Trials per second of the sweep over cores × the single-trial rate.</summary>
        public double Efficiency => Trials / SweepSeconds / (Cores / SingleTrialSeconds);
    }

    /// <summary>One trial alone, cores × 2 of the same trial (other seeds) with one trial per core, one alone again; in one cluster.</summary>
    public static async Task<EfficiencyResult> EfficiencyAsync(BenchSettings settings, Action<string> progress)
    {
        int cores = Environment.ProcessorCount;
        await using var cluster = await BenchCluster.StartAsync(Path.Combine(settings.WorkFolder, "sweep"), slots: cores, threadsPerTrial: 1);
        // The first trial loads the data set and compiles the code paths; not counted.
        await RunChecked(cluster, "warm-up", RealTrials(settings.SweepTrainLimit, repeats: 1, concurrent: 1));
        // The single trial runs before and after the sweep, so a drift in the machine's speed affects both sides alike.
        double before = await RunChecked(cluster, "single-before", RealTrials(settings.SweepTrainLimit, repeats: 1, concurrent: 1));
        progress($"single trial {before:F2} s");
        double sweep = await RunChecked(cluster, "all-cores", RealTrials(settings.SweepTrainLimit, repeats: settings.SweepTrials, concurrent: cores));
        progress($"{settings.SweepTrials} trials on {cores} cores {sweep:F2} s");
        double after = await RunChecked(cluster, "single-after", RealTrials(settings.SweepTrainLimit, repeats: 1, concurrent: 1));
        progress($"single trial {after:F2} s");
        return new EfficiencyResult(cores, settings.SweepTrials, (before + after) / 2, sweep);
    }

    private static async Task<double> RunChecked(BenchCluster cluster, string sweepId, string yaml)
    {
        var (seconds, status) = await cluster.RunSweepAsync(sweepId, yaml, TimeSpan.FromMilliseconds(20));
        if (status.Count(TrialStatus.Completed) != status.Total)
            throw new InvalidOperationException($"benchmark sweep {sweepId}: only {status.Count(TrialStatus.Completed)} of {status.Total} trials completed");
        return seconds;
    }

    /// <summary>The seed AE for one epoch; repeats differ only in their seeds, so every trial does the same work.</summary>
    private static string RealTrials(int trainLimit, int repeats, int concurrent) => $$"""
        name: bench-real
        dataset: {name: fashion-mnist, train_limit: {{trainLimit}}, test_limit: 1000, validation: 0.1}
        seed: 7
        repeats: {{repeats}}
        parameters:
          model: {value: ae}
          latent_dim: {value: 2}
          hidden: {value: [500, 120]}
          learning_rate: {value: 0.001}
          batch_size: {value: 128}
          epochs: {value: 1}
        resources: {max_concurrent_trials: {{concurrent}}, threads_per_trial: 1}
        """;

    public static string SleepTrials(int trials, double seconds, int concurrent) => $$"""
        name: bench-sleep
        dataset: {name: fashion-mnist}
        seed: 7
        repeats: {{trials}}
        parameters:
          model: {value: sleep}
          sleep_seconds: {value: {{seconds.ToString(CultureInfo.InvariantCulture)}}}
          epochs: {value: 1}
        resources: {max_concurrent_trials: {{concurrent}}, threads_per_trial: 1}
        """;

    /// <summary>What a sleep sweep in a child process measured: its wall time and the process's peak resident memory.</summary>
    public sealed record SleepResult(int Trials, int Completed, double Seconds, long PeakResidentBytes);

    /// <summary>
    /// Runs a sleep sweep in a fresh process of this harness, so its peak memory is the cluster's and the
    /// coordinator's alone, not the trainer benchmarks'.
    /// </summary>
    public static SleepResult SleepSweepInChild(BenchSettings settings, string name, int trials, double seconds, int slots)
    {
        var folder = Path.Combine(settings.WorkFolder, name);
        var start = ChildProcess.StartInfo(["--child-sleep-sweep", folder, trials.ToString(), seconds.ToString(CultureInfo.InvariantCulture), slots.ToString()]);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the benchmark child process");
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (child.ExitCode != 0 || last is null)
            throw new InvalidOperationException($"sleep sweep child exited {child.ExitCode}: {output}");
        return JsonSerializer.Deserialize<SleepResult>(last) ?? throw new InvalidOperationException($"unreadable child output: {last}");
    }

    /// <summary>The child's side: run the sweep, print its result as one JSON line.</summary>
    public static async Task<int> RunSleepSweepChildAsync(string folder, int trials, double seconds, int slots)
    {
        SweepStatus status;
        double wall;
        await using (var cluster = await BenchCluster.StartAsync(folder, slots, threadsPerTrial: 1))
            (wall, status) = await cluster.RunSweepAsync("sleep", SleepTrials(trials, seconds, slots), TimeSpan.FromMilliseconds(50));
        var result = new SleepResult(status.Total, status.Count(TrialStatus.Completed), wall, ChildProcess.PeakResidentBytes());
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }
}
