using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using SweepRunner.Workers.Storage;
using Xunit;

namespace SweepRunner.Tests.Performance;

public sealed class TrialJournalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sweeprunner-journal-").FullName;
    private readonly FileTrialJournal _journal;

    public TrialJournalTests()
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        _journal = new FileTrialJournal(_folder, serializer);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TrialRecord Trial(string id, TrialStatus status) => new()
    {
        Spec = new TrialSpec
        {
            TrialId = id, Index = 0, Parameters = new() { ["model"] = "sleep" },
            Config = new TrialConfig { Model = ModelKind.Sleep, Dataset = new DatasetSpec { Name = "fashion-mnist" } },
        },
        Status = status,
    };

    [Fact]
    public async Task Reads_back_what_was_appended_in_order()
    {
        await _journal.AppendAsync("s/1", new TrialJournalEntry(1, [Trial("t0", TrialStatus.Running), Trial("t1", TrialStatus.Running)]));
        await _journal.AppendAsync("s/1", new TrialJournalEntry(2, [Trial("t0", TrialStatus.Completed)]));

        var entries = await _journal.ReadAsync("s/1");

        Assert.Equal([1L, 2L], entries.Select(e => e.Generation));
        Assert.Equal(["t0", "t1"], entries[0].Trials.Select(t => t.Spec.TrialId));
        Assert.Equal(TrialStatus.Completed, entries[1].Trials[0].Status);
        Assert.Empty(await _journal.ReadAsync("another"));
    }

    [Fact]
    public async Task A_torn_last_entry_is_dropped_and_later_appends_stay_readable()
    {
        await _journal.AppendAsync("s", new TrialJournalEntry(1, [Trial("t0", TrialStatus.Completed)]));
        var file = Assert.Single(Directory.GetFiles(_folder, "*.journal"));
        var whole = new FileInfo(file).Length;
        await _journal.AppendAsync("s", new TrialJournalEntry(1, [Trial("t1", TrialStatus.Completed)]));
        // A crash in the middle of the second append.
        using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(whole + 7);

        Assert.Equal(["t0"], (await _journal.ReadAsync("s")).SelectMany(e => e.Trials).Select(t => t.Spec.TrialId));
        await _journal.AppendAsync("s", new TrialJournalEntry(1, [Trial("t2", TrialStatus.Completed)]));
        Assert.Equal(["t0", "t2"], (await _journal.ReadAsync("s")).SelectMany(e => e.Trials).Select(t => t.Spec.TrialId));

        await _journal.ClearAsync("s");
        Assert.Empty(await _journal.ReadAsync("s"));
    }
}
