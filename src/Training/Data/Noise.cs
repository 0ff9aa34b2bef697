using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using static TorchSharp.torch;

namespace SweepRunner.Training.Data;

/// <summary>
/// Seeded corruption of images in 0..1: the DAE's training and validation inputs and the denoising measurements
/// both use it, so a DAE is measured on exactly the noise it was trained against.
/// </summary>
public static class Noise
{
    /// <summary>The spec name: <c>gaussian</c>, <c>masking</c> or <c>salt_pepper</c>.</summary>
    public static string Name(NoiseKind kind) => ParameterCatalog.NoiseKindName(kind);

    /// <summary>Why <paramref name="level"/> is not a valid level for <paramref name="kind"/>, or null if it is.</summary>
    public static string? LevelProblem(NoiseKind kind, double level) =>
        kind == NoiseKind.Gaussian
            ? level >= 0 ? null : $"a gaussian noise level (std) must be 0 or more, not {level}"
            : level is >= 0 and <= 1 ? null : $"a {Name(kind)} noise level (share of pixels) must be in 0..1, not {level}";

    /// <param name="clean">[N, pixels] in 0..1; left unchanged.</param>
    /// <param name="level">Standard deviation (gaussian) or share of pixels, 0..1 (masking, salt_pepper).</param>
    /// <param name="generator">Draws all randomness, so a seed reproduces the corruption.</param>
    public static Tensor Corrupt(Tensor clean, NoiseKind kind, double level, Generator generator)
    {
        if (LevelProblem(kind, level) is { } problem) throw new ArgumentOutOfRangeException(nameof(level), level, problem);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var shape = clean.shape;
        Tensor noisy = kind switch
        {
            NoiseKind.Gaussian => (clean + level * randn(shape, dtype: clean.dtype, generator: generator)).clamp(0, 1),
            NoiseKind.Masking => clean.masked_fill(rand(shape, generator: generator) < level, 0),
            NoiseKind.SaltPepper => SaltPepper(clean, level, generator),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        return noisy.MoveToOuterDisposeScope();
    }

    private static Tensor SaltPepper(Tensor clean, double level, Generator generator)
    {
        var hit = rand(clean.shape, generator: generator) < level;
        var salt = (rand(clean.shape, generator: generator) < 0.5).to_type(clean.dtype);
        return where(hit, salt, clean);
    }
}
