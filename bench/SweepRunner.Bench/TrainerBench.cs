using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using SweepRunner.Training;
using SweepRunner.Training.Data;
using SweepRunner.Workers.Checkpoints;
using static TorchSharp.torch;

namespace SweepRunner.Bench;

/// <summary>
/// The trainer against the reference loop on the seed AE (784-500-120-2-120-500-784, batch 128, Adam) on one
/// thread, epochs alternating so drift in the machine's speed hits both alike; and from the trainer's own profile,
/// the cost of its per-epoch checkpoint (serialised and stored in files, as the embedded silo does) and of its
/// evaluation metrics.
/// </summary>
internal static class TrainerBench
{
    /// <summary>Relative difference allowed between the trainer's and the reference's losses (float32 sums over different op orders).</summary>
    public const double LossTolerance = 1e-3;

    public sealed record Result(
        double TrainerEpochSeconds, double ReferenceEpochSeconds, long TrainingImages, double FlopsPerImage,
        double TrainerLoss, double ReferenceLoss, double TrainerValidationLoss, double ReferenceValidationLoss,
        double CheckpointSecondsPerEpoch, double ValidationSecondsPerEpoch, double TestSeconds, long CheckpointBytes,
        double LayerMatmulGflops)
    {
        public double TrainerGflops => FlopsPerImage * TrainingImages / TrainerEpochSeconds / 1e9;
        public double Speedup => ReferenceEpochSeconds / TrainerEpochSeconds;
        public double LossDifference => Math.Max(Relative(TrainerLoss, ReferenceLoss), Relative(TrainerValidationLoss, ReferenceValidationLoss));
        public bool LossesAgree => LossDifference <= LossTolerance;
        private static double Relative(double a, double b) => Math.Abs(a - b) / Math.Abs(b);
    }

    public static TrialConfig SeedAutoencoder(DatasetSpec data) => new()
    {
        Model = ModelKind.Ae, Hidden = [500, 120], LatentDim = 2, BatchSize = 128, LearningRate = 1e-3,
        Epochs = 1, Seed = 7, Dataset = data, DataSeed = 7,
    };

    /// <summary>6 floating-point operations per multiply-add of every layer (2 forward, 4 backward), per image; biases not counted.</summary>
    public static double FlopsPerImage(TrialConfig config, int pixels)
    {
        int[] widths = [pixels, .. config.Hidden, config.LatentDim, .. config.Hidden.Reverse(), pixels];
        long multiplyAdds = 0;
        for (int i = 1; i < widths.Length; i++) multiplyAdds += (long)widths[i - 1] * widths[i];
        return 6.0 * multiplyAdds;
    }

    public static Result Run(BenchSettings settings, Action<string> progress)
    {
        set_num_threads(1);
        var data = DatasetLoader.Load(settings.TrainerData, dataSeed: 7);
        var config = SeedAutoencoder(settings.TrainerData);
        var store = new FileCheckpointStore(Path.Combine(settings.WorkFolder, "checkpoints"));

        // Warm-up: JIT, allocator and caches, on a small slice so it costs seconds.
        var warmUpData = data with { Train = new ImageSplit(data.Train.Images.narrow(0, 0, 2_560), data.Train.Labels.narrow(0, 0, 2_560)) };
        TrainOnce(config, warmUpData, store);
        ReferenceLoop.TrainOneEpoch(config, warmUpData);

        var trainer = new List<(TrainingProfile Profile, TrialOutcome Outcome, long Bytes)>();
        var reference = new List<ReferenceLoop.Result>();
        var layerGemm = new List<double>();
        int[] widths = [data.Pixels, .. config.Hidden, config.LatentDim, .. config.Hidden.Reverse(), data.Pixels];
        for (int i = 0; i < settings.TrainerRepeats; i++)
        {
            layerGemm.Add(LayerGemmBench.Gflops(widths, config.BatchSize, settings.Quick));
            trainer.Add(TrainOnce(config, data, store));
            progress($"trainer epoch {trainer[^1].Profile.TrainingSeconds:F2} s");
            reference.Add(ReferenceLoop.TrainOneEpoch(config, data));
            progress($"reference epoch {reference[^1].TrainingSeconds:F2} s");
        }
        var first = trainer[0].Outcome.Metrics;
        return new Result(
            TrainerEpochSeconds: Statistics.Median(trainer.Select(t => t.Profile.TrainingSeconds).ToList()),
            ReferenceEpochSeconds: Statistics.Median(reference.Select(r => r.TrainingSeconds).ToList()),
            TrainingImages: data.Train.Count,
            FlopsPerImage: FlopsPerImage(config, data.Pixels),
            TrainerLoss: first[MetricNames.TrainLoss], ReferenceLoss: reference[0].MeanTrainingLoss,
            TrainerValidationLoss: first[MetricNames.Validation("loss")], ReferenceValidationLoss: reference[0].ValidationLoss,
            CheckpointSecondsPerEpoch: Statistics.Median(trainer.Select(t => t.Profile.CheckpointSeconds).ToList()),
            ValidationSecondsPerEpoch: Statistics.Median(trainer.Select(t => t.Profile.ValidationSeconds).ToList()),
            TestSeconds: Statistics.Median(trainer.Select(t => t.Profile.TestSeconds).ToList()),
            CheckpointBytes: trainer[0].Bytes,
            LayerMatmulGflops: Statistics.Median(layerGemm));
    }

    private static (TrainingProfile, TrialOutcome, long) TrainOnce(TrialConfig config, ImageDataset data, ICheckpointStore store)
    {
        var profile = new TrainingProfile();
        long bytes = 0;
        var outcome = TrialTrainer.Train(config, data, _ => TrialDirective.Continue, CancellationToken.None, new TrainingOptions
        {
            Profile = profile,
            OnCheckpoint = checkpoint =>
            {
                bytes = checkpoint.Data.Length;
                store.Save("bench-trial", checkpoint.Data);
            },
        });
        if (outcome.Status != TrialStatus.Completed)
            throw new InvalidOperationException($"the benchmark trial ended {outcome.Status}: {outcome.Error}");
        return (profile, outcome, bytes);
    }
}
