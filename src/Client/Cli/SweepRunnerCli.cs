using System.CommandLine;
using SweepRunner.Client.Output;
using SweepRunner.Core.Search;
using SweepRunner.Core.Specs;

namespace SweepRunner.Client.Cli;

/// <summary>The <c>sweeprunner</c> command line. Output goes to the given writers so tests can run it in-process.</summary>
public sealed class SweepRunnerCli(TextWriter output, TextWriter errors, Func<IReadOnlyList<string>, IProgressView> progressView)
{
    public static Task<int> RunConsoleAsync(string[] args) =>
        new SweepRunnerCli(Console.Out, Console.Error, IProgressView.ForConsole).InvokeAsync(args);

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

        var specArgument = new Argument<FileInfo>("spec") { Description = "the sweep spec (YAML); see docs/spec.md" };
        var outOption = new Option<DirectoryInfo?>("--out") { Description = "run folder for results (default: runs/<name>-<timestamp>/); must be new or empty" };
        var run = new Command("run", "Run a sweep on a silo embedded in this process, with live progress; writes results.jsonl, leaderboard.csv/.md and a copy of the spec.")
        {
            specArgument, outOption,
        };
        run.SetAction((parse, cancellation) => RunAsync(parse.GetValue(specArgument)!, parse.GetValue(outOption), cancellation));

        var folderArgument = new Argument<DirectoryInfo>("dir") { Description = "a run folder written by `sweeprunner run`" };
        var resume = new Command("resume", "Continue an interrupted sweep from its run folder; finished trials are not run again.") { folderArgument };
        resume.SetAction((parse, cancellation) => ResumeAsync(parse.GetValue(folderArgument)!, cancellation));

        var validateSpec = new Argument<FileInfo>("spec") { Description = "the sweep spec (YAML)" };
        var validate = new Command("validate", "Check a spec and its data set, and print how many trials it expands to. Writes nothing.") { validateSpec };
        validate.SetAction((parse, cancellation) => Validate(parse.GetValue(validateSpec)!, cancellation));

        var boardFolder = new Argument<DirectoryInfo>("dir") { Description = "a run folder (finished or still running)" };
        var leaderboard = new Command("leaderboard", "Print the ranking of a finished or running sweep from its run folder.") { boardFolder };
        leaderboard.SetAction(parse => PrintLeaderboard(parse.GetValue(boardFolder)!));

        root.Subcommands.Add(run);
        root.Subcommands.Add(resume);
        root.Subcommands.Add(validate);
        root.Subcommands.Add(leaderboard);
        return root;
    }

    private async Task<int> RunAsync(FileInfo specFile, DirectoryInfo? outDir, CancellationToken cancellation)
    {
        var document = await SpecLoader.LoadAsync(specFile.FullName, download: true, cancellation);
        var folder = new RunFolder(outDir?.FullName ?? RunFolder.DefaultFor(document.Spec));
        if (Directory.Exists(folder.Path) && Directory.EnumerateFileSystemEntries(folder.Path).Any())
            throw new UsageException(folder.HoldsSweep
                ? $"{folder.Path} already holds a sweep; continue it with `sweeprunner resume {folder.Path}` or choose another --out"
                : $"{folder.Path} is not empty; choose a new or empty --out folder");
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(folder.SpecFile, document.Yaml);
        output.WriteLine($"sweep {document.Spec.Name}: {TrialPlanner.Count(document.Spec)} trials, run folder {folder.Path}");
        return await new SweepSession(folder, document.Spec, document.Yaml, progressView(document.Spec.SweptParameterNames()), output).RunAsync(cancellation);
    }

    private async Task<int> ResumeAsync(DirectoryInfo dir, CancellationToken cancellation)
    {
        var folder = new RunFolder(dir.FullName);
        if (!folder.HoldsSweep) throw new UsageException($"{folder.Path} holds no sweep (no spec.yaml)");
        var document = await SpecLoader.LoadAsync(folder.SpecFile, download: true, cancellation);
        output.WriteLine($"resuming sweep {document.Spec.Name} in {folder.Path}");
        return await new SweepSession(folder, document.Spec, document.Yaml, progressView(document.Spec.SweptParameterNames()), output).RunAsync(cancellation);
    }

    private async Task<int> Validate(FileInfo specFile, CancellationToken cancellation)
    {
        var document = await SpecLoader.LoadAsync(specFile.FullName, download: false, cancellation);
        var spec = document.Spec;
        output.WriteLine($"{specFile.Name}: ok. Sweep '{spec.Name}' ({spec.Method.ToString().ToLowerInvariant()} search, repeats {spec.Repeats}) " +
                         $"expands to {TrialPlanner.Count(spec)} trials, ranked by {spec.Metric.Name} ({spec.Metric.Goal.ToString().ToLowerInvariant()}).");
        return ExitCodes.Success;
    }

    private int PrintLeaderboard(DirectoryInfo dir)
    {
        var folder = new RunFolder(dir.FullName);
        if (!folder.HoldsSweep) throw new UsageException($"{folder.Path} holds no sweep (no spec.yaml)");
        var spec = SpecParser.Load(folder.SpecFile).Spec;
        var table = new LeaderboardTable(folder.Rank(spec.Metric), spec.Metric, spec.SweptParameterNames());
        output.Write(table.ToMarkdown());
        output.WriteLine($"{table.Rows.Count} finished trials of {TrialPlanner.Count(spec)}");
        return ExitCodes.Success;
    }
}

/// <summary>A command used in a way that cannot work (a folder in the wrong state, say): exit code 2, nothing written.</summary>
public sealed class UsageException(string message) : Exception(message);
