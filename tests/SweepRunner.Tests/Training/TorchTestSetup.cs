using SweepRunner.Core.Specs;
using SweepRunner.Training.Data;
using TorchSharp;

namespace SweepRunner.Tests.Training;

/// <summary>Process-wide torch settings and the small real data set the training tests share.</summary>
internal static class TorchTestSetup
{
    private static readonly Lazy<bool> SingleThreaded = new(() =>
    {
        // Process-wide, so set once here; it makes results reproducible across machines with different core counts.
        torch.set_num_threads(1);
        return true;
    });

    /// <summary>1,000 Fashion-MNIST training images (900 train, 100 validation) and 300 test images.</summary>
    public static readonly DatasetSpec SmallFashionMnist = new()
    {
        Name = "fashion-mnist", TrainLimit = 1000, TestLimit = 300, Validation = 0.1,
    };

    public static ImageDataset SmallData()
    {
        _ = SingleThreaded.Value;
        return DatasetLoader.Load(SmallFashionMnist, dataSeed: 11);
    }
}
