using SweepRunner.Analysis.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace SweepRunner.Tests.Analysis;

public class ContinuityTests
{
    [Fact]
    public void A_linear_decoder_is_perfectly_continuous()
    {
        using var generator = new Generator(6);
        using var map = randn([3, 784], generator: generator);
        using var linear = new FunctionAutoencoder(3, x => x.narrow(1, 0, 3), z => z.matmul(map));
        using var codes = randn([100, 3], generator: generator);
        Assert.Equal(1.0, CodeSpaceQuality.Continuity(linear, codes, pairs: 50, steps: 10, generator), 5);
    }

    [Fact]
    public void A_decoder_that_jumps_scores_the_number_of_steps()
    {
        // Every image is all 0 or all 1 depending on which side of 0 the first code coordinate is: one step carries it all.
        using var stepDecoder = new FunctionAutoencoder(1, x => x.narrow(1, 0, 1),
            z => (z.narrow(1, 0, 1) > 0).to_type(ScalarType.Float32).expand(-1, 784).contiguous());
        using var codes = tensor(new float[] { -1.05f, 1.05f }, [2, 1]);
        Assert.Equal(10.0, CodeSpaceQuality.Continuity(stepDecoder, codes, pairs: 8, steps: 10, new Generator(1)), 9);
    }
}
