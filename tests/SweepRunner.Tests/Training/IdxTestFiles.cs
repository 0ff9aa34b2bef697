using System.Buffers.Binary;
using System.IO.Compression;
using SweepRunner.Core.Data;

namespace SweepRunner.Tests.Training;

/// <summary>Writes small IDX files for tests, and a temporary folder that cleans itself up.</summary>
internal static class IdxTestFiles
{
    /// <summary>Image i has every pixel equal to (i * 7 + pixel) mod 256, so contents are checkable.</summary>
    public static byte[] PatternPixels(int count, int rows, int cols)
    {
        var pixels = new byte[count * rows * cols];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)((i / (rows * cols) * 7 + i % (rows * cols)) % 256);
        return pixels;
    }

    public static byte[] PatternLabels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();

    public static byte[] ImageBytes(int count, int rows, int cols, byte[]? pixels = null) =>
        [.. Header(IdxKind.Images, count, rows, cols), .. pixels ?? PatternPixels(count, rows, cols)];

    public static byte[] LabelBytes(int count, byte[]? labels = null) =>
        [.. Header(IdxKind.Labels, count), .. labels ?? PatternLabels(count)];

    public static byte[] Header(IdxKind kind, params int[] sizes)
    {
        var header = new byte[4 + 4 * sizes.Length];
        header[2] = 0x08;
        header[3] = (byte)kind;
        for (int i = 0; i < sizes.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), sizes[i]);
        return header;
    }

    /// <summary>Writes the bytes, gzip-compressed when the path ends in .gz.</summary>
    public static string Write(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, path.EndsWith(".gz") ? Gzip(bytes) : bytes);
        return path;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
            gzip.Write(bytes);
        return buffer.ToArray();
    }

    /// <summary>Writes the four files of a data set with <paramref name="train"/> and <paramref name="test"/> images.</summary>
    public static void WriteDataset(string folder, int train, int test, int rows = 4, int cols = 4, string suffix = ".gz")
    {
        Write(Path.Combine(folder, DatasetLocator.TrainImagesName + suffix), ImageBytes(train, rows, cols));
        Write(Path.Combine(folder, DatasetLocator.TrainLabelsName + suffix), LabelBytes(train));
        Write(Path.Combine(folder, DatasetLocator.TestImagesName + suffix), ImageBytes(test, rows, cols));
        Write(Path.Combine(folder, DatasetLocator.TestLabelsName + suffix), LabelBytes(test));
    }
}

internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sweeprunner-training-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
