using SweepRunner.Core.Data;
using SweepRunner.Core.Specs;
using SweepRunner.Training.Data;
using TorchSharp;
using Xunit;

namespace SweepRunner.Tests.Training;

public sealed class DatasetLoaderTests : IDisposable
{
    private readonly TempFolder temp = new();

    public DatasetLoaderTests() => IdxTestFiles.WriteDataset(temp.Path, train: 100, test: 30, rows: 3, cols: 2);

    public void Dispose() => temp.Dispose();

    private DatasetSpec Spec => new() { Name = DatasetLocator.Idx, Path = temp.Path, TrainLimit = 50, TestLimit = 20, Validation = 0.2 };

    [Fact]
    public void LimitsAndValidationShareSetTheSplitSizes()
    {
        var data = DatasetLoader.Load(Spec, dataSeed: 1);

        Assert.Equal((40, 10, 20), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal((3, 2, 6), (data.Rows, data.Cols, data.Pixels));
        Assert.Equal(new long[] { 40, 6 }, data.Train.Images.shape);
        Assert.Equal(torch.ScalarType.Float32, data.Train.Images.dtype);
        Assert.Equal(torch.ScalarType.Int64, data.Train.Labels.dtype);
    }

    [Fact]
    public void ImagesAreScaledAndKeepTheirLabels()
    {
        var data = DatasetLoader.Load(Spec, dataSeed: 2);

        // Test images are the first ones in file order: image i has first pixel (7 i mod 256) and label i mod 10.
        var firstPixels = data.Test.Images[.., 0].data<float>().ToArray();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 7 % 256 / 255f), firstPixels);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)(i % 10)), data.Test.Labels.data<long>().ToArray());

        // The shuffled training images still carry their own labels (7 i mod 256 is distinct for i < 256).
        var imageByFirstPixel = Enumerable.Range(0, 100).ToDictionary(i => i * 7 % 256);
        var trainFirst = data.Train.Images[.., 0].data<float>().ToArray();
        var trainLabels = data.Train.Labels.data<long>().ToArray();
        for (int row = 0; row < trainFirst.Length; row++)
        {
            int original = imageByFirstPixel[(int)Math.Round(trainFirst[row] * 255)];
            Assert.Equal(original % 10, trainLabels[row]);
        }
    }

    [Fact]
    public void SplitIsSeededAndDisjoint()
    {
        var (train, validation) = DatasetLoader.SplitIndexes(100, trainLimit: 50, validationShare: 0.2, dataSeed: 5);
        var again = DatasetLoader.SplitIndexes(100, trainLimit: 50, validationShare: 0.2, dataSeed: 5);
        var other = DatasetLoader.SplitIndexes(100, trainLimit: 50, validationShare: 0.2, dataSeed: 6);

        Assert.Equal((40, 10), (train.Length, validation.Length));
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(train, again.Train);
        Assert.Equal(validation, again.Validation);
        Assert.NotEqual(validation, other.Validation);
    }

    [Fact]
    public void LoadsOncePerSpecAndSeed()
    {
        var first = DatasetLoader.Load(Spec, dataSeed: 3);
        var results = new ImageDataset[4];
        Parallel.For(0, results.Length, i => results[i] = DatasetLoader.Load(Spec, dataSeed: 3));

        Assert.All(results, loaded => Assert.Same(first, loaded));
        Assert.NotSame(first, DatasetLoader.Load(Spec, dataSeed: 4));
    }

    [Fact]
    public void MissingFilesAreReportedAndNotCached()
    {
        var spec = Spec with { Path = temp.File("later") };
        Assert.Throws<FileNotFoundException>(() => DatasetLoader.Load(spec, dataSeed: 1));

        Directory.CreateDirectory(spec.Path!);
        IdxTestFiles.WriteDataset(spec.Path!, train: 60, test: 30, rows: 3, cols: 2);
        Assert.Equal(40, DatasetLoader.Load(spec, dataSeed: 1).Train.Count);
    }
}
