using System.IO.Compression;
using SweepRunner.Training.Data;
using static TorchSharp.torch;

namespace SweepRunner.Tests.Analysis;

/// <summary>Small slices of the real data sets on this machine, read straight from their IDX .gz files.</summary>
internal static class TestData
{
    public const string MnistTestFolder = "/work/shared/data/mnist-test";
    public const string FashionFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The first <paramref name="count"/> images [count, 784] in 0..1 and labels [count] int64 of an IDX pair.</summary>
    public static ImageSplit Load(string folder, string prefix, int count)
    {
        var pixels = ReadIdx(Path.Combine(folder, prefix + "-images-idx3-ubyte.gz"), expectedMagic: 2051, count, out int itemSize);
        var labels = ReadIdx(Path.Combine(folder, prefix + "-labels-idx1-ubyte.gz"), expectedMagic: 2049, count, out _);
        var images = tensor(pixels, [count, itemSize], dtype: ScalarType.Byte).to_type(ScalarType.Float32) / 255f;
        return new ImageSplit(images, tensor(labels, dtype: ScalarType.Byte).to_type(ScalarType.Int64));
    }

    /// <summary>Fashion-MNIST as a data set: the first <paramref name="train"/> training images, the next 1,000 as validation, the first <paramref name="test"/> test images.</summary>
    public static ImageDataset Fashion(int train, int test)
    {
        const int validation = 1000;
        var all = Load(FashionFolder, "train", train + validation);
        var trainSplit = new ImageSplit(all.Images.narrow(0, 0, train), all.Labels.narrow(0, 0, train));
        var validationSplit = new ImageSplit(all.Images.narrow(0, train, validation), all.Labels.narrow(0, train, validation));
        return new ImageDataset("fashion-mnist", 28, 28, trainSplit, validationSplit, Load(FashionFolder, "t10k", test));
    }

    private static byte[] ReadIdx(string path, int expectedMagic, int count, out int itemSize)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new BinaryReader(stream);
        int magic = ReadBigEndian(reader);
        if (magic != expectedMagic) throw new InvalidDataException($"{path}: magic {magic}, expected {expectedMagic}.");
        int items = ReadBigEndian(reader);
        itemSize = 1;
        for (int d = 0; d < (magic & 0xFF) - 1; d++) itemSize *= ReadBigEndian(reader);
        if (count > items) throw new ArgumentOutOfRangeException(nameof(count), $"{path} holds only {items} items.");
        return reader.ReadBytes(count * itemSize);
    }

    private static int ReadBigEndian(BinaryReader reader)
    {
        var bytes = reader.ReadBytes(4);
        return (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
    }
}
