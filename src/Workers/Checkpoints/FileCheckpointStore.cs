using System.Text;

namespace SweepRunner.Workers.Checkpoints;

/// <summary>Checkpoints as files in one folder: the run folder when embedded, or a folder every silo mounts.</summary>
public sealed class FileCheckpointStore(string folder) : ICheckpointStore
{
    public byte[]? Load(string key)
    {
        var path = PathOf(key);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    public void Save(string key, byte[] checkpoint)
    {
        Directory.CreateDirectory(folder);
        var path = PathOf(key);
        // Unique temp name: a lost attempt on another silo may still be writing the same key.
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(checkpoint);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(string key) => File.Delete(PathOf(key));

    private string PathOf(string key)
    {
        var name = new StringBuilder();
        foreach (var c in key) name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '~');
        return Path.Combine(folder, name + ".checkpoint");
    }
}
