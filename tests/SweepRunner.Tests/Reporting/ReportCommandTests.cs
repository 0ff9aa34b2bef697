using SweepRunner.Client.Cli;
using SweepRunner.Client.Output;
using Xunit;

namespace SweepRunner.Tests.Reporting;

/// <summary>`sweeprunner report DIR` in-process.</summary>
public sealed class ReportCommandTests
{
    private static Task<(int Code, string Out, string Err)> Cli(params string[] args) => Tests.Cli.InProcessCli.Run(args);

    [Fact]
    public async Task Run_writes_the_report_when_the_sweep_completes()
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-report-run-").FullName;
        try
        {
            var spec = Path.Combine(folder, "tiny.yaml");
            File.WriteAllText(spec, TinySweep);
            var runDir = Path.Combine(folder, "run");

            var (code, output, errors) = await Cli("run", spec, "--out", runDir);

            Assert.True(code == 0, $"exit {code}\n{output}\n{errors}");
            Assert.Contains("report: ", output);
            var markdown = File.ReadAllText(Path.Combine(runDir, "report.md"));
            Assert.Contains("| latent_dim | AE | VAE β=1 |", markdown);
            Assert.True(File.Exists(Path.Combine(runDir, "report.html")));
            Assert.True(File.Exists(Path.Combine(runDir, "figures", "reconstruction_test_mse.png")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private const string TinySweep = """
        name: report-tiny
        dataset: {name: fashion-mnist, train_limit: 400, test_limit: 100, validation: 0.25}
        method: grid
        seed: 5
        metric: {name: val_loss, goal: minimize}
        parameters:
          model: {values: [ae, vae]}
          latent_dim: {values: [2]}
          hidden: {value: [32, 16]}
          batch_size: {value: 64}
          epochs: {value: 1}
        evaluation: {samples: 100, probes: false, generation: false, figures: false}
        resources: {max_concurrent_trials: 2, threads_per_trial: 1}
        """;

    [Fact]
    public async Task Report_writes_markdown_html_and_figures_into_the_run_folder()
    {
        using var run = new SyntheticRun(SyntheticRun.Spec, SyntheticRun.FullSweep());

        var (code, output, errors) = await Cli("report", run.Folder);

        Assert.True(code == 0, $"exit {code}\n{output}\n{errors}");
        Assert.Contains("report.md", output);
        Assert.True(File.Exists(Path.Combine(run.Folder, "report.md")));
        Assert.True(File.Exists(Path.Combine(run.Folder, "report.html")));
        Assert.True(File.Exists(Path.Combine(run.Folder, "figures", "reconstruction_test_mse.png")));
    }

    [Fact]
    public async Task Report_of_a_folder_without_a_sweep_is_invalid_input()
    {
        var empty = Directory.CreateTempSubdirectory("sweeprunner-report-empty-").FullName;
        try
        {
            var (code, _, errors) = await Cli("report", empty);

            Assert.Equal(ExitCodes.InvalidInput, code);
            Assert.Contains("holds no sweep", errors);
            Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
