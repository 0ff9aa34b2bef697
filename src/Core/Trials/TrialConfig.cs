using SweepRunner.Core.Specs;

namespace SweepRunner.Core.Trials;

/// <summary>
/// What a trial trains. <see cref="Pca"/> is the linear baseline fitted in closed form (SweepRunner.Analysis), not by
/// gradient. <see cref="Sleep"/> trains nothing: each epoch only waits <see cref="TrialConfig.SleepSeconds"/>, so the
/// orchestration path (spec, coordinator, trial grains, durable results) can be measured on its own.
/// </summary>
public enum ModelKind { Ae, Dae, Vae, Pca, Sleep }

/// <summary>How a DAE's inputs (and the denoising measurements) are corrupted; the level is <see cref="TrialConfig.Noise"/>.</summary>
public enum NoiseKind
{
    /// <summary>Adds N(0, level²) to every pixel, then clamps to 0..1.</summary>
    Gaussian,
    /// <summary>Sets a random share <c>level</c> of the pixels to 0.</summary>
    Masking,
    /// <summary>Sets a random share <c>level</c> of the pixels to 0 or 1 (even odds).</summary>
    SaltPepper,
}

/// <summary>Everything one trial needs to train one configuration, independent of Orleans.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialConfig
{
    [Id(0)] public ModelKind Model { get; init; } = ModelKind.Ae;
    [Id(1)] public int LatentDim { get; init; } = 16;
    /// <summary>Encoder widths, input side first; the decoder mirrors them.</summary>
    [Id(2)] public int[] Hidden { get; init; } = [500, 120];
    /// <summary>Beta: weight of the KL term (VAE only).</summary>
    [Id(3)] public double KlWeight { get; init; } = 1.0;
    /// <summary>Noise level of the DAE's inputs: the standard deviation (gaussian) or the share of pixels hit (masking, salt_pepper).</summary>
    [Id(4)] public double Noise { get; init; } = 0.3;
    [Id(5)] public double LearningRate { get; init; } = 1e-3;
    [Id(6)] public int BatchSize { get; init; } = 128;
    [Id(7)] public int Epochs { get; init; } = 5;
    /// <summary>Seeds weights, shuffling, noise and sampling of this trial.</summary>
    [Id(8)] public long Seed { get; init; }
    [Id(9)] public required DatasetSpec Dataset { get; init; }
    /// <summary>Seeds the train/validation split; the sweep's seed, so every trial sees the same split.</summary>
    [Id(10)] public long DataSeed { get; init; }
    [Id(11)] public int Threads { get; init; } = 1;
    /// <summary>Seconds each epoch of a <see cref="ModelKind.Sleep"/> trial waits (ignored by the other kinds).</summary>
    [Id(12)] public double SleepSeconds { get; init; } = 1.0;
    /// <summary>How the DAE's inputs are corrupted (DAE only).</summary>
    [Id(13)] public NoiseKind NoiseKind { get; init; } = NoiseKind.Gaussian;
    /// <summary>What the end-of-trial evaluation measures and draws (the sweep's <c>evaluation:</c>).</summary>
    [Id(14)] public EvaluationSpec Evaluation { get; init; } = new();
}

/// <summary>A trial as the coordinator plans it: identity, configuration and the swept values shown to users.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialSpec
{
    /// <summary>Stable within a sweep, e.g. <c>t0007</c>.</summary>
    [Id(0)] public required string TrialId { get; init; }
    [Id(1)] public required int Index { get; init; }
    [Id(2)] public int Repeat { get; init; }
    [Id(3)] public required TrialConfig Config { get; init; }
    /// <summary>Parameter name to value as text, in spec order (e.g. <c>model: vae</c>).</summary>
    [Id(4)] public required Dictionary<string, string> Parameters { get; init; }
}
