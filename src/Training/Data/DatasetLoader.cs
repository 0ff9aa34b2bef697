using System.Collections.Concurrent;
using SweepRunner.Core.Data;
using SweepRunner.Core.Specs;
using SweepRunner.Training.Randomness;
using TorchSharp;

namespace SweepRunner.Training.Data;

/// <summary>
/// Loads a <see cref="DatasetSpec"/> into tensors. Every trial in a process shares one copy per (spec, data seed):
/// the first caller loads it and the others wait for it. The shared tensors are outside any dispose scope and are
/// only read by trainers, so they are never freed while the process lives.
/// </summary>
public static class DatasetLoader
{
    private static readonly ConcurrentDictionary<(DatasetSpec Spec, long DataSeed), Lazy<ImageDataset>> Cache = new();

    /// <summary>
    /// The data set, loaded once per (spec, seed). The files must be in place (download MNIST first with
    /// <see cref="MnistDownloader"/>). Training images are subsampled to <see cref="DatasetSpec.TrainLimit"/> and split
    /// into training and validation by one permutation seeded by <paramref name="dataSeed"/>; the test split is the
    /// first <see cref="DatasetSpec.TestLimit"/> test images.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or the limits and validation share leave an empty split.</exception>
    public static ImageDataset Load(DatasetSpec spec, long dataSeed)
    {
        var key = (spec, dataSeed);
        var entry = Cache.GetOrAdd(key, k => new Lazy<ImageDataset>(() => LoadFromDisk(k.Spec, k.DataSeed)));
        try
        {
            return entry.Value;
        }
        catch
        {
            // A failed load is not cached, so fixing the files and retrying works.
            Cache.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }

    private static ImageDataset LoadFromDisk(DatasetSpec spec, long dataSeed)
    {
        var files = DatasetLocator.Locate(spec);
        var trainImages = IdxFile.ReadImages(files.TrainImages);
        var trainLabels = IdxFile.ReadLabels(files.TrainLabels);
        var testImages = IdxFile.ReadImages(files.TestImages, spec.TestLimit);
        var testLabels = IdxFile.ReadLabels(files.TestLabels, spec.TestLimit);
        RequireSameCount(trainImages, trainLabels, files.TrainImages, files.TrainLabels);
        RequireSameCount(testImages, testLabels, files.TestImages, files.TestLabels);
        if ((trainImages.Rows, trainImages.Cols) != (testImages.Rows, testImages.Cols))
            throw new InvalidDataException(
                $"{files.Folder}: training images are {trainImages.Rows}×{trainImages.Cols} but test images are {testImages.Rows}×{testImages.Cols}.");

        var (trainIndexes, validationIndexes) = SplitIndexes(trainImages.Count, spec.TrainLimit, spec.Validation, dataSeed);
        if (trainIndexes.Length == 0 || validationIndexes.Length == 0)
            throw new InvalidDataException(
                $"{files.Folder}: dataset.validation {spec.Validation} of {trainImages.Count} images (train_limit {spec.TrainLimit}) leaves an empty split.");

        return new ImageDataset(spec.Name, trainImages.Rows, trainImages.Cols,
            Train: Select(trainImages, trainLabels, trainIndexes),
            Validation: Select(trainImages, trainLabels, validationIndexes),
            Test: Select(testImages, testLabels, [.. Enumerable.Range(0, testImages.Count)]));
    }

    /// <summary>
    /// Which training images are kept for training and which are held out for validation: one seeded permutation
    /// of all of them, cut to <paramref name="trainLimit"/>, whose first part is the validation split.
    /// </summary>
    public static (int[] Train, int[] Validation) SplitIndexes(int available, int? trainLimit, double validationShare, long dataSeed)
    {
        var permutation = Enumerable.Range(0, available).ToArray();
        SeedMixer.Random(dataSeed, SeedMixer.DataSplitStream).Shuffle(permutation);
        int kept = Math.Min(available, trainLimit ?? available);
        var (_, validation) = DatasetLocator.SplitSizes(kept, validationShare);
        return (permutation[validation..kept], permutation[..validation]);
    }

    private static void RequireSameCount(IdxImages images, byte[] labels, string imagesPath, string labelsPath)
    {
        if (images.Count != labels.Length)
            throw new InvalidDataException($"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Length} labels.");
    }

    /// <summary>Copies the chosen images into a [N, pixels] float32 tensor scaled to 0..1 and their labels into [N] int64.</summary>
    private static ImageSplit Select(IdxImages images, byte[] labels, int[] indexes)
    {
        int pixels = images.Rows * images.Cols;
        var floats = new float[(long)indexes.Length * pixels];
        var chosenLabels = new long[indexes.Length];
        for (int row = 0; row < indexes.Length; row++)
        {
            var source = images.Pixels.AsSpan(indexes[row] * pixels, pixels);
            var target = floats.AsSpan(row * pixels, pixels);
            for (int p = 0; p < pixels; p++)
                target[p] = source[p] / 255f;
            chosenLabels[row] = labels[indexes[row]];
        }
        // Detached so that a caller's dispose scope cannot free tensors other trials share.
        var imageTensor = torch.tensor(floats, [indexes.Length, pixels]).DetachFromDisposeScope();
        var labelTensor = torch.tensor(chosenLabels, [indexes.Length]).DetachFromDisposeScope();
        return new ImageSplit(imageTensor, labelTensor);
    }
}
