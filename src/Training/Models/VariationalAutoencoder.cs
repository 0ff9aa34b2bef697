using SweepRunner.Core.Trials;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Models;

/// <summary>
/// A variational autoencoder: the autoencoder's encoder trunk with two linear heads, the mean and the log-variance
/// of a diagonal Gaussian q(z|x); codes are sampled by reparameterisation and decoded by the mirrored decoder.
/// Loss = BCE + <see cref="KlWeight"/> · KL(q(z|x) ‖ N(0, I)) (a β-VAE when the weight is not 1).
/// </summary>
public sealed class VariationalAutoencoder : AutoencoderModel
{
    private readonly Sequential encoder;
    private readonly Linear mean;
    private readonly Linear logVariance;
    private readonly Sequential decoder;

    public VariationalAutoencoder(int pixels, int latentDim, IReadOnlyList<int> hidden, double klWeight) : base("vae")
    {
        LatentDim = latentDim;
        KlWeight = klWeight;
        encoder = LayerStacks.EncoderTrunk(pixels, hidden);
        mean = nn.Linear(hidden[^1], latentDim);
        logVariance = nn.Linear(hidden[^1], latentDim);
        decoder = LayerStacks.Decoder(latentDim, hidden, pixels);
        RegisterComponents();
    }

    public override ModelKind Kind => ModelKind.Vae;
    public override int LatentDim { get; }
    public double KlWeight { get; }

    /// <summary>The parameters of q(z|x): mean and log-variance, each [B, k].</summary>
    public (Tensor Mean, Tensor LogVariance) EncodeDistribution(Tensor images)
    {
        var trunk = encoder.forward(images);
        return (mean.forward(trunk), logVariance.forward(trunk));
    }

    /// <summary>The posterior mean, the deterministic code.</summary>
    public override Tensor Encode(Tensor images) => mean.forward(encoder.forward(images));

    public override Tensor DecodeLogits(Tensor codes) => decoder.forward(codes);

    /// <summary>z = μ + σ·ε with ε ~ N(0, I) drawn from <paramref name="generator"/>, so gradients flow through μ and σ.</summary>
    public static Tensor Reparameterise(Tensor mean, Tensor logVariance, Generator generator) =>
        mean + exp(0.5 * logVariance) * randn(mean.shape, generator: generator);

    /// <summary>KL(N(μ, σ²) ‖ N(0, I)) per image, in nats: −½ Σ (1 + log σ² − μ² − σ²). Shape [B].</summary>
    public static Tensor KlDivergence(Tensor mean, Tensor logVariance) =>
        -0.5 * (1 + logVariance - mean.square() - logVariance.exp()).sum(1);

    /// <summary>BCE of a sampled reconstruction (summed over pixels) + KlWeight · KL, both averaged over the batch.</summary>
    public Tensor Loss(Tensor input, Tensor target, Generator generator)
    {
        var (mu, logVar) = EncodeDistribution(input);
        var logits = DecodeLogits(Reparameterise(mu, logVar, generator));
        long batch = input.shape[0];
        return SummedBce(logits, target) / batch + KlWeight * KlDivergence(mu, logVar).sum() / batch;
    }

    public override Tensor TrainingLoss(Tensor input, Tensor target, Generator generator) => Loss(input, target, generator);

    /// <summary>Without sampling: the reconstruction terms decode the posterior mean; objective = recon + KlWeight · KL.</summary>
    public override EvaluationSums Evaluate(Tensor clean, Tensor objectiveInput)
    {
        var (mu, logVar) = EncodeDistribution(clean);
        var logits = DecodeLogits(mu);
        double recon = SummedBce(logits, clean).item<float>();
        double kl = KlDivergence(mu, logVar).sum().item<float>();
        return new EvaluationSums(recon + KlWeight * kl, recon, SummedSquaredError(logits, clean).item<float>(), kl);
    }
}
