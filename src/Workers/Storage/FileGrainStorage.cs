using System.Buffers.Binary;
using System.Text;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace SweepRunner.Workers.Storage;

/// <summary>
/// Grain state in files of one folder: the embedded cluster's durable store, so a sweep survives the process.
/// Each write goes to a temporary file that is flushed to disk and then renamed over the old one, so a
/// crash leaves either the previous state or the new one, never half of either. The ETag is a version
/// number kept in the file, checked on write so two activations cannot overwrite each other silently.
/// </summary>
public sealed class FileGrainStorage(string folder, Serializer serializer) : IGrainStorage
{
    private const int HeaderBytes = sizeof(long);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        var bytes = await File.ReadAllBytesAsync(path);
        if (bytes.Length < HeaderBytes)
            throw new InvalidDataException($"grain state file {path} is truncated ({bytes.Length} bytes)");
        var version = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        grainState.State = serializer.Deserialize<T>(new ReadOnlyMemory<byte>(bytes, HeaderBytes, bytes.Length - HeaderBytes));
        grainState.ETag = version.ToString();
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        var stored = StoredVersion(path);
        if (grainState.ETag != stored?.ToString())
            throw new InconsistentStateException($"grain state {path} was written by someone else", stored?.ToString(), grainState.ETag);

        var version = (stored ?? 0) + 1;
        var body = serializer.SerializeToArray(grainState.State);
        var temp = path + ".tmp";
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            var header = new byte[HeaderBytes];
            BinaryPrimitives.WriteInt64LittleEndian(header, version);
            await file.WriteAsync(header);
            await file.WriteAsync(body);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        grainState.ETag = version.ToString();
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        File.Delete(PathOf(stateName, grainId));
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private static long? StoredVersion(string path)
    {
        if (!File.Exists(path)) return null;
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[HeaderBytes];
        file.ReadExactly(header);
        return BinaryPrimitives.ReadInt64LittleEndian(header);
    }

    private string PathOf(string stateName, GrainId grainId)
    {
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{Sanitize(grainId.Type.ToString()!)}--{Sanitize(grainId.Key.ToString()!)}--{Sanitize(stateName)}.state");
    }

    /// <summary>Keys hold '/' (sweep/trial): keep letters, digits, '-', '.', '_' and escape the rest, so names stay unique.</summary>
    internal static string Sanitize(string text)
    {
        var name = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_') name.Append(c);
            else name.Append('%').Append(((int)c).ToString("X2"));
        }
        return name.ToString();
    }
}
