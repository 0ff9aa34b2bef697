using static TorchSharp.torch;

namespace SweepRunner.Bench;

/// <summary>The machine's reference: the fp32 rate of one large matrix product, on one thread and on every core.</summary>
internal static class GemmBench
{
    private const int Size = 1024;

    /// <summary>GFLOP/s of a <see cref="Size"/>³ product (2·n³ floating-point operations) on <paramref name="threads"/> torch threads.</summary>
    public static double Gflops(int threads, bool quick)
    {
        set_num_threads(threads);
        using var generator = new Generator(12345);
        using var a = randn([Size, Size], generator: generator);
        using var b = randn([Size, Size], generator: generator);
        double seconds = Statistics.MedianSeconds(warmUps: 3, runs: quick ? 5 : 15, () =>
        {
            using var product = mm(a, b);
        });
        return 2.0 * Size * Size * Size / seconds / 1e9;
    }
}
