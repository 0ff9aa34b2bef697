using SweepRunner.Core.Trials;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Models;

/// <summary>
/// A fully connected autoencoder: pixels → hidden… (ReLU) → linear code of <see cref="LatentDim"/> units, and the
/// mirrored decoder → sigmoid pixels. Also the denoising autoencoder, which is the same network fed noisy inputs.
/// </summary>
public sealed class Autoencoder : AutoencoderModel
{
    private readonly Sequential encoder;
    private readonly Linear code;
    private readonly Sequential decoder;

    public Autoencoder(ModelKind kind, int pixels, int latentDim, IReadOnlyList<int> hidden)
        : base(kind == ModelKind.Dae ? "dae" : "ae")
    {
        if (kind is not (ModelKind.Ae or ModelKind.Dae))
            throw new ArgumentException($"An {nameof(Autoencoder)} is an AE or a DAE, not a {kind}.", nameof(kind));
        Kind = kind;
        LatentDim = latentDim;
        encoder = LayerStacks.EncoderTrunk(pixels, hidden);
        code = nn.Linear(hidden[^1], latentDim);
        decoder = LayerStacks.Decoder(latentDim, hidden, pixels);
        RegisterComponents();
    }

    public override ModelKind Kind { get; }
    public override int LatentDim { get; }

    public override Tensor Encode(Tensor images) => code.forward(encoder.forward(images));

    public override Tensor DecodeLogits(Tensor codes) => decoder.forward(codes);

    /// <summary>BCE of <paramref name="target"/> reconstructed from <paramref name="input"/>: summed over pixels, mean over the batch.</summary>
    public Tensor Loss(Tensor input, Tensor target) => SummedBce(DecodeLogits(Encode(input)), target) / input.shape[0];

    public override Tensor TrainingLoss(Tensor input, Tensor target, Generator generator) => Loss(input, target);

    public override EvaluationSums Evaluate(Tensor clean, Tensor objectiveInput)
    {
        var logits = DecodeLogits(Encode(clean));
        double recon = SummedBce(logits, clean).item<float>();
        double objective = ReferenceEquals(objectiveInput, clean)
            ? recon
            : SummedBce(DecodeLogits(Encode(objectiveInput)), clean).item<float>();
        return new EvaluationSums(objective, recon, SummedSquaredError(logits, clean).item<float>(), Kl: null);
    }
}
