using System.Diagnostics;
using System.Globalization;

namespace SweepRunner.Bench;

/// <summary>
/// Seconds from starting the built `sweeprunner run` to its first epoch starting: process start, host and silo,
/// spec and data set checks, coordinator, dispatch, data set load. The end is the executor's "Training starts"
/// log line, whose timestamp the run's log file holds.
/// </summary>
internal static class StartupBench
{
    private const string Marker = "Training starts";

    public static double MedianSeconds(BenchSettings settings, Action<string> progress)
    {
        var client = Path.Combine(settings.RepositoryRoot, "src", "Client", "bin", "Release", "net10.0", "sweeprunner.dll");
        if (!File.Exists(client))
            throw new FileNotFoundException($"{client} is not built; scripts/bench.sh builds it before running the harness", client);
        var spec = Path.Combine(settings.WorkFolder, "startup.yaml");
        File.WriteAllText(spec, """
            name: bench-startup
            dataset: {name: fashion-mnist, train_limit: 6000, test_limit: 1000, validation: 0.1}
            seed: 7
            parameters:
              model: {value: ae}
              latent_dim: {value: 2}
              epochs: {value: 1}
            resources: {max_concurrent_trials: 1, threads_per_trial: 1}
            """);
        var times = new List<double>();
        for (int run = 0; run <= settings.StartupRepeats; run++)
        {
            var folder = Path.Combine(settings.WorkFolder, $"startup-{run}");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { client, "run", spec, "--out", folder }) start.ArgumentList.Add(argument);
            var launched = DateTimeOffset.Now;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start sweeprunner");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"sweeprunner run exited {process.ExitCode}: {stdout.Result}{stderr.Result}");
            double seconds = (FirstEpochStart(Path.Combine(folder, "sweeprunner.log")) - launched).TotalSeconds;
            // The first run fills the OS file cache (binaries, data set) and is not counted, as with any warm-up.
            if (run > 0) times.Add(seconds);
            progress($"run to first epoch {seconds:F2} s{(run == 0 ? " (warm-up)" : "")}");
        }
        return Statistics.Median(times);
    }

    /// <summary>The timestamp of the first "Training starts" line (Serilog's file format: "yyyy-MM-dd HH:mm:ss.fff zzz [LVL] message").</summary>
    private static DateTimeOffset FirstEpochStart(string logFile)
    {
        var line = File.ReadLines(logFile).FirstOrDefault(l => l.Contains(Marker, StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"{logFile} has no '{Marker}' line");
        return DateTimeOffset.ParseExact(line[..30], "yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture);
    }
}
