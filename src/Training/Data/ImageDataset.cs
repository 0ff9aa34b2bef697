using TorchSharp;

namespace SweepRunner.Training.Data;

/// <summary>One split of an image data set, flattened: images [N, rows*cols] float32 in 0..1, labels [N] int64.</summary>
public sealed record ImageSplit(torch.Tensor Images, torch.Tensor Labels)
{
    public long Count => Images.shape[0];
}

/// <summary>A loaded data set with its seeded validation split held out of the training set.</summary>
public sealed record ImageDataset(string Name, int Rows, int Cols, ImageSplit Train, ImageSplit Validation, ImageSplit Test)
{
    public int Pixels => Rows * Cols;
}
