using SweepRunner.Analysis.Evaluation;
using SweepRunner.Analysis.Metrics;
using SweepRunner.Analysis.Sampling;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using SweepRunner.Tests.Training;
using SweepRunner.Workers.Execution;

namespace SweepRunner.Tests.EvalTrial;

/// <summary>Small trials run through the real executor, with an evaluation scaled down to keep each test to seconds.</summary>
internal static class ExecutorSetup
{
    /// <summary>A five-epoch classifier on 900 images: weak, but enough to exercise every generation metric.</summary>
    public static EvaluationSettings SmallEvaluation(string cacheFolder) => new()
    {
        Classifier = new ClassifierTrainingOptions { Epochs = 5 },
        CacheFolder = cacheFolder,
        Options = new EvaluationOptions
        {
            ProbeTrainLimit = 500, MixtureFitLimit = 500, ContinuityPairs = 20,
            Probe = new LinearProbeOptions { Steps = 50 },
            Mixture = new GaussianMixtureOptions { Components = 3, MaxIterations = 30 },
        },
    };

    public static TrialConfig Config(ModelKind model, int latentDim = 2, EvaluationSpec? evaluation = null) => new()
    {
        Model = model, Hidden = [128, 32], LatentDim = latentDim, Epochs = 4, BatchSize = 32, LearningRate = 5e-3,
        Seed = 5, Dataset = TorchTestSetup.SmallFashionMnist, DataSeed = 11,
        Evaluation = evaluation ?? new EvaluationSpec { Samples = 300 },
    };

    /// <summary>Runs <paramref name="config"/> to the end; the figures, if any, are returned beside the outcome.</summary>
    public static (TrialOutcome Outcome, List<EpochReport> Reports, TrialArtifacts? Artifacts) Execute(
        TrialConfig config, EvaluationSettings settings)
    {
        TorchTestSetup.SmallData();
        var executor = new TorchTrialExecutor(new SlotOptions { Slots = 1, ThreadsPerTrial = 1 },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TorchTrialExecutor>.Instance, settings);
        var reports = new List<EpochReport>();
        TrialArtifacts? artifacts = null;
        var outcome = executor.Execute(new TrialRun(config, ResumeFrom: null,
            OnEpoch: report => { reports.Add(report); return TrialDirective.Continue; },
            OnCheckpoint: (_, _) => { },
            OnArtifacts: made => artifacts = made), CancellationToken.None);
        return (outcome, reports, artifacts);
    }
}
