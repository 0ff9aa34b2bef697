using SweepRunner.Core.Trials;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Models;

/// <summary>
/// Sums over a batch of the per-image evaluation terms (divide by the image count for per-sample values).
/// <see cref="Kl"/> is null for models without a latent distribution.
/// </summary>
public sealed record EvaluationSums(double Objective, double Recon, double SquaredError, double? Kl);

/// <summary>
/// What the trainer needs from a trainable autoencoder: its training objective, its evaluation terms and
/// seeded weight initialisation. Decoders produce pixel logits; the losses use binary cross-entropy on logits,
/// which stays finite where a sigmoid output would saturate at exactly 0 or 1.
/// </summary>
public abstract class AutoencoderModel(string name) : nn.Module<Tensor, Tensor>(name), IAutoencoder
{
    public abstract ModelKind Kind { get; }
    public abstract int LatentDim { get; }

    public abstract Tensor Encode(Tensor images);

    /// <summary>[B, k] codes to [B, pixels] logits; <see cref="Decode"/> is their sigmoid.</summary>
    public abstract Tensor DecodeLogits(Tensor codes);

    public Tensor Decode(Tensor codes) => sigmoid(DecodeLogits(codes));

    /// <summary>The deterministic reconstruction (for a VAE: decoded from the posterior mean).</summary>
    public override Tensor forward(Tensor images) => Decode(Encode(images));

    /// <summary>The objective minimised in training, averaged over the batch; <paramref name="generator"/> drives any sampling.</summary>
    public abstract Tensor TrainingLoss(Tensor input, Tensor target, Generator generator);

    /// <summary>
    /// Evaluation terms for clean images, summed over the batch: the objective with <paramref name="objectiveInput"/>
    /// as input (the clean images themselves, or a fixed noisy copy for a DAE) and without sampling, the BCE and the
    /// squared error of reconstructing the clean images, and the KL term where there is one. Call under no_grad.
    /// </summary>
    public abstract EvaluationSums Evaluate(Tensor clean, Tensor objectiveInput);

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// Re-draws every weight and bias from <paramref name="generator"/>, U(−1/√fan_in, 1/√fan_in) like torch's default
    /// for Linear layers, so initial weights depend only on the trial's seed and not on the process-wide RNG that
    /// other threads draw from.
    /// </summary>
    public void InitialiseWeights(Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var linear in LinearsInLayerOrder(this))
        {
            double bound = 1.0 / Math.Sqrt(linear.weight.shape[1]);
            // Tensor.uniform_ rather than nn.init.uniform_: in TorchSharp 0.107 the latter ignores its generator.
            linear.weight.uniform_(-bound, bound, generator);
            linear.bias?.uniform_(-bound, bound, generator);
        }
    }

    /// <summary>
    /// The linear layers depth first, from the input to the output (modules() lists a container's direct children
    /// before their contents, which would draw the code layer first), so that any network built from the same
    /// widths in the same order and drawn from the same generator starts from the same weights.
    /// </summary>
    private static IEnumerable<Linear> LinearsInLayerOrder(nn.Module module)
    {
        foreach (var child in module.children())
        {
            if (child is Linear linear) yield return linear;
            else foreach (var inner in LinearsInLayerOrder(child)) yield return inner;
        }
    }

    /// <summary>Binary cross-entropy of <paramref name="target"/> under pixel <paramref name="logits"/>, summed over pixels and images.</summary>
    public static Tensor SummedBce(Tensor logits, Tensor target) =>
        nn.functional.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.Sum);

    /// <summary>Squared error of the reconstruction, summed over pixels and images.</summary>
    protected static Tensor SummedSquaredError(Tensor logits, Tensor target) => (sigmoid(logits) - target).square().sum();

    /// <summary>The model a trial configuration asks for (AE and DAE share a class; the DAE differs only in its inputs).</summary>
    public static AutoencoderModel Create(TrialConfig config, int pixels)
    {
        if (config.Hidden.Length == 0 || config.Hidden.Any(width => width <= 0))
            throw new ArgumentException($"hidden: needs at least one positive layer width, got [{string.Join(", ", config.Hidden)}].");
        if (config.LatentDim <= 0)
            throw new ArgumentException($"latent_dim: must be positive, got {config.LatentDim}.");
        return config.Model switch
        {
            ModelKind.Ae or ModelKind.Dae => new Autoencoder(config.Model, pixels, config.LatentDim, config.Hidden),
            ModelKind.Vae => new VariationalAutoencoder(pixels, config.LatentDim, config.Hidden, config.KlWeight),
            _ => throw new ArgumentException($"model: unknown kind {config.Model}."),
        };
    }
}

/// <summary>Builds the fully connected stacks both models use, with named layers.</summary>
internal static class LayerStacks
{
    /// <summary>Linear layers through <paramref name="widths"/> (input width first), each followed by a ReLU.</summary>
    public static List<(string, nn.Module<Tensor, Tensor>)> ReluLayers(string prefix, IReadOnlyList<int> widths)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 1; i < widths.Count; i++)
        {
            layers.Add(($"{prefix}{i}", nn.Linear(widths[i - 1], widths[i])));
            // In place: the linear output is not needed by backward (ReLU's gradient reads its own result), so skip a copy.
            layers.Add(($"{prefix}{i}_relu", nn.ReLU(inplace: true)));
        }
        return layers;
    }

    /// <summary>The encoder trunk: pixels → hidden[0] → … → hidden[^1], ReLU after each.</summary>
    public static Sequential EncoderTrunk(int pixels, IReadOnlyList<int> hidden) =>
        nn.Sequential(ReluLayers("encoder", [pixels, .. hidden]));

    /// <summary>The decoder: code → hidden[^1] → … → hidden[0] with ReLUs, then a linear layer to pixel logits.</summary>
    public static Sequential Decoder(int latentDim, IReadOnlyList<int> hidden, int pixels)
    {
        var layers = ReluLayers("decoder", [latentDim, .. hidden.Reverse()]);
        layers.Add(("output", nn.Linear(hidden[0], pixels)));
        return nn.Sequential(layers);
    }
}
