using static TorchSharp.torch;

namespace SweepRunner.Analysis.Metrics;

public enum NoiseKind
{
    /// <summary>Adds N(0, level²) to every pixel, then clamps to 0..1.</summary>
    Gaussian,
    /// <summary>Sets a random share <c>level</c> of the pixels to 0.</summary>
    Masking,
    /// <summary>Sets a random share <c>level</c> of the pixels to 0 or 1 (even odds).</summary>
    SaltPepper,
}

/// <summary>Seeded corruption of images in 0..1, for denoising measurements.</summary>
public static class Noise
{
    /// <summary>The spec names: <c>gaussian</c>, <c>masking</c>, <c>salt_pepper</c>.</summary>
    public static NoiseKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "gaussian" => NoiseKind.Gaussian,
        "masking" => NoiseKind.Masking,
        "salt_pepper" => NoiseKind.SaltPepper,
        _ => throw new ArgumentException($"Unknown noise kind '{name}'; expected gaussian, masking or salt_pepper.", nameof(name)),
    };

    public static string Name(NoiseKind kind) => kind switch
    {
        NoiseKind.Gaussian => "gaussian",
        NoiseKind.Masking => "masking",
        NoiseKind.SaltPepper => "salt_pepper",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <param name="clean">[N, pixels] in 0..1; left unchanged.</param>
    /// <param name="level">Standard deviation (gaussian) or share of pixels, 0..1 (masking, salt_pepper).</param>
    /// <param name="generator">Draws all randomness, so a seed reproduces the corruption.</param>
    public static Tensor Corrupt(Tensor clean, NoiseKind kind, double level, Generator generator)
    {
        if (level < 0 || (kind != NoiseKind.Gaussian && level > 1))
            throw new ArgumentOutOfRangeException(nameof(level), level, $"Noise level for {Name(kind)} must be {(kind == NoiseKind.Gaussian ? ">= 0" : "in 0..1")}.");
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
