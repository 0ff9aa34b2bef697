using System.Globalization;
using M = SweepRunner.Reporting.EvaluationMetrics;

namespace SweepRunner.Reporting;

/// <summary>Question 3: the VAE's architecture, its size against the AE's, and what beta does.</summary>
public sealed partial class SeedReport
{
    private void VaeArchitecture()
    {
        _body.Heading(1, "3. What is the architecture of a variational autoencoder?");
        var vae = _data.Of(ModelNames.Vae);
        if (vae.Count == 0)
        {
            _body.Paragraph("This sweep has no VAE, so its architecture and the effect of β are not shown.");
            return;
        }
        var widths = string.Join(" → ", vae[0].Hidden);
        _body.Paragraph($"As trained here: the encoder maps an image through fully connected ReLU layers ({widths}) to two linear heads, the mean μ and " +
                        "the log-variance log σ² of a diagonal Gaussian over the code; a code z = μ + σ·ε (ε ~ N(0, I)) is decoded by the mirrored " +
                        "layers to a sigmoid output. The loss is the reconstruction BCE plus β·KL(q(z|x) ‖ N(0, I)); β is `kl_weight`.");
        var ae = _data.Of(ModelNames.Ae);
        var sizes = LatentSizes(vae).Where(k => ae.Any(t => t.LatentDim == k)).ToList();
        if (sizes.Count > 0 && vae.All(t => t.ParameterCount > 0) && ae.All(t => t.ParameterCount > 0))
        {
            _body.Table(["latent_dim", "AE parameters", "VAE parameters"], sizes.Select(k => (IReadOnlyList<string>)
                [k.ToString(CultureInfo.InvariantCulture), ae.First(t => t.LatentDim == k).ParameterCount.ToString(CultureInfo.InvariantCulture),
                 vae.First(t => t.LatentDim == k).ParameterCount.ToString(CultureInfo.InvariantCulture)]));
            var k0 = sizes[^1];
            _body.Paragraph($"At latent_dim {k0} the VAE has {vae.First(t => t.LatentDim == k0).ParameterCount - ae.First(t => t.LatentDim == k0).ParameterCount} " +
                            "more parameters than the AE: the second (log-variance) head.");
        }
        var betas = vae.Select(t => t.KlWeight).Distinct().Order().ToList();
        _body.Paragraph("The effect of β (`kl_weight`) at each latent size: reconstruction BCE, KL, ELBO (nats per image) and the Fréchet distance of prior samples.");
        _body.Table(["β", "latent_dim", M.TestRecon, M.TestKl, M.TestElbo, "FID prior"],
            betas.SelectMany(b => LatentSizes(vae).Select(k => (b, k, Group: vae.Where(t => t.KlWeight == b && t.LatentDim == k).ToList())))
                 .Where(x => x.Group.Count > 0)
                 .Select(x => (IReadOnlyList<string>)
                     [Numbers.Format(x.b), x.k.ToString(CultureInfo.InvariantCulture),
                      .. new[] { M.TestRecon, M.TestKl, M.TestElbo, M.PriorFid }.Select(m => Phrases.Cell(Summary.Of(x.Group, m)))]));
        if (betas.Count > 1)
        {
            var low = vae.Where(t => t.KlWeight == betas[0]).ToList();
            var high = vae.Where(t => t.KlWeight == betas[^1]).ToList();
            var parts = new List<string>();
            foreach (var (metric, what) in new[] { (M.TestKl, "KL"), (M.TestRecon, "reconstruction BCE"), (M.PriorFid, "the prior samples' Fréchet distance") })
                if (Summary.Of(low, metric) is { } a && Summary.Of(high, metric) is { } b)
                    parts.Add($"{what} goes from {Numbers.Format(a.Mean)} to {Numbers.Format(b.Mean)} ({Phrases.Relation(b.Mean, a.Mean)})");
            if (parts.Count > 0)
                _body.Paragraph($"Raising β from {Numbers.Format(betas[0])} to {Numbers.Format(betas[^1])} (means over latent sizes): {string.Join("; ", parts)}.");
        }
        else _missing.Add("Only one β (`kl_weight`) in the sweep: the trade-off between reconstruction and KL is not shown.");
        LatentTwoFigures(ModelNames.Vae, "the seed's second figure: a VAE's 2-D code space, close to a standard normal");
    }
}
