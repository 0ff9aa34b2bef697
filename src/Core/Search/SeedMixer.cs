namespace SweepRunner.Core.Search;

/// <summary>
/// Derives seeds from a sweep's seed with SplitMix64's mixing function, so that the same inputs give the same
/// seed in every process and .NET version (unlike <see cref="string.GetHashCode()"/> or <see cref="Random"/>).
/// </summary>
public static class SeedMixer
{
    /// <summary>SplitMix64's increment: 2^64 divided by the golden ratio.</summary>
    internal const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>A non-negative seed that depends on <paramref name="seed"/> and every part, in order.</summary>
    public static long Derive(long seed, params ReadOnlySpan<long> parts)
    {
        var state = Mix((ulong)seed + Gamma);
        foreach (var part in parts) state = Mix(state ^ ((ulong)part * Gamma + Gamma));
        // Non-negative, since some consumers (torch.manual_seed, CLI flags) read seeds as signed.
        return (long)(state >> 1);
    }

    /// <summary>SplitMix64's finaliser: every input bit affects every output bit.</summary>
    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>A SplitMix64 stream of random numbers: small, fast and identical everywhere for a given seed.</summary>
public sealed class SeededRandom(long seed)
{
    private ulong _state = (ulong)seed;

    public ulong NextBits()
    {
        _state += SeedMixer.Gamma;
        return SeedMixer.Mix(_state);
    }

    /// <summary>Uniform in [0, 1), from the top 53 bits.</summary>
    public double NextDouble() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="bound"/>), without modulo bias.</summary>
    public ulong NextBelow(ulong bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        // Values below this threshold would make the low residues slightly more likely; draw again.
        var threshold = (0 - bound) % bound;
        while (true)
        {
            var bits = NextBits();
            if (bits >= threshold) return bits % bound;
        }
    }
}
