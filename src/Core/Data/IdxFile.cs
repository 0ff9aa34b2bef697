using System.Buffers.Binary;
using System.IO.Compression;

namespace SweepRunner.Core.Data;

/// <summary>What an IDX file holds; the value is the number of dimensions its header declares.</summary>
public enum IdxKind { Labels = 1, Images = 3 }

/// <summary>The header of an IDX file of unsigned bytes. <see cref="Rows"/> and <see cref="Cols"/> are 0 for labels.</summary>
public sealed record IdxHeader(IdxKind Kind, int Count, int Rows, int Cols)
{
    /// <summary>Bytes per item: one label, or rows × cols pixels.</summary>
    public int ItemBytes => Kind == IdxKind.Images ? Rows * Cols : 1;
    public long PayloadBytes => (long)Count * ItemBytes;
}

/// <summary>Images read from an IDX file: <see cref="Pixels"/> holds <c>Count × Rows × Cols</c> bytes, image after image.</summary>
public sealed record IdxImages(int Count, int Rows, int Cols, byte[] Pixels);

/// <summary>
/// Reads IDX files (the MNIST format: big-endian header, then unsigned bytes), gzip-compressed when the
/// file name ends in <c>.gz</c>. Corrupt input raises <see cref="InvalidDataException"/> naming the file and the fault.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByteType = 0x08;
    private static readonly byte[] GzipMagic = [0x1f, 0x8b];

    /// <summary>Reads only the header: cheap, for validation. Infers the kind from the dimension count.</summary>
    public static IdxHeader ReadHeader(string path)
    {
        using var stream = Open(path);
        return ReadHeader(stream, path, expected: null);
    }

    /// <summary>Reads only the header and checks that it declares <paramref name="expected"/>.</summary>
    public static IdxHeader ReadHeader(string path, IdxKind expected)
    {
        using var stream = Open(path);
        return ReadHeader(stream, path, expected);
    }

    /// <summary>
    /// Reads the header and streams through the data without keeping it, so a truncated file is found
    /// without the memory cost of loading it. Returns the header.
    /// </summary>
    public static IdxHeader Verify(string path, IdxKind expected)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path, expected);
        var buffer = new byte[1 << 16];
        long remaining = header.PayloadBytes;
        while (remaining > 0)
        {
            int read = ReadSome(stream, buffer.AsSpan(0, (int)Math.Min(buffer.Length, remaining)), path);
            if (read == 0)
                throw Truncated(path, header, header.PayloadBytes - remaining);
            remaining -= read;
        }
        return header;
    }

    /// <summary>Reads the first <paramref name="limit"/> images (all when null or larger than the file's count).</summary>
    public static IdxImages ReadImages(string path, int? limit = null)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path, IdxKind.Images);
        int count = Limit(header.Count, limit);
        var pixels = ReadPayload(stream, path, header, count);
        return new IdxImages(count, header.Rows, header.Cols, pixels);
    }

    /// <summary>Reads the first <paramref name="limit"/> labels (all when null or larger than the file's count).</summary>
    public static byte[] ReadLabels(string path, int? limit = null)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path, IdxKind.Labels);
        return ReadPayload(stream, path, header, Limit(header.Count, limit));
    }

    private static int Limit(int count, int? limit)
    {
        if (limit is < 0)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit on items read must not be negative.");
        return limit is { } max ? Math.Min(count, max) : count;
    }

    /// <summary>Opens the file, decompressing when it is named <c>.gz</c> (after checking it really is gzip).</summary>
    private static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            return file;
        Span<byte> magic = stackalloc byte[2];
        if (file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) < 2 || !magic.SequenceEqual(GzipMagic))
        {
            file.Dispose();
            throw new InvalidDataException($"{path}: not a gzip file, although its name ends in .gz.");
        }
        file.Position = 0;
        return new GZipStream(file, CompressionMode.Decompress);
    }

    private static IdxHeader ReadHeader(Stream stream, string path, IdxKind? expected)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadHeaderBytes(stream, magic, path);
        if (magic[0] != 0 || magic[1] != 0 || magic[2] != UnsignedByteType)
            throw new InvalidDataException(
                $"{path}: bad magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):x8}; an IDX file of bytes starts with 0x000008nn " +
                "(0x00000803 for images, 0x00000801 for labels).");
        int dimensions = magic[3];
        var kind = expected ?? (dimensions switch
        {
            1 => IdxKind.Labels,
            3 => IdxKind.Images,
            _ => throw new InvalidDataException(
                $"{path}: {dimensions} dimensions in the header; expected 3 (images) or 1 (labels)."),
        });
        if (dimensions != (int)kind)
            throw new InvalidDataException(
                $"{path}: {dimensions} dimensions in the header; expected {(int)kind} for {kind.ToString().ToLowerInvariant()} " +
                $"(magic 0x0000080{(int)kind}).");

        Span<byte> sizes = stackalloc byte[4 * dimensions];
        ReadHeaderBytes(stream, sizes, path);
        int count = ReadSize(sizes, 0, "item count", path);
        if (kind == IdxKind.Labels)
            return new IdxHeader(kind, count, 0, 0);
        int rows = ReadSize(sizes, 1, "row count", path);
        int cols = ReadSize(sizes, 2, "column count", path);
        if (rows == 0 || cols == 0 || (long)rows * cols > int.MaxValue)
            throw new InvalidDataException($"{path}: images of {rows}×{cols} pixels are not usable.");
        return new IdxHeader(kind, count, rows, cols);
    }

    private static int ReadSize(ReadOnlySpan<byte> sizes, int index, string what, string path)
    {
        uint value = BinaryPrimitives.ReadUInt32BigEndian(sizes[(4 * index)..]);
        if (value > int.MaxValue)
            throw new InvalidDataException($"{path}: {what} {value} in the header is too large.");
        return (int)value;
    }

    private static void ReadHeaderBytes(Stream stream, Span<byte> buffer, string path)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int got = ReadSome(stream, buffer[read..], path);
            if (got == 0)
                throw new InvalidDataException($"{path}: truncated header ({read} bytes where at least {buffer.Length} were expected).");
            read += got;
        }
    }

    private static byte[] ReadPayload(Stream stream, string path, IdxHeader header, int count)
    {
        var data = new byte[(long)count * header.ItemBytes];
        int read = 0;
        while (read < data.Length)
        {
            int got = ReadSome(stream, data.AsSpan(read), path);
            if (got == 0)
                throw Truncated(path, header, read);
            read += got;
        }
        return data;
    }

    /// <summary>One read, turning the decompressor's complaints about a cut-off or damaged stream into a message naming the file.</summary>
    private static int ReadSome(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: damaged gzip data ({e.Message}).", e);
        }
    }

    private static InvalidDataException Truncated(string path, IdxHeader header, long bytesFound)
    {
        string items = header.Kind == IdxKind.Images
            ? $"{header.Count} images of {header.Rows}×{header.Cols}"
            : $"{header.Count} labels";
        return new InvalidDataException(
            $"{path}: truncated: the header announces {items} ({header.PayloadBytes} bytes) but the data ends after {bytesFound} bytes.");
    }
}
