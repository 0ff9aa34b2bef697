using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SweepRunner.Workers.Execution;

/// <summary>
/// A silo's training capacity: a fixed number of dedicated threads that run trials one at a time each.
/// Training is CPU-bound for minutes, so it must never run on Orleans' scheduler threads (that starves the
/// silo until membership declares it dead) nor on the thread pool (which Orleans and I/O also need).
/// </summary>
public sealed class TrainingSlots : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread[] _threads;
    private int _busy;

    public TrainingSlots(SlotOptions options, ILogger<TrainingSlots> log)
    {
        Count = options.Slots;
        _threads = Enumerable.Range(0, Count).Select(i => new Thread(Work)
        {
            IsBackground = true,
            Name = $"training-slot-{i}",
        }).ToArray();
        foreach (var thread in _threads) thread.Start();
        log.LogInformation("{Slots} training slots, {Threads} torch thread(s) each", Count, options.ThreadsPerTrial);
    }

    public int Count { get; }
    public int Busy => Volatile.Read(ref _busy);
    /// <summary>Work accepted but not yet started (waiting for a free slot).</summary>
    public int Queued => _queue.Count;

    /// <summary>Runs <paramref name="work"/> on the next free slot; the task completes on a pool thread, not the slot.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            Interlocked.Increment(ref _busy);
            T result;
            try { result = work(); }
            catch (Exception ex)
            {
                Interlocked.Decrement(ref _busy);
                done.SetException(ex);
                return;
            }
            // Free the slot before anyone hears the trial ended, so the next dispatch already sees it free.
            Interlocked.Decrement(ref _busy);
            done.SetResult(result);
        });
        return done.Task;
    }

    private void Work()
    {
        foreach (var item in _queue.GetConsumingEnumerable()) item();
    }

    /// <summary>
    /// Takes no more work and gives running trials a moment to end. A trial still training is abandoned, not
    /// awaited: its result is not lost, since the coordinator re-runs it from its checkpoint elsewhere or later.
    /// The queue itself is left to the collector, since an abandoned thread may still be reading it.
    /// </summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads) thread.Join(TimeSpan.FromSeconds(1));
    }
}

/// <summary>How much of the machine a silo gives to training.</summary>
public sealed record SlotOptions
{
    /// <summary>Trials this silo trains at once.</summary>
    public int Slots { get; init; } = DefaultSlots(1);
    /// <summary>Torch intra-op threads; process-wide, so every trial of the silo gets the same number.</summary>
    public int ThreadsPerTrial { get; init; } = 1;

    /// <summary>Two trials on one thread each do more work per second than one trial on two threads, so fill the cores with trials.</summary>
    public static int DefaultSlots(int threadsPerTrial) => Math.Max(1, Environment.ProcessorCount / Math.Max(1, threadsPerTrial));
}
