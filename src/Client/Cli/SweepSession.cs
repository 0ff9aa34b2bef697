using System.Diagnostics;
using SweepRunner.Client.Output;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Results;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;

namespace SweepRunner.Client.Cli;

/// <summary>Follows one sweep on a cluster and keeps the run folder's files in step with it.</summary>
public sealed class SweepSession(ClusterConnection connection, RunFolder folder, SweepSpec spec, IProgressView view, TextWriter output)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);
    /// <summary>How long the coordinator may stay unreachable (moving to another silo, say) before we give up following.</summary>
    private static readonly TimeSpan UnreachableLimit = TimeSpan.FromMinutes(3);

    /// <summary>Starts the sweep when <paramref name="startYaml"/> is given (a no-op if it already runs), then follows it to the end.</summary>
    public async Task<int> FollowAsync(string? startYaml, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var coordinator = connection.Client.GetGrain<ISweepCoordinatorGrain>(folder.SweepId);
        try
        {
            if (startYaml is not null) await coordinator.Start(spec, startYaml);
            await view.RunAsync(() => WatchAsync(coordinator, cancellation));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            output.WriteLine(connection.Embedded
                ? $"interrupted; finished trials are in {folder.ResultsFile}. Continue with: sweeprunner resume {folder.Path}"
                : $"detached; the sweep goes on in the cluster. Follow it again with: sweeprunner watch {folder.SweepId} --cluster ...");
            return connection.Embedded ? ExitCodes.Failure : ExitCodes.Success;
        }

        var status = await coordinator.GetStatus();
        var table = new LeaderboardTable(await coordinator.GetLeaderboard(), spec.Metric, spec.SweptParameterNames());
        folder.WriteLeaderboards(table);
        output.WriteLine();
        output.Write(table.ToMarkdown());
        output.WriteLine();
        output.WriteLine($"{status.Total} trials: {status.Count(TrialStatus.Completed)} completed, {status.Count(TrialStatus.Diverged)} diverged, " +
                         $"{status.Count(TrialStatus.Failed)} failed, {status.Count(TrialStatus.Stopped)} stopped; wall time {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"results: {folder.Path}");
        if (status.State == SweepState.Completed && status.Count(TrialStatus.Completed) > 0) WriteReport();
        return status.Count(TrialStatus.Completed) > 0 || status.Total == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The report is a by-product: a failure to write it is shown but does not fail a sweep whose results are safe.</summary>
    private void WriteReport()
    {
        try
        {
            folder.WriteReport(output);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            output.WriteLine($"report not written: {ex.Message} (retry with: sweeprunner report {folder.Path})");
        }
    }

    /// <summary>
    /// Polls the coordinator, appending each newly finished trial to results.jsonl once, until the sweep ends. A trial's
    /// figures are written first, so a results line always has its figures beside it.
    /// </summary>
    private async Task WatchAsync(ISweepCoordinatorGrain coordinator, CancellationToken cancellation)
    {
        ResultsFile.RepairTail(folder.ResultsFile);
        var written = folder.ReadResults().Select(r => r.TrialId).ToHashSet();
        var cursor = 0;
        DateTime? unreachableSince = null;
        while (true)
        {
            SweepStatus status;
            List<TrialRecord> finished;
            try
            {
                status = await coordinator.GetStatus();
                finished = await coordinator.GetFinished(cursor);
                unreachableSince = null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The sweep goes on without us: a coordinator moving to another silo is a pause, not an end.
                unreachableSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - unreachableSince > UnreachableLimit) throw;
                output.WriteLine($"coordinator unreachable ({ex.GetType().Name}); retrying");
                await Task.Delay(PollEvery, cancellation);
                continue;
            }
            if (finished.Count > 0)
            {
                cursor = finished[^1].FinishOrder;
                var fresh = finished.Where(t => !written.Contains(t.Spec.TrialId)).ToList();
                foreach (var trial in fresh.Where(t => t.Status == TrialStatus.Completed))
                    await WriteFiguresAsync(trial.Spec.TrialId);
                written.UnionWith(fresh.Select(t => t.Spec.TrialId));
                ResultsFile.Append(folder.ResultsFile, fresh.Select(TrialResultLine.From));
                foreach (var trial in fresh) view.TrialFinished(trial, status);
            }
            view.Show(status);
            if (status.State != SweepState.Running && finished.Count == 0) return;
            await Task.Delay(PollEvery, cancellation);
        }
    }

    /// <summary>Fetches a trial's figures into its folder; the results line matters more, so a failure is only reported.</summary>
    private async Task WriteFiguresAsync(string trialId)
    {
        try
        {
            var trial = connection.Client.GetGrain<ITrialGrain>(TrialGrainKey.Of(folder.SweepId, trialId));
            folder.WriteTrialArtifacts(trialId, await trial.GetArtifacts());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            output.WriteLine($"could not fetch the figures of {trialId} ({ex.GetType().Name}: {ex.Message})");
        }
    }
}
