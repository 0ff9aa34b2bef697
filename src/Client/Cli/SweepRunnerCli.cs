using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using SweepRunner.Client.Output;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Search;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using SweepRunner.Workers.Hosting;

namespace SweepRunner.Client.Cli;

/// <summary>The <c>sweeprunner</c> command line. Output goes to the given writers so tests can run it in-process.</summary>
public sealed class SweepRunnerCli(TextWriter output, TextWriter errors, Func<IReadOnlyList<string>, IProgressView> progressView)
{
    public static Task<int> RunConsoleAsync(string[] args) =>
        new SweepRunnerCli(Console.Out, Console.Error, IProgressView.ForConsole).InvokeAsync(args);

    private readonly Option<string?> _cluster = new("--cluster")
    {
        Description = "join a running cluster through its Redis (redis://HOST:PORT) instead of embedding a silo",
    };
    private readonly Option<string> _clusterId = new("--cluster-id") { Description = "the cluster's id", DefaultValueFactory = _ => "sweeprunner" };
    private readonly Option<string> _serviceId = new("--service-id") { Description = "the cluster's service id", DefaultValueFactory = _ => "sweeprunner" };
    private readonly Option<DirectoryInfo?> _out = new("--out")
    {
        Description = "run folder for results (default: runs/<sweep id>/); for `run`, it must be new or empty",
    };

    public async Task<int> InvokeAsync(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) errors.WriteLine($"error: {error.Message}");
            errors.WriteLine("see: sweeprunner --help");
            return ExitCodes.InvalidInput;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors, EnableDefaultExceptionHandler = false });
        }
        catch (SpecException ex)
        {
            foreach (var error in ex.Errors) errors.WriteLine($"error: {error}");
            return ExitCodes.InvalidInput;
        }
        catch (UsageException ex)
        {
            errors.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
    }

    private RootCommand BuildRoot()
    {
        var root = new RootCommand("SweepRunner: hyperparameter sweeps of autoencoders (AE, DAE, VAE) trained by Orleans grains with TorchSharp.");

        var runSpec = new Argument<FileInfo>("spec") { Description = "the sweep spec (YAML); see docs/spec.md" };
        var run = new Command("run", "Run a sweep: on a silo embedded in this process, or with --cluster on a running cluster. " +
                                     "Shows progress; writes results.jsonl, leaderboard.csv/.md and a copy of the spec into the run folder.")
        {
            runSpec, _out, _cluster, _clusterId, _serviceId,
        };
        run.SetAction((parse, cancellation) => RunAsync(parse, parse.GetValue(runSpec)!, cancellation));

        var resumeTarget = new Argument<string>("target") { Description = "a run folder; with --cluster, a sweep id" };
        var resume = new Command("resume", "Continue an interrupted sweep; finished trials are not run again, running ones resume from their last checkpoint.")
        {
            resumeTarget, _out, _cluster, _clusterId, _serviceId,
        };
        resume.SetAction((parse, cancellation) => ResumeAsync(parse, parse.GetValue(resumeTarget)!, cancellation));

        var watchId = new Argument<string>("sweep-id") { Description = "the sweep to follow (its run folder's name)" };
        var watch = new Command("watch", "Follow a sweep running on a cluster until it ends, filling its run folder. Leaving (Ctrl+C) does not stop the sweep.")
        {
            watchId, _out, _cluster, _clusterId, _serviceId,
        };
        watch.SetAction((parse, cancellation) => WatchAsync(parse, parse.GetValue(watchId)!, cancellation));

        var statusId = new Argument<string>("sweep-id") { Description = "the sweep" };
        var status = new Command("status", "Print a cluster sweep's progress once.") { statusId, _cluster, _clusterId, _serviceId };
        status.SetAction((parse, cancellation) => StatusAsync(parse, parse.GetValue(statusId)!, cancellation));

        var validateSpec = new Argument<FileInfo>("spec") { Description = "the sweep spec (YAML)" };
        var validate = new Command("validate", "Check a spec and its data set, and print how many trials it expands to. Writes nothing.") { validateSpec };
        validate.SetAction((parse, cancellation) => Validate(parse.GetValue(validateSpec)!, cancellation));

        var boardTarget = new Argument<string>("target") { Description = "a run folder (finished or still running); with --cluster, a sweep id" };
        var leaderboard = new Command("leaderboard", "Print the ranking of a finished or running sweep.") { boardTarget, _cluster, _clusterId, _serviceId };
        leaderboard.SetAction((parse, cancellation) => LeaderboardAsync(parse, parse.GetValue(boardTarget)!, cancellation));

        var reportTarget = new Argument<DirectoryInfo>("dir") { Description = "a run folder (finished or still running)" };
        var report = new Command("report", "Write report.md and report.html (figures in figures/) into a run folder: the seed's five questions " +
                                           "answered from the sweep's numbers. `run` writes it when the sweep completes.") { reportTarget };
        report.SetAction(parse => Report(parse.GetValue(reportTarget)!));

        var silo = new Command("silo", "Run a silo of a cluster in this process (membership, state and checkpoints in Redis). " +
                                       "Settings also come from appsettings.json and SweepRunner__* environment variables.");
        foreach (var (flag, _, description) in ClusterSettings.Flags)
            silo.Options.Add(new Option<string>(flag) { Description = description });
        silo.SetAction((parse, cancellation) => SiloAsync(parse, cancellation));

        foreach (var command in new[] { run, resume, watch, status, validate, leaderboard, report, silo }) root.Subcommands.Add(command);
        return root;
    }

    private RemoteCluster? ClusterOf(ParseResult parse) =>
        parse.GetValue(_cluster) is { } redis ? new RemoteCluster(redis, parse.GetValue(_clusterId)!, parse.GetValue(_serviceId)!) : null;

    private RemoteCluster RequireCluster(ParseResult parse, string command) =>
        ClusterOf(parse) ?? throw new UsageException($"`{command}` follows a sweep on a cluster: give --cluster redis://HOST:PORT");

    private async Task<int> RunAsync(ParseResult parse, FileInfo specFile, CancellationToken cancellation)
    {
        var document = await SpecLoader.LoadAsync(specFile.FullName, download: true, cancellation);
        var folder = new RunFolder(parse.GetValue(_out)?.FullName ?? RunFolder.DefaultFor(document.Spec));
        if (Directory.Exists(folder.Path) && Directory.EnumerateFileSystemEntries(folder.Path).Any())
            throw new UsageException(folder.HoldsSweep
                ? $"{folder.Path} already holds a sweep; continue it with `sweeprunner resume {folder.Path}` or choose another --out"
                : $"{folder.Path} is not empty; choose a new or empty --out folder");
        var cluster = ClusterOf(parse);
        // Join before writing anything: a cluster that cannot be reached leaves no folder behind.
        await using var connection = cluster is null ? null : await ClusterConnection.RemoteAsync(cluster, logFile: null, cancellation);
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(folder.SpecFile, document.Yaml);
        output.WriteLine($"sweep {folder.SweepId}: {TrialPlanner.Count(document.Spec)} trials, run folder {folder.Path}" +
                         (cluster is null ? "" : $", on the cluster at {cluster.Redis}"));
        return await FollowAsync(connection, folder, document.Spec, document.Yaml, cancellation);
    }

    private async Task<int> FollowAsync(ClusterConnection? remote, RunFolder folder, SweepSpec spec, string? startYaml, CancellationToken cancellation)
    {
        await using var embedded = remote is null ? await ClusterConnection.EmbeddedAsync(folder, spec, cancellation) : null;
        var session = new SweepSession(remote ?? embedded!, folder, spec, progressView(spec.SweptParameterNames()), output);
        return await session.FollowAsync(startYaml, cancellation);
    }

    private async Task<int> ResumeAsync(ParseResult parse, string target, CancellationToken cancellation)
    {
        if (ClusterOf(parse) is null)
        {
            var folder = new RunFolder(target);
            if (!folder.HoldsSweep) throw new UsageException($"{folder.Path} holds no sweep (no spec.yaml)");
            var document = await SpecLoader.LoadAsync(folder.SpecFile, download: true, cancellation);
            output.WriteLine($"resuming sweep {folder.SweepId} in {folder.Path}");
            return await FollowAsync(null, folder, document.Spec, document.Yaml, cancellation);
        }
        output.WriteLine($"resuming sweep {target} on the cluster");
        return await WatchAsync(parse, target, cancellation);
    }

    private async Task<int> WatchAsync(ParseResult parse, string sweepId, CancellationToken cancellation)
    {
        await using var connection = await ClusterConnection.RemoteAsync(RequireCluster(parse, "watch"), logFile: null, cancellation);
        var started = await SweepOn(connection, sweepId).GetSpec() ?? throw new UsageException($"no sweep '{sweepId}' on this cluster");
        var folder = new RunFolder(parse.GetValue(_out)?.FullName ?? Path.Combine("runs", sweepId));
        if (folder.SweepId != sweepId) throw new UsageException($"the run folder of sweep '{sweepId}' must be named '{sweepId}'");
        Directory.CreateDirectory(folder.Path);
        if (!folder.HoldsSweep) File.WriteAllText(folder.SpecFile, started.Yaml);
        return await FollowAsync(connection, folder, started.Spec, startYaml: null, cancellation);
    }

    private async Task<int> StatusAsync(ParseResult parse, string sweepId, CancellationToken cancellation)
    {
        await using var connection = await ClusterConnection.RemoteAsync(RequireCluster(parse, "status"), logFile: null, cancellation);
        var coordinator = SweepOn(connection, sweepId);
        if (await coordinator.GetSpec() is null) throw new UsageException($"no sweep '{sweepId}' on this cluster");
        var status = await coordinator.GetStatus();
        output.WriteLine($"{status.SweepId} ({status.Name}): {status.State.ToString().ToLowerInvariant()}, {status.Finished}/{status.Total} finished " +
                         $"({status.Count(TrialStatus.Completed)} completed, {status.Count(TrialStatus.Diverged)} diverged, {status.Count(TrialStatus.Failed)} failed), " +
                         $"{status.Running.Count} running, {status.Count(TrialStatus.Pending)} pending; coordinator on {status.CoordinatorSilo}");
        foreach (var trial in status.Running)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {trial.TrialId} attempt {trial.Attempt} epoch {trial.Epoch}/{trial.Epochs} {status.Metric.Name}={LeaderboardTable.Format(trial.MetricValue)} on {trial.Silo}"));
        return ExitCodes.Success;
    }

    private async Task<int> Validate(FileInfo specFile, CancellationToken cancellation)
    {
        var document = await SpecLoader.LoadAsync(specFile.FullName, download: false, cancellation);
        var spec = document.Spec;
        output.WriteLine($"{specFile.Name}: ok. Sweep '{spec.Name}' ({spec.Method.ToString().ToLowerInvariant()} search, repeats {spec.Repeats}) " +
                         $"expands to {TrialPlanner.Count(spec)} trials, ranked by {spec.Metric.Name} ({spec.Metric.Goal.ToString().ToLowerInvariant()}).");
        return ExitCodes.Success;
    }

    private async Task<int> LeaderboardAsync(ParseResult parse, string target, CancellationToken cancellation)
    {
        LeaderboardTable table;
        long total;
        if (ClusterOf(parse) is { } cluster)
        {
            await using var connection = await ClusterConnection.RemoteAsync(cluster, logFile: null, cancellation);
            var coordinator = SweepOn(connection, target);
            var started = await coordinator.GetSpec() ?? throw new UsageException($"no sweep '{target}' on this cluster");
            table = new LeaderboardTable(await coordinator.GetLeaderboard(), started.Spec.Metric, started.Spec.SweptParameterNames());
            total = TrialPlanner.Count(started.Spec);
        }
        else
        {
            var folder = new RunFolder(target);
            if (!folder.HoldsSweep) throw new UsageException($"{folder.Path} holds no sweep (no spec.yaml)");
            var spec = SpecParser.Load(folder.SpecFile).Spec;
            table = new LeaderboardTable(folder.Rank(spec.Metric), spec.Metric, spec.SweptParameterNames());
            total = TrialPlanner.Count(spec);
        }
        output.Write(table.ToMarkdown());
        output.WriteLine($"{table.Rows.Count} finished trials of {total}");
        return ExitCodes.Success;
    }

    private int Report(DirectoryInfo target)
    {
        var folder = new RunFolder(target.FullName);
        if (!folder.HoldsSweep) throw new UsageException($"{folder.Path} holds no sweep (no spec.yaml)");
        if (!File.Exists(folder.ResultsFile)) throw new UsageException($"{folder.ResultsFile}: no trial has finished yet, nothing to report");
        folder.WriteReport(output);
        return ExitCodes.Success;
    }

    private async Task<int> SiloAsync(ParseResult parse, CancellationToken cancellation)
    {
        // The flags are declared above for --help and validation; configuration binding reads them from the raw tokens.
        var args = parse.Tokens.SkipWhile(t => t.Value != "silo").Skip(1).Select(t => t.Value).ToArray();
        var settings = ClusterSilo.ReadSettings(args);
        output.WriteLine($"silo: {settings}, {settings.ToSlotOptions().Slots} training slot(s)");
        using var host = ClusterSilo.Build(settings);
        await host.RunAsync(cancellation);
        return ExitCodes.Success;
    }

    private static ISweepCoordinatorGrain SweepOn(ClusterConnection connection, string sweepId) =>
        connection.Client.GetGrain<ISweepCoordinatorGrain>(sweepId);
}

/// <summary>A command used in a way that cannot work (a folder in the wrong state, say): exit code 2, nothing written.</summary>
public sealed class UsageException(string message) : Exception(message);
