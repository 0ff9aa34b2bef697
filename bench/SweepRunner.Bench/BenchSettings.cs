using SweepRunner.Core.Specs;

namespace SweepRunner.Bench;

/// <summary>How big each measurement is: the full run for the record, or a quick one to check the harness works.</summary>
internal sealed record BenchSettings(bool Quick, string RepositoryRoot, string WorkFolder)
{
    /// <summary>Fashion-MNIST as the trainer figures use it: every training image (less the validation split) and every test image.</summary>
    public DatasetSpec TrainerData => new() { Name = "fashion-mnist", TrainLimit = Quick ? 12_000 : null, TestLimit = Quick ? 2_000 : null, Validation = 0.1 };
    /// <summary>Alternating trainer and reference epochs, the median of each counted.</summary>
    public int TrainerRepeats => Quick ? 1 : 5;
    /// <summary>Training images of each trial in the sweep-efficiency sweep.</summary>
    public int SweepTrainLimit => Quick ? 6_000 : 24_000;
    public int SweepTrials => Quick ? 2 : 4;
    public int SleepTrials => Quick ? 100 : 1_000;
    public double SleepSeconds => 0.2;
    public int ZeroLengthTrials => Quick ? 1_000 : 10_000;
    public int StartupRepeats => Quick ? 1 : 3;
}
