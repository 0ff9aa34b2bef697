using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweepRunner.Client.Output;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Results;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using SweepRunner.Workers.Execution;
using SweepRunner.Workers.Hosting;

namespace SweepRunner.Client.Cli;

/// <summary>Runs a sweep on a silo embedded in this process and keeps the run folder's files in step with it.</summary>
public sealed class SweepSession(RunFolder folder, SweepSpec spec, string specYaml, IProgressView view, TextWriter output)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);

    public async Task<int> RunAsync(CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        using var host = BuildEmbeddedHost();
        await host.StartAsync(cancellation);
        try
        {
            var coordinator = host.Services.GetRequiredService<IClusterClient>().GetGrain<ISweepCoordinatorGrain>(folder.SweepId);
            await coordinator.Start(spec, specYaml);
            await view.RunAsync(() => WatchAsync(coordinator, cancellation));

            var status = await coordinator.GetStatus();
            var table = new LeaderboardTable(await coordinator.GetLeaderboard(), spec.Metric, spec.SweptParameterNames());
            folder.WriteLeaderboards(table);
            output.WriteLine();
            output.Write(table.ToMarkdown());
            output.WriteLine();
            output.WriteLine($"{status.Total} trials: {status.Count(TrialStatus.Completed)} completed, {status.Count(TrialStatus.Diverged)} diverged, " +
                             $"{status.Count(TrialStatus.Failed)} failed, {status.Count(TrialStatus.Stopped)} stopped; wall time {clock.Elapsed.TotalSeconds:F1} s");
            output.WriteLine($"results: {folder.Path}");
            return status.Count(TrialStatus.Completed) > 0 || status.Total == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            output.WriteLine($"interrupted; finished trials are in {folder.ResultsFile}. Continue with: sweeprunner resume {folder.Path}");
            return ExitCodes.Failure;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Polls the coordinator, appending each newly finished trial to results.jsonl once, until the sweep ends.</summary>
    private async Task WatchAsync(ISweepCoordinatorGrain coordinator, CancellationToken cancellation)
    {
        var written = folder.ReadResults().Select(r => r.TrialId).ToHashSet();
        var cursor = 0;
        while (true)
        {
            var status = await coordinator.GetStatus();
            var finished = await coordinator.GetFinished(cursor);
            if (finished.Count > 0)
            {
                cursor = finished[^1].FinishOrder;
                var fresh = finished.Where(t => written.Add(t.Spec.TrialId)).ToList();
                ResultsFile.Append(folder.ResultsFile, fresh.Select(TrialResultLine.From));
                foreach (var trial in fresh) view.TrialFinished(trial, status);
            }
            view.Show(status);
            if (status.State != SweepState.Running && finished.Count == 0) return;
            await Task.Delay(PollEvery, cancellation);
        }
    }

    private IHost BuildEmbeddedHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseSweepRunnerLogging(folder.LogFile);
        var threads = spec.Resources.ThreadsPerTrial;
        var training = new SlotOptions
        {
            ThreadsPerTrial = threads,
            Slots = Math.Min(spec.Resources.MaxConcurrentTrials, SlotOptions.DefaultSlots(threads)),
        };
        builder.UseOrleans(silo => silo.UseEmbeddedCluster(folder.Path).AddSweepRunnerWorkers(training));
        return builder.Build();
    }
}
