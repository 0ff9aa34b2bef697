using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Placement;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Ranking;
using SweepRunner.Core.Search;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using SweepRunner.Workers.Storage;

namespace SweepRunner.Workers.Grains;

/// <summary>The coordinator's durable state: the spec, every planned trial and what became of it.</summary>
[GenerateSerializer]
public sealed class SweepRecord
{
    [Id(0)] public SweepSpec? Spec { get; set; }
    [Id(1)] public string SpecYaml { get; set; } = "";
    [Id(2)] public List<TrialRecord> Trials { get; set; } = [];
    [Id(3)] public DateTime StartedAt { get; set; }
    [Id(4)] public DateTime? FinishedAt { get; set; }
    [Id(5)] public SweepState State { get; set; }
    [Id(6)] public int FinishedCount { get; set; }
    /// <summary>Counts snapshots; journal entries of this generation were appended after this snapshot and complete it.</summary>
    [Id(7)] public long Generation { get; set; }
}

/// <summary>
/// One per sweep: plans the trials (the search algorithm), dispatches them to the silos with free training
/// slots under a concurrency bound (the trial runner), decides after each epoch whether a trial goes on (the
/// scheduler's hook), and ranks results. All it knows lives in grain storage, so it can be reactivated on
/// any silo and carry on; a durable reminder wakes it after the whole cluster restarts.
/// Where the silo has an <see cref="ITrialJournal"/>, a change to some trials is one append to it (group-committed
/// per grain turn: a finished trial and the trials dispatched in its place) and the whole state is rewritten only
/// every so many appends, so the cost of recording a trial does not grow with the sweep; without one, every change
/// rewrites the state.
/// </summary>
public sealed class SweepCoordinatorGrain(
    [PersistentState("sweep", StorageNames.Sweeps)] IPersistentState<SweepRecord> sweep,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IServiceProvider services,
    ILogger<SweepCoordinatorGrain> log) : Grain, ISweepCoordinatorGrain, IRemindable
{
    /// <summary>Appends between snapshots at least; more for big sweeps, keeping snapshot cost per trial constant.</summary>
    private const int MinJournalEntriesPerSnapshot = 1000;

    /// <summary>How often the coordinator looks at the cluster on its own: dead silos, new silos, free slots.</summary>
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(2);
    private const string WakeUpReminder = "sweep-wake-up";
    private static readonly TimeSpan WakeUpPeriod = TimeSpan.FromMinutes(1);
    /// <summary>
    /// Bound on calls to silos and trials: a silo killed a moment ago still looks active until membership
    /// declares it dead, and a call to it would hold this (non-reentrant) grain for the whole response timeout.
    /// </summary>
    private static readonly TimeSpan SiloCallTimeout = TimeSpan.FromSeconds(3);

    private readonly ITrialJournal? _journal = services.GetService<ITrialJournal>();
    private Dictionary<string, TrialRecord> _trialsById = [];
    private IGrainTimer? _tick;
    private int _journalEntriesSinceSnapshot;

    private string SweepId => this.GetPrimaryKeyString();
    private SweepSpec Spec => sweep.State.Spec ?? throw new InvalidOperationException($"sweep {SweepId} has not been started");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (sweep.RecordExists) await ReplayJournalAsync();
        _trialsById = sweep.State.Trials.ToDictionary(t => t.Spec.TrialId);
        if (sweep.RecordExists && sweep.State.State == SweepState.Running && sweep.State.FinishedCount >= sweep.State.Trials.Count)
        {
            // The last trial's result reached the journal but the snapshot marking the sweep complete did not.
            CompleteIfDone();
            await SnapshotAsync();
        }
        if (sweep.RecordExists && sweep.State.State == SweepState.Running)
        {
            log.LogInformation("Sweep {Sweep} reactivated with {Finished}/{Total} trials finished", SweepId, sweep.State.FinishedCount, sweep.State.Trials.Count);
            StartTicking();
            // Trials marked running may have lost their activation with the previous one; Run is idempotent.
            foreach (var trial in sweep.State.Trials.Where(t => t.Status == TrialStatus.Running))
                await SendRunAsync(trial);
        }
    }

    public async Task<SweepStatus> Start(SweepSpec spec, string specYaml)
    {
        if (sweep.RecordExists)
        {
            if (sweep.State.SpecYaml != specYaml)
                throw new InvalidOperationException($"sweep '{SweepId}' already exists with a different spec");
            return BuildStatus();
        }
        var trials = TrialPlanner.Plan(spec).Select(t => new TrialRecord { Spec = t }).ToList();
        sweep.State = new SweepRecord
        {
            Spec = spec,
            SpecYaml = specYaml,
            Trials = trials,
            StartedAt = DateTime.UtcNow,
            State = trials.Count == 0 ? SweepState.Completed : SweepState.Running,
        };
        _trialsById = trials.ToDictionary(t => t.Spec.TrialId);
        await SnapshotAsync();
        log.LogInformation("Sweep {Sweep} planned {Count} trials", SweepId, trials.Count);
        if (sweep.State.State == SweepState.Running)
        {
            await this.RegisterOrUpdateReminder(WakeUpReminder, WakeUpPeriod, WakeUpPeriod);
            StartTicking();
            await DispatchAsync();
        }
        return BuildStatus();
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(BuildStatus());

    public Task<StartedSpec?> GetSpec() =>
        Task.FromResult(sweep.State.Spec is { } spec ? new StartedSpec(spec, sweep.State.SpecYaml) : null);

    public Task<List<TrialRecord>> GetFinished(int after) =>
        Task.FromResult(sweep.State.Trials.Where(t => t.FinishOrder > after).OrderBy(t => t.FinishOrder).ToList());

    public Task<List<TrialRecord>> GetTrials() => Task.FromResult(sweep.State.Trials);

    public Task<List<RankedTrial>> GetLeaderboard() => Task.FromResult(Leaderboard.Rank(sweep.State.Trials, Spec.Metric));

    public Task<TrialDirective> ReportEpoch(string trialId, int attempt, EpochReport report)
    {
        if (!IsCurrentAttempt(trialId, attempt, out var trial)) return Task.FromResult(TrialDirective.Stop);
        // A resumed attempt repeats epochs after its checkpoint: the newer report replaces the older.
        trial.History.RemoveAll(h => h.Epoch >= report.Epoch);
        trial.History.Add(report);
        trial.EpochsRun++;
        if (trial.AttemptLog.LastOrDefault() is { } current)
        {
            current.FirstEpoch ??= report.Epoch;
            current.EpochsRun++;
        }
        return Task.FromResult(sweep.State.State == SweepState.Cancelled ? TrialDirective.Stop : TrialDirective.Continue);
    }

    public async Task ReportFinished(string trialId, int attempt, TrialOutcome outcome)
    {
        if (!IsCurrentAttempt(trialId, attempt, out var trial))
        {
            log.LogInformation("Ignoring a stale or repeated result of {Trial} attempt {Attempt}", trialId, attempt);
            return;
        }
        if (outcome.Status == TrialStatus.Failed && ++trial.Failures < Spec.MaxFailures && sweep.State.State == SweepState.Running)
        {
            log.LogWarning("Trial {Trial} attempt {Attempt} failed ({Error}); retrying", trialId, attempt, outcome.Error);
            EndAttempt(trial, "failed", outcome.Error);
            trial.Status = TrialStatus.Pending;
            trial.Error = outcome.Error;
        }
        else
        {
            Finish(trial, outcome);
        }
        CompleteIfDone();
        // Durable (with any trials started in its place) before the trial grain hears back.
        await DispatchAsync(changed: [trial]);
        if (sweep.State.State != SweepState.Running) await ForgetWakeUpAsync();
    }

    public async Task Cancel()
    {
        if (sweep.State.State != SweepState.Running) return;
        sweep.State.State = SweepState.Cancelled;
        foreach (var trial in sweep.State.Trials.Where(t => t.Status == TrialStatus.Pending))
            Finish(trial, new TrialOutcome { Status = TrialStatus.Stopped, Error = "sweep cancelled before the trial started" });
        sweep.State.FinishedAt = DateTime.UtcNow;
        await SnapshotAsync();
        foreach (var trial in sweep.State.Trials.Where(t => t.Status == TrialStatus.Running))
        {
            try { await TrialGrainOf(trial).Stop().WaitAsync(SiloCallTimeout); }
            catch (Exception ex) { log.LogWarning(ex, "Could not stop trial {Trial}; its result will be ignored", trial.Spec.TrialId); }
        }
        await ForgetWakeUpAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (sweep.State.State == SweepState.Running) await TickAsync();
        else await ForgetWakeUpAsync();
    }

    private async Task ForgetWakeUpAsync()
    {
        if (await this.GetReminder(WakeUpReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private static void EndAttempt(TrialRecord trial, string end, string? error)
    {
        if (trial.AttemptLog.LastOrDefault() is not { EndedAt: null } current) return;
        current.EndedAt = DateTime.UtcNow;
        current.End = end;
        current.Error = error;
    }

    private void Finish(TrialRecord trial, TrialOutcome outcome)
    {
        EndAttempt(trial, outcome.Status.ToString().ToLowerInvariant(), outcome.Error);
        trial.Status = outcome.Status;
        trial.Outcome = outcome;
        // The trial's own history survives coordinator failovers that lose progress reports held in memory.
        if (outcome.History.Count > 0) trial.History = outcome.History;
        trial.Error = outcome.Error;
        trial.FinishedAt = DateTime.UtcNow;
        trial.FinishOrder = ++sweep.State.FinishedCount;
        log.LogInformation("Trial {Trial} {Status} after {Attempts} attempt(s)", trial.Spec.TrialId, outcome.Status, trial.Attempts);
    }

    private void CompleteIfDone()
    {
        if (sweep.State.State != SweepState.Running || sweep.State.FinishedCount < sweep.State.Trials.Count) return;
        sweep.State.State = SweepState.Completed;
        sweep.State.FinishedAt = DateTime.UtcNow;
        _tick?.Dispose();
        _tick = null;
        log.LogInformation("Sweep {Sweep} completed", SweepId);
    }

    private bool IsCurrentAttempt(string trialId, int attempt, out TrialRecord trial)
    {
        if (!_trialsById.TryGetValue(trialId, out trial!)) return false;
        return trial.Status == TrialStatus.Running && trial.Attempts == attempt;
    }

    /// <summary>
    /// The periodic look at the cluster: a trial whose silo membership has declared dead goes back to the queue
    /// (it resumes from its last checkpoint elsewhere), then free slots, a new silo's included, get work.
    /// </summary>
    private async Task TickAsync()
    {
        if (sweep.State.State != SweepState.Running) return;
        var snapshot = membership.CurrentSnapshot;
        var lost = sweep.State.Trials.Where(t => t.Status == TrialStatus.Running && t.Silo is { } silo
                                                 && snapshot.GetSiloStatus(silo) == SiloStatus.Dead).ToList();
        foreach (var trial in lost)
        {
            log.LogWarning("Silo {Silo} is dead: trial {Trial} attempt {Attempt} goes back to the queue", trial.Silo, trial.Spec.TrialId, trial.Attempts);
            trial.Status = TrialStatus.Pending;
            trial.Error = $"attempt {trial.Attempts} lost with silo {trial.Silo}";
            EndAttempt(trial, "lost", trial.Error);
        }
        await DispatchAsync(changed: lost);
    }

    /// <summary>
    /// Starts pending trials up to the concurrency limit, each on the active silo with the most free training
    /// slots. The attempt and its silo are stored, together with the <paramref name="changed"/> trials, before
    /// the trial is sent, so they count even if we crash.
    /// </summary>
    private async Task DispatchAsync(IReadOnlyList<TrialRecord>? changed = null)
    {
        var toStart = sweep.State.State == SweepState.Running ? await ClaimPendingAsync() : [];
        var dirty = (changed ?? []).Concat(toStart).ToList();
        if (dirty.Count > 0) await PersistAsync(dirty);
        foreach (var trial in toStart) await SendRunAsync(trial);
    }

    /// <summary>Marks the pending trials that get a slot now as running (a new attempt on their chosen silo).</summary>
    private async Task<List<TrialRecord>> ClaimPendingAsync()
    {
        var running = sweep.State.Trials.Count(t => t.Status == TrialStatus.Running);
        var pending = sweep.State.Trials.Where(t => t.Status == TrialStatus.Pending)
            .Take(Math.Max(0, Spec.Resources.MaxConcurrentTrials - running)).ToList();
        if (pending.Count == 0) return [];

        var free = (await FreeSlotsAsync()).ToDictionary(s => s.Silo, s => s.Free);
        var toStart = new List<TrialRecord>();
        foreach (var trial in pending)
        {
            if (free.Count == 0) break;
            var (silo, slots) = free.MaxBy(kv => kv.Value);
            if (slots <= 0) break;
            free[silo] = slots - 1;
            trial.Status = TrialStatus.Running;
            trial.Attempts++;
            trial.Silo = silo;
            trial.StartedAt = DateTime.UtcNow;
            trial.AttemptLog.Add(new AttemptRecord { Number = trial.Attempts, Silo = silo.ToParsableString(), StartedAt = trial.StartedAt.Value });
            toStart.Add(trial);
        }
        return toStart;
    }

    /// <summary>
    /// Makes the changes to <paramref name="changed"/> durable: one journal append, or a snapshot of the whole state
    /// when there is no journal, the sweep has ended, or enough appends have piled up since the last snapshot.
    /// </summary>
    private async Task PersistAsync(IReadOnlyList<TrialRecord> changed)
    {
        if (_journal is null || sweep.State.State != SweepState.Running
            || _journalEntriesSinceSnapshot >= Math.Max(MinJournalEntriesPerSnapshot, sweep.State.Trials.Count))
        {
            await SnapshotAsync();
            return;
        }
        await _journal.AppendAsync(SweepId, new TrialJournalEntry(sweep.State.Generation, [.. changed]));
        _journalEntriesSinceSnapshot++;
    }

    /// <summary>Writes the whole state as a new generation; the journal's entries are then in it and can go.</summary>
    private async Task SnapshotAsync()
    {
        sweep.State.Generation++;
        await sweep.WriteStateAsync();
        _journalEntriesSinceSnapshot = 0;
        if (_journal is not null) await _journal.ClearAsync(SweepId);
    }

    /// <summary>Applies the journal's entries made after the stored snapshot: each trial's latest record wins.</summary>
    private async Task ReplayJournalAsync()
    {
        if (_journal is null) return;
        var entries = (await _journal.ReadAsync(SweepId)).Where(e => e.Generation == sweep.State.Generation).ToList();
        if (entries.Count == 0) return;
        var trials = sweep.State.Trials;
        var indexById = trials.Select((t, i) => (t.Spec.TrialId, i)).ToDictionary(p => p.TrialId, p => p.i);
        foreach (var record in entries.SelectMany(e => e.Trials))
            if (indexById.TryGetValue(record.Spec.TrialId, out var index)) trials[index] = record;
        sweep.State.FinishedCount = trials.Max(t => t.FinishOrder);
        _journalEntriesSinceSnapshot = entries.Count;
        log.LogInformation("Sweep {Sweep}: replayed {Entries} journal entries after its snapshot", SweepId, entries.Count);
    }

    /// <summary>Free slots of every active silo, asked of the <see cref="ISiloSlotsGrain"/> that lives on it.</summary>
    private async Task<List<SiloSlots>> FreeSlotsAsync()
    {
        var active = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
        var answers = await Task.WhenAll(active.Select(async silo =>
        {
            try
            {
                var slots = await OnSilo(silo, () => GrainFactory.GetGrain<ISiloSlotsGrain>(silo.ToParsableString()).Get().WaitAsync(SiloCallTimeout));
                // A placement hint is advice: an answer from elsewhere would describe the wrong silo.
                return slots.Silo.Equals(silo) ? slots : null;
            }
            catch (Exception ex)
            {
                log.LogInformation(ex, "Silo {Silo} did not report its slots", silo);
                return null;
            }
        }));
        return answers.OfType<SiloSlots>().ToList();
    }

    /// <summary>Makes a call whose grain, if it has to be activated, is placed on <paramref name="silo"/>.</summary>
    private static async Task<T> OnSilo<T>(SiloAddress silo, Func<Task<T>> call)
    {
        // RequestContext flows with the async call; set inside this method, it does not leak into the caller's.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try { return await call(); }
        finally { RequestContext.Remove(IPlacementDirector.PlacementHintKey); }
    }

    private async Task SendRunAsync(TrialRecord trial)
    {
        try
        {
            var assignment = new TrialAssignment(SweepId, trial.Spec, trial.Attempts);
            var grain = TrialGrainOf(trial);
            if (trial.Silo is { } silo) await OnSilo(silo, async () => { await grain.Run(assignment).WaitAsync(SiloCallTimeout); return true; });
            else await grain.Run(assignment).WaitAsync(SiloCallTimeout);
        }
        catch (Exception ex)
        {
            // Left as running: a dead silo is noticed by the tick, and the trial's own report settles the rest.
            log.LogWarning(ex, "Could not start trial {Trial}", trial.Spec.TrialId);
        }
    }

    private ITrialGrain TrialGrainOf(TrialRecord trial) => GrainFactory.GetGrain<ITrialGrain>(TrialGrainKey.Of(SweepId, trial.Spec.TrialId));

    private void StartTicking() =>
        _tick ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TickPeriod, TickPeriod) { KeepAlive = true });

    private SweepStatus BuildStatus()
    {
        var record = sweep.State;
        return new SweepStatus
        {
            SweepId = SweepId,
            Name = Spec.Name,
            State = record.State,
            Total = record.Trials.Count,
            Counts = record.Trials.GroupBy(t => t.Status).ToDictionary(g => g.Key, g => g.Count()),
            StartedAt = record.StartedAt,
            FinishedAt = record.FinishedAt,
            Metric = Spec.Metric,
            Running = record.Trials.Where(t => t.Status == TrialStatus.Running).Select(t =>
            {
                var last = t.History.LastOrDefault();
                double? value = last is not null && last.Metrics.TryGetValue(Spec.Metric.Name, out var v) ? v : null;
                return new RunningTrial(t.Spec.TrialId, last?.Epoch ?? 0, t.Spec.Config.Epochs, value, t.Spec.Parameters,
                    t.Silo?.ToParsableString(), t.Attempts);
            }).ToList(),
            CoordinatorSilo = localSilo.SiloAddress.ToParsableString(),
        };
    }
}

public static class StorageNames
{
    public const string Sweeps = "sweeps";
}
