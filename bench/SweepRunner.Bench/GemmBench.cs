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

/// <summary>
/// The matrix products one training batch of a fully connected network performs, alone: for each layer the forward
/// product, the weight gradient and (except the first layer, whose input needs none) the input gradient. The rate
/// is counted like the trainer's (6 flops per multiply-add of every layer), so trainer time over this time is the
/// share of the trainer's time that is matrix products at these shapes.
/// </summary>
internal static class LayerGemmBench
{
    public static double Gflops(int[] widths, int batch, bool quick)
    {
        set_num_threads(1);
        using var generator = new Generator(54321);
        using var scope = NewDisposeScope();
        var weights = Enumerable.Range(1, widths.Length - 1).Select(i => randn([widths[i], widths[i - 1]], generator: generator)).ToArray();
        var activations = widths.Select(width => randn([batch, width], generator: generator)).ToArray();
        double seconds = Statistics.MedianSeconds(warmUps: 5, runs: quick ? 20 : 60, () =>
        {
            using var batchScope = NewDisposeScope();
            for (int layer = 0; layer < weights.Length; layer++)
            {
                activations[layer].mm(weights[layer].t());
                activations[layer + 1].t().mm(activations[layer]);
                if (layer > 0) activations[layer + 1].mm(weights[layer]);
            }
        });
        double multiplyAdds = widths.Zip(widths.Skip(1), (a, b) => (double)a * b).Sum();
        return 6 * multiplyAdds * batch / seconds / 1e9;
    }
}
