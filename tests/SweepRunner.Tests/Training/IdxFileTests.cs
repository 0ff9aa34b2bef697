using SweepRunner.Core.Data;
using Xunit;

namespace SweepRunner.Tests.Training;

public sealed class IdxFileTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("images.idx3-ubyte")]
    [InlineData("images.idx3-ubyte.gz")]
    public void ImagesRoundTrip(string name)
    {
        var pixels = IdxTestFiles.PatternPixels(5, 3, 2);
        string path = IdxTestFiles.Write(temp.File(name), IdxTestFiles.ImageBytes(5, 3, 2, pixels));

        var images = IdxFile.ReadImages(path);

        Assert.Equal((5, 3, 2), (images.Count, images.Rows, images.Cols));
        Assert.Equal(pixels, images.Pixels);
        Assert.Equal(new IdxHeader(IdxKind.Images, 5, 3, 2), IdxFile.ReadHeader(path));
        Assert.Equal(new IdxHeader(IdxKind.Images, 5, 3, 2), IdxFile.Verify(path, IdxKind.Images));
    }

    [Theory]
    [InlineData("labels.idx1-ubyte")]
    [InlineData("labels.idx1-ubyte.gz")]
    public void LabelsRoundTripWithLimit(string name)
    {
        var labels = IdxTestFiles.PatternLabels(12);
        string path = IdxTestFiles.Write(temp.File(name), IdxTestFiles.LabelBytes(12, labels));

        Assert.Equal(labels, IdxFile.ReadLabels(path));
        Assert.Equal(labels[..4], IdxFile.ReadLabels(path, limit: 4));
        Assert.Equal(labels, IdxFile.ReadLabels(path, limit: 100));
        Assert.Equal(IdxKind.Labels, IdxFile.ReadHeader(path).Kind);
    }

    [Fact]
    public void ImageLimitReadsTheFirstImages()
    {
        var pixels = IdxTestFiles.PatternPixels(6, 2, 2);
        string path = IdxTestFiles.Write(temp.File("i.gz"), IdxTestFiles.ImageBytes(6, 2, 2, pixels));

        var images = IdxFile.ReadImages(path, limit: 2);

        Assert.Equal(2, images.Count);
        Assert.Equal(pixels[..8], images.Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BadMagicIsReported(bool gzip)
    {
        var bytes = IdxTestFiles.ImageBytes(2, 2, 2);
        bytes[2] = 0x0d; // float data, not unsigned bytes
        string path = IdxTestFiles.Write(temp.File(gzip ? "bad.gz" : "bad"), bytes);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("bad magic number 0x00000d03", error.Message);
    }

    [Fact]
    public void WrongDimensionCountIsReported()
    {
        string path = IdxTestFiles.Write(temp.File("labels.gz"), IdxTestFiles.LabelBytes(3));

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("1 dimensions in the header; expected 3", error.Message);
    }

    [Theory]
    [InlineData("short", 16 + 5)]
    [InlineData("short.gz", 16 + 5)]
    [InlineData("header-only.gz", 10)]
    public void TruncatedDataIsReported(string name, int keptBytes)
    {
        var bytes = IdxTestFiles.ImageBytes(3, 2, 2)[..keptBytes];
        string path = IdxTestFiles.Write(temp.File(name), bytes);

        var read = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        var verify = Assert.Throws<InvalidDataException>(() => IdxFile.Verify(path, IdxKind.Images));
        foreach (var error in new[] { read, verify })
        {
            Assert.Contains(path, error.Message);
            Assert.Contains("truncated", error.Message);
        }
    }

    [Fact]
    public void CutOffGzipStreamIsReported()
    {
        var gzip = IdxTestFiles.Gzip(IdxTestFiles.ImageBytes(50, 8, 8));
        string path = temp.File("cut.gz");
        File.WriteAllBytes(path, gzip[..(gzip.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Verify(path, IdxKind.Images));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void RawFileNamedGzIsReported()
    {
        string path = temp.File("raw.gz");
        File.WriteAllBytes(path, IdxTestFiles.ImageBytes(2, 2, 2));

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadHeader(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("not a gzip file", error.Message);
    }
}
