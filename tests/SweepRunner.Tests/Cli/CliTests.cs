using System.Diagnostics;
using SweepRunner.Client.Cli;
using SweepRunner.Client.Output;
using SweepRunner.Core.Results;
using SweepRunner.Core.Trials;
using Xunit;

namespace SweepRunner.Tests.Cli;

/// <summary>The command line end to end, in-process (real Orleans, real TorchSharp, real Fashion-MNIST subset).</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sweeprunner-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string SmallSweep = """
        name: cli-smoke
        dataset: {name: fashion-mnist, train_limit: 600, test_limit: 200, validation: 0.2}
        method: grid
        seed: 3
        metric: {name: val_loss, goal: minimize}
        parameters:
          model: {values: [ae, vae]}
          latent_dim: {value: 2}
          hidden: {value: [32, 16]}
          learning_rate: {value: 0.002}
          batch_size: {value: 64}
          epochs: {value: 2}
        resources: {max_concurrent_trials: 2, threads_per_trial: 1}
        evaluation: {samples: 200}
        """;

    private string WriteSpec(string yaml, string name = "spec.yaml")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static Task<(int Code, string Out, string Err)> Cli(params string[] args) => Tests.Cli.InProcessCli.Run(args);

    [Fact]
    public async Task Run_trains_every_trial_and_writes_results_leaderboards_and_the_spec()
    {
        var spec = WriteSpec(SmallSweep);
        var runDir = Path.Combine(_folder, "run");

        var (code, output, errors) = await Cli("run", spec, "--out", runDir);

        Assert.True(code == 0, $"exit {code}\n{output}\n{errors}");
        Assert.Equal(SmallSweep, File.ReadAllText(Path.Combine(runDir, "spec.yaml")));
        var results = ResultsFile.Read(Path.Combine(runDir, "results.jsonl"));
        Assert.Equal(["t0001", "t0002"], results.Select(r => r.TrialId));
        Assert.All(results, r =>
        {
            Assert.Equal(TrialStatus.Completed, r.Status);
            Assert.Equal(1, r.Attempts);
            Assert.Equal(2, r.EpochsDone);
            Assert.Equal(2, r.History.Count);
            Assert.True(r.Metrics["val_loss"] > 0 && r.Metrics["test_loss"] > 0);
            Assert.True(r.ParameterCount > 0 && r.Seconds > 0);
        });
        Assert.True(results.Single(r => r.Config.Model == ModelKind.Vae).Metrics["val_kl"] >= 0);
        // The end-of-trial evaluation reaches results.jsonl, and the figures the run folder.
        Assert.All(results, r => Assert.True(r.Metrics["gen_prior_fid"] > r.Metrics["fid_floor"] && r.Metrics["test_psnr"] > 0));
        foreach (var trial in results.Select(r => r.TrialId))
        {
            var figures = Directory.GetFiles(Path.Combine(runDir, "trials", trial)).Select(Path.GetFileName).Order();
            Assert.Equal(["codes.png", "learning_curves.png", "manifold.png", "reconstructions.png", "samples_gmm.png", "samples_prior.png"], figures);
        }

        var csv = File.ReadAllLines(Path.Combine(runDir, "leaderboard.csv"));
        Assert.StartsWith("rank,trial,", csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("1,", csv[1]);
        Assert.StartsWith("2,", csv[2]);
        Assert.Contains("| rank | trial |", File.ReadAllText(Path.Combine(runDir, "leaderboard.md")));
        Assert.Contains("2 trials: 2 completed", output);

        var board = await Cli("leaderboard", runDir);
        Assert.Equal(0, board.Code);
        Assert.Contains("| 1 | t000", board.Out);
        Assert.Contains("2 finished trials of 2", board.Out);
    }

    [Fact]
    public async Task A_run_killed_mid_sweep_is_finished_by_resume_with_one_result_per_trial()
    {
        var spec = WriteSpec("""
            name: killed
            dataset: {name: fashion-mnist}
            seed: 5
            repeats: 8
            parameters:
              model: {value: sleep}
              sleep_seconds: {value: 0.3}
              epochs: {value: 2}
            resources: {max_concurrent_trials: 2}
            """);
        var runDir = Path.Combine(_folder, "killed-run");
        var results = Path.Combine(runDir, "results.jsonl");
        using (var run = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "sweeprunner.dll"), "run", spec, "--out", runDir])
               { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(File.Exists(results) && File.ReadAllLines(results).Length >= 2) && DateTime.UtcNow < deadline) await Task.Delay(50);
            run.Kill();                                   // SIGKILL: no chance to tidy up
            await run.WaitForExitAsync();
        }
        var beforeResume = ResultsFile.Read(results);
        Assert.InRange(beforeResume.Count, 2, 7);

        var (code, output, errors) = await Cli("resume", runDir);

        Assert.True(code == 0, $"exit {code}\n{output}\n{errors}");
        var lines = File.ReadAllLines(results).Where(l => l.Length > 0).ToList();
        var after = ResultsFile.Read(results);
        Assert.Equal(8, after.Count);
        Assert.Equal(8, lines.Count);                     // no trial written twice
        Assert.All(after, r => Assert.Equal(TrialStatus.Completed, r.Status));
        foreach (var finished in beforeResume)
            Assert.Equal(finished.FinishedAt, after.Single(r => r.TrialId == finished.TrialId).FinishedAt);   // not run again
    }

    [Fact]
    public async Task Validate_reports_the_trial_count_and_writes_nothing()
    {
        var spec = WriteSpec(SmallSweep);
        var (code, output, _) = await Cli("validate", spec);
        Assert.Equal(0, code);
        Assert.Contains("expands to 2 trials", output);
        Assert.Equal([spec], Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public async Task A_bad_spec_exits_2_naming_file_line_and_key_and_writes_nothing()
    {
        var spec = WriteSpec(SmallSweep.Replace("latent_dim: {value: 2}", "latent_dim: {value: 0}"), "bad.yaml");
        var runDir = Path.Combine(_folder, "never");

        var (code, _, errors) = await Cli("run", spec, "--out", runDir);

        Assert.Equal(2, code);
        Assert.Matches(@"bad\.yaml:8:\d+: parameters\.latent_dim", errors);
        Assert.False(Directory.Exists(runDir));
    }

    [Fact]
    public async Task A_missing_data_set_exits_2_before_anything_is_written()
    {
        var spec = WriteSpec(SmallSweep.Replace("name: fashion-mnist,", $"name: idx, path: {_folder}/nothing-here,"));
        var runDir = Path.Combine(_folder, "never");

        var (code, _, errors) = await Cli("run", spec, "--out", runDir);

        Assert.Equal(2, code);
        Assert.Contains("dataset", errors);
        Assert.Contains("nothing-here", errors);
        Assert.False(Directory.Exists(runDir));
    }

    [Fact]
    public async Task Run_refuses_a_folder_that_already_holds_something()
    {
        var spec = WriteSpec(SmallSweep);
        var runDir = Directory.CreateDirectory(Path.Combine(_folder, "used")).FullName;
        File.WriteAllText(Path.Combine(runDir, "keep.txt"), "mine");

        var (code, _, errors) = await Cli("run", spec, "--out", runDir);

        Assert.Equal(2, code);
        Assert.Contains("not empty", errors);
        Assert.Equal(["keep.txt"], Directory.GetFiles(runDir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Unknown_options_exit_2()
    {
        var (code, _, errors) = await Cli("run", "--frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("frobnicate", errors);
    }

    [Fact]
    public async Task The_built_command_exits_2_on_a_bad_spec()
    {
        var spec = WriteSpec("name: [unclosed\n", "broken.yaml");
        var client = Path.Combine(AppContext.BaseDirectory, "sweeprunner.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [client, "validate", spec])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("broken.yaml:", errors);
    }
}
