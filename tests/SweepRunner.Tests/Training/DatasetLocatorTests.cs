using SweepRunner.Core.Data;
using SweepRunner.Core.Specs;
using Xunit;

namespace SweepRunner.Tests.Training;

public sealed class DatasetLocatorTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private DatasetSpec Idx(string? path = null) => new() { Name = DatasetLocator.Idx, Path = path ?? temp.Path };

    [Theory]
    [InlineData(".gz")]
    [InlineData("")]
    public void ValidDataSetHasNoProblems(string suffix)
    {
        IdxTestFiles.WriteDataset(temp.Path, train: 20, test: 5, suffix: suffix);

        Assert.Empty(DatasetLocator.Check(Idx()));
        var files = DatasetLocator.Locate(Idx());
        Assert.Equal(Path.Combine(temp.Path, DatasetLocator.TestLabelsName + suffix), files.TestLabels);
    }

    [Fact]
    public void MissingFolderIsReported()
    {
        string missing = temp.File("nowhere");

        var problem = Assert.Single(DatasetLocator.Check(Idx(missing)));

        Assert.Equal("dataset.path", problem.Key);
        Assert.Contains(missing, problem.Message);
    }

    [Fact]
    public void MissingFileIsNamedWithHowToGetIt()
    {
        IdxTestFiles.WriteDataset(temp.Path, train: 20, test: 5);
        File.Delete(temp.File(DatasetLocator.TestImagesName + ".gz"));

        var idxProblem = Assert.Single(DatasetLocator.Check(Idx()));
        var mnistProblem = Assert.Single(DatasetLocator.Check(new DatasetSpec { Name = DatasetLocator.Mnist, Path = temp.Path }));

        Assert.Equal("dataset.path", idxProblem.Key);
        Assert.Contains(DatasetLocator.TestImagesName, idxProblem.Message);
        Assert.Contains("set download: true or put the files in " + temp.Path, mnistProblem.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<FileNotFoundException>(() => DatasetLocator.Locate(Idx()));
    }

    [Fact]
    public void MissingFilesAreNotAProblemWhenMnistMayBeDownloaded()
    {
        var spec = new DatasetSpec { Name = DatasetLocator.Mnist, Path = temp.File("mnist"), Download = true };

        Assert.Empty(DatasetLocator.Check(spec));
    }

    [Fact]
    public void FashionMnistDefaultFolderHintsAtTheDebianPackage()
    {
        var spec = new DatasetSpec { Name = DatasetLocator.FashionMnist };
        Assert.Equal(DatasetLocator.FashionMnistFolder, DatasetLocator.ResolveFolder(spec));
        Assert.Contains("dataset-fashion-mnist", DatasetLocator.MissingFileMessage(spec, DatasetLocator.FashionMnistFolder, "x"));
    }

    [Fact]
    public void CountMismatchIsReported()
    {
        IdxTestFiles.WriteDataset(temp.Path, train: 20, test: 5);
        IdxTestFiles.Write(temp.File(DatasetLocator.TrainLabelsName + ".gz"), IdxTestFiles.LabelBytes(19));

        var problem = Assert.Single(DatasetLocator.Check(Idx()));

        Assert.Equal("dataset.path", problem.Key);
        Assert.Contains("20 training images but 19 training labels", problem.Message);
    }

    [Fact]
    public void DifferentImageSizesAreReported()
    {
        IdxTestFiles.WriteDataset(temp.Path, train: 20, test: 5);
        IdxTestFiles.Write(temp.File(DatasetLocator.TestImagesName + ".gz"), IdxTestFiles.ImageBytes(5, 3, 4));

        var problem = Assert.Single(DatasetLocator.Check(Idx()));

        Assert.Contains("4×4", problem.Message);
        Assert.Contains("3×4", problem.Message);
    }

    [Fact]
    public void TruncatedAndCorruptFilesAreReported()
    {
        IdxTestFiles.WriteDataset(temp.Path, train: 20, test: 5);
        IdxTestFiles.Write(temp.File(DatasetLocator.TrainImagesName + ".gz"), IdxTestFiles.ImageBytes(20, 4, 4)[..100]);
        File.WriteAllText(temp.File(DatasetLocator.TestLabelsName + ".gz"), "not gzip");

        var problems = DatasetLocator.Check(Idx());

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Message.Contains("truncated") && p.Message.Contains(DatasetLocator.TrainImagesName));
        Assert.Contains(problems, p => p.Message.Contains("not a gzip file") && p.Message.Contains(DatasetLocator.TestLabelsName));
    }

    [Fact]
    public void LimitsAndValidationShareAreChecked()
    {
        IdxTestFiles.WriteDataset(temp.Path, train: 20, test: 5);

        var tooMany = DatasetLocator.Check(Idx() with { TrainLimit = 21, TestLimit = 6 });
        var noValidation = DatasetLocator.Check(Idx() with { TrainLimit = 4, Validation = 0.1 });
        var badShare = DatasetLocator.Check(Idx() with { Validation = 1.5 });

        Assert.Equal(["dataset.train_limit", "dataset.test_limit"], tooMany.Select(p => p.Key));
        Assert.Equal("dataset.validation", Assert.Single(noValidation).Key);
        Assert.Equal("dataset.validation", Assert.Single(badShare).Key);
    }

    [Fact]
    public void UnknownNameAndIdxWithoutPathAreReported()
    {
        Assert.Equal("dataset.name", Assert.Single(DatasetLocator.Check(new DatasetSpec { Name = "cifar" })).Key);
        Assert.Equal("dataset.path", Assert.Single(DatasetLocator.Check(new DatasetSpec { Name = DatasetLocator.Idx })).Key);
    }

    [Fact]
    public void RealFashionMnistChecksInAboutASecond()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var problems = DatasetLocator.Check(new DatasetSpec { Name = DatasetLocator.FashionMnist });
        watch.Stop();

        Assert.Empty(problems);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"Check took {watch.Elapsed}");
    }
}
