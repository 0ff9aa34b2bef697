namespace SweepRunner.Training.Randomness;

/// <summary>
/// Derives independent seeds from one seed and a stream number (what the seed is used for, and e.g. the epoch),
/// so each use gets its own reproducible random sequence and none depends on how far another one has advanced.
/// </summary>
public static class SeedMixer
{
    public const long DataSplitStream = 1;
    public const long WeightsStream = 2;
    public const long ValidationNoiseStream = 3;
    public const long TestNoiseStream = 4;
    /// <summary>Epoch e uses stream <c>EpochStream + e</c>; kept far from the fixed streams above.</summary>
    public const long EpochStream = 1_000_000;

    /// <summary>A 64-bit seed for (seed, stream), mixed with the SplitMix64 finaliser so nearby inputs give unrelated outputs.</summary>
    public static ulong Mix(long seed, long stream)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)stream * 0xD1B54A32D192ED03UL + 0x632BE59BD9B4E019UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A seeded <see cref="System.Random"/> for (seed, stream); its sequence is fixed for a given seed.</summary>
    public static Random Random(long seed, long stream) => new(unchecked((int)Mix(seed, stream)));
}
