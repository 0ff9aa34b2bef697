using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Trials;
using SweepRunner.Workers.Checkpoints;
using SweepRunner.Workers.Execution;

namespace SweepRunner.Workers.Grains;

/// <summary>
/// Trains one trial. <see cref="Run"/> returns as soon as the trial is accepted; training runs on a training
/// slot thread and this activation relays its epoch reports and its outcome to the coordinator, so every
/// grain call is made from the grain's own context and the slot thread never touches Orleans. Each epoch
/// leaves a checkpoint that a later attempt, here or on another silo, resumes from. A completed trial's figures are
/// stored as this grain's own state before the coordinator hears it finished, so a client that sees the trial finished
/// can always fetch them.
/// </summary>
public sealed class TrialGrain(
    TrainingSlots slots, ITrialExecutor executor, ICheckpointStore checkpoints, ILogger<TrialGrain> log,
    [PersistentState("artifacts", StorageNames.Sweeps)] IPersistentState<TrialArtifacts> artifacts)
    : Grain, ITrialGrain
{
    private static readonly TimeSpan[] ReportRetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)];

    private TrialAssignment? _current;
    private CancellationTokenSource? _cancel;

    public Task Run(TrialAssignment assignment)
    {
        // Run is idempotent: the coordinator re-sends it after a restart without knowing whether we still train.
        if (_current is not null && _current.Attempt >= assignment.Attempt) return Task.CompletedTask;
        _cancel?.Cancel();
        _current = assignment;
        _cancel = new CancellationTokenSource();
        _ = TrainAsync(assignment, _cancel.Token);
        return Task.CompletedTask;
    }

    public Task Stop()
    {
        _cancel?.Cancel();
        return Task.CompletedTask;
    }

    public Task<TrialArtifacts> GetArtifacts() => Task.FromResult(artifacts.State);

    private async Task TrainAsync(TrialAssignment assignment, CancellationToken cancellation)
    {
        var trialId = assignment.Trial.TrialId;
        // No request reaches this activation while it trains: keep Orleans from collecting it as idle.
        using var keepAlive = this.RegisterGrainTimer(() => Task.CompletedTask,
            new GrainTimerCreationOptions(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)) { KeepAlive = true });
        var coordinator = GrainFactory.GetGrain<ISweepCoordinatorGrain>(assignment.SweepId);
        var reports = Channel.CreateUnbounded<(EpochReport Report, TaskCompletionSource<TrialDirective> Answer)>(
            new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        var checkpointKey = this.GetPrimaryKeyString();
        TrialArtifacts? figures = null;
        var training = slots.Run(() =>
        {
            var resumeFrom = checkpoints.Load(checkpointKey);
            if (resumeFrom is not null) log.LogInformation("Trial {Trial} attempt {Attempt} resumes from its checkpoint", trialId, assignment.Attempt);
            return executor.Execute(new TrialRun(assignment.Trial.Config, resumeFrom,
                OnEpoch: report =>
                {
                    var answer = new TaskCompletionSource<TrialDirective>(TaskCreationOptions.RunContinuationsAsynchronously);
                    reports.Writer.TryWrite((report, answer));
                    return answer.Task.GetAwaiter().GetResult();
                },
                OnCheckpoint: (_, checkpoint) => checkpoints.Save(checkpointKey, checkpoint),
                // Only kept here: the slot thread must not touch grain state; it is written below, on the grain's context.
                OnArtifacts: made => figures = made), cancellation);
        });
        var relay = RelayEpochsAsync(reports.Reader, coordinator, assignment);

        TrialOutcome outcome;
        try
        {
            outcome = await training;
        }
        catch (OperationCanceledException)
        {
            outcome = new TrialOutcome { Status = TrialStatus.Stopped, Error = "stopped by the coordinator" };
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "Trial {Sweep}/{Trial} attempt {Attempt} failed", assignment.SweepId, trialId, assignment.Attempt);
            outcome = new TrialOutcome { Status = TrialStatus.Failed, Error = $"{ex.GetType().Name}: {ex.Message}" };
        }
        reports.Writer.Complete();
        await relay;
        if (figures is not null) await KeepArtifactsAsync(figures, trialId);

        // Clear before reporting: the coordinator may answer a failure by sending the next attempt here at once.
        if (_current == assignment) _current = null;
        await ReportFinishedAsync(coordinator, assignment, outcome);
        if (_current is null)
        {
            // The result is with the coordinator now; a failed attempt's checkpoint stays for the retry.
            if (outcome.Status != TrialStatus.Failed) await Task.Run(() => checkpoints.Delete(checkpointKey));
            DeactivateOnIdle();
        }
    }

    /// <summary>Stores the figures durably; losing them must not lose the trial's result, so a storage error is only logged.</summary>
    private async Task KeepArtifactsAsync(TrialArtifacts figures, string trialId)
    {
        try
        {
            artifacts.State = figures;
            await artifacts.WriteStateAsync();
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "Could not store the figures of {Trial}", trialId);
        }
    }

    private async Task RelayEpochsAsync(ChannelReader<(EpochReport Report, TaskCompletionSource<TrialDirective> Answer)> reader,
        ISweepCoordinatorGrain coordinator, TrialAssignment assignment)
    {
        await foreach (var (report, answer) in reader.ReadAllAsync())
        {
            try
            {
                answer.SetResult(await coordinator.ReportEpoch(assignment.Trial.TrialId, assignment.Attempt, report));
            }
            catch (Exception ex)
            {
                // Progress reports are advisory; the final report is the one that must arrive.
                log.LogWarning(ex, "Could not report epoch {Epoch} of {Trial}", report.Epoch, assignment.Trial.TrialId);
                answer.SetResult(TrialDirective.Continue);
            }
        }
    }

    private async Task ReportFinishedAsync(ISweepCoordinatorGrain coordinator, TrialAssignment assignment, TrialOutcome outcome)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await coordinator.ReportFinished(assignment.Trial.TrialId, assignment.Attempt, outcome);
                return;
            }
            catch (Exception ex) when (attempt < ReportRetryDelays.Length)
            {
                log.LogWarning(ex, "Reporting {Trial} finished failed; retrying", assignment.Trial.TrialId);
                await Task.Delay(ReportRetryDelays[attempt]);
            }
        }
    }
}
