using System.Buffers.Binary;
using Orleans.Serialization;
using SweepRunner.Core.Trials;

namespace SweepRunner.Workers.Storage;

/// <summary>
/// Trial records a coordinator changed in one turn, tagged with the generation of the snapshot they follow:
/// on reactivation only entries of the stored snapshot's generation are replayed, since older ones are in it.
/// </summary>
[GenerateSerializer]
public sealed record TrialJournalEntry([property: Id(0)] long Generation, [property: Id(1)] List<TrialRecord> Trials);

/// <summary>
/// An append-only log of trial changes beside a sweep's snapshot, so that recording one finished trial costs one
/// small durable append instead of rewriting the whole sweep state (which grows with the number of trials).
/// </summary>
public interface ITrialJournal
{
    /// <summary>Appends <paramref name="entry"/>; it is on disk when the task completes.</summary>
    Task AppendAsync(string sweepId, TrialJournalEntry entry);

    /// <summary>Every complete entry in order; a torn last entry (a crash mid-append) is dropped and cut off the log.</summary>
    Task<List<TrialJournalEntry>> ReadAsync(string sweepId);

    /// <summary>Empties the log, once a snapshot holds everything in it.</summary>
    Task ClearAsync(string sweepId);
}

/// <summary>
/// The journal as one file per sweep in the grain-state folder: entries are a 4-byte little-endian length and
/// the entry in Orleans' binary serialisation, each appended and flushed to disk before the append completes.
/// </summary>
public sealed class FileTrialJournal(string folder, Serializer serializer) : ITrialJournal
{
    private const int LengthBytes = sizeof(int);

    public Task AppendAsync(string sweepId, TrialJournalEntry entry) => Task.Run(() =>
    {
        var body = serializer.SerializeToArray(entry);
        var record = new byte[LengthBytes + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(record, body.Length);
        body.CopyTo(record, LengthBytes);
        Directory.CreateDirectory(folder);
        using var file = new FileStream(PathOf(sweepId), FileMode.Append, FileAccess.Write, FileShare.None);
        file.Write(record);
        file.Flush(flushToDisk: true);
    });

    public Task<List<TrialJournalEntry>> ReadAsync(string sweepId) => Task.Run(() =>
    {
        var entries = new List<TrialJournalEntry>();
        var path = PathOf(sweepId);
        if (!File.Exists(path)) return entries;
        var bytes = File.ReadAllBytes(path);
        int offset = 0;
        while (offset + LengthBytes <= bytes.Length)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            if (length < 0 || offset + LengthBytes + length > bytes.Length) break;
            entries.Add(serializer.Deserialize<TrialJournalEntry>(new ReadOnlyMemory<byte>(bytes, offset + LengthBytes, length))
                        ?? throw new InvalidDataException($"{path}: empty journal entry at byte {offset}"));
            offset += LengthBytes + length;
        }
        if (offset < bytes.Length)
        {
            // Later appends must follow the last whole entry, not the torn bytes.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(offset);
            file.Flush(flushToDisk: true);
        }
        return entries;
    });

    public Task ClearAsync(string sweepId)
    {
        File.Delete(PathOf(sweepId));
        return Task.CompletedTask;
    }

    private string PathOf(string sweepId) => Path.Combine(folder, $"{FileGrainStorage.Sanitize(sweepId)}.journal");
}
