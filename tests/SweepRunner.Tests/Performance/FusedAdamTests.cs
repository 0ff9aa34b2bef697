using SweepRunner.Tests.Training;
using SweepRunner.Training.Optimisation;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SweepRunner.Tests.Performance;

public sealed class FusedAdamTests
{
    /// <summary>Two copies of one small network, trained on the same batches, one by each optimizer.</summary>
    private static (Sequential Model, Tensor Inputs) Network(long seed)
    {
        TorchTestSetup.SmallData(); // one torch thread, as in training
        var generator = new Generator((ulong)seed);
        var model = nn.Sequential(nn.Linear(7, 5), nn.ReLU(), nn.Linear(5, 3));
        using (no_grad())
            foreach (var p in model.parameters()) p.uniform_(-0.5, 0.5, generator);
        return (model, randn([16, 7], generator: generator));
    }

    private static void Backward(Sequential model, Tensor inputs, int step)
    {
        using var scope = NewDisposeScope();
        var output = model.forward(inputs * (1 + 0.1 * step));
        output.square().sum().backward();
    }

    [Fact]
    public void Follows_torch_Adam_and_leaves_zeroed_gradients()
    {
        var (fused, inputs) = Network(3);
        var (stock, _) = Network(3);
        var fusedAdam = new FusedAdam(fused.parameters(), 0.01);
        using var stockAdam = optim.Adam(stock.parameters(), 0.01);

        for (int step = 0; step < 20; step++)
        {
            Backward(fused, inputs, step);
            fusedAdam.Step();
            stockAdam.zero_grad();
            Backward(stock, inputs, step);
            stockAdam.step();
        }

        Assert.Equal(20, fusedAdam.StepCount);
        foreach (var (mine, theirs) in fused.parameters().Zip(stock.parameters()))
        {
            Assert.True(allclose(mine, theirs, rtol: 1e-5, atol: 1e-6), $"max difference {(mine - theirs).abs().max().item<float>()}");
            Assert.Equal(0f, mine.grad!.abs().sum().item<float>());
        }
        // Moved well away from the start, so the agreement above is not two unchanged copies.
        var (start, _) = Network(3);
        Assert.False(allclose(fused.parameters().First(), start.parameters().First(), atol: 1e-3));
    }

    [Fact]
    public void Saved_state_continues_exactly()
    {
        var (original, inputs) = Network(5);
        var adam = new FusedAdam(original.parameters(), 0.01);
        for (int step = 0; step < 3; step++) { Backward(original, inputs, step); adam.Step(); }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            original.save(writer);
            adam.Save(writer);
        }
        var (copy, _) = Network(6);
        var restored = new FusedAdam(copy.parameters(), 0.01);
        buffer.Position = 0;
        using (var reader = new BinaryReader(buffer))
        {
            copy.load(reader);
            restored.Load(reader);
        }

        Backward(original, inputs, 3);
        adam.Step();
        Backward(copy, inputs, 3);
        restored.Step();
        foreach (var (a, b) in original.parameters().Zip(copy.parameters()))
            Assert.True(a.allclose(b, rtol: 0, atol: 0));
    }

    [Fact]
    public void Refuses_the_state_of_another_model()
    {
        var (small, _) = Network(1);
        var adam = new FusedAdam(small.parameters(), 0.01);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) adam.Save(writer);

        using var other = nn.Linear(2, 2);
        buffer.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => new FusedAdam(other.parameters(), 0.01).Load(new BinaryReader(buffer)));
        Assert.Contains("optimizer state", error.Message);
    }
}
