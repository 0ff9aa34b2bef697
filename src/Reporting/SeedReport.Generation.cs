using System.Globalization;
using SweepRunner.Analysis.Figures;
using M = SweepRunner.Reporting.EvaluationMetrics;

namespace SweepRunner.Reporting;

/// <summary>Questions 2, 4 and 5: generation by the plain AE and by the VAE, with the prior and with a fitted mixture.</summary>
public sealed partial class SeedReport
{
    private enum Sampler { Prior, Gmm }

    private static string FidOf(Sampler sampler) => sampler == Sampler.Prior ? M.PriorFid : M.GmmFid;
    private static string Name(Sampler sampler) => sampler == Sampler.Prior ? "N(0, I) prior" : "GMM fitted to the training codes";
    private static string Short(Sampler sampler) => sampler == Sampler.Prior ? "prior" : "GMM";

    /// <summary>A model kind's generation at the latent size where its mean Fréchet distance is lowest.</summary>
    private sealed record BestGeneration(string Model, Sampler Sampler, int LatentDim, Summary Fid, IReadOnlyList<TrialView> Trials);

    private BestGeneration? BestAt(string model, Sampler sampler)
    {
        var trials = _data.Of(model);
        return LatentSizes(trials)
            .Select(k => (k, Group: trials.Where(t => t.LatentDim == k).ToList()))
            .Select(x => (x.k, x.Group, Fid: Summary.Of(x.Group, FidOf(sampler))))
            .Where(x => x.Fid is not null)
            .Select(x => new BestGeneration(model, sampler, x.k, x.Fid!, x.Group))
            .MinBy(b => b.Fid.Mean);
    }

    private double? Floor => Summary.Of(Trials, M.FidFloor)?.Mean;

    private string AgainstFloor(double fid) => Floor is { } floor ? $" ({Phrases.Ratio(fid, floor)} the real floor {Numbers.Format(floor)})" : "";

    private void CanAnAutoencoderGenerate()
    {
        _body.Heading(1, "2. Can a (traditional) autoencoder generate new data?");
        _body.Paragraph("The seed says no: its codes follow no known distribution, and its code space is neither complete nor continuous. " +
                        $"Here every model decodes {Spec.Evaluation.Samples} codes drawn from the N(0, I) prior and {Spec.Evaluation.Samples} from a Gaussian mixture fitted to its " +
                        "training codes; the evaluation classifier judges the images (Fréchet distance to the test set, lower is better; " +
                        "completeness: share of prior samples recognised with high confidence, higher is better; continuity: 1 for perfectly " +
                        "even interpolations, higher for jumps).");
        LatentTwoFigures(ModelNames.Ae, "the seed's first figure: an AE's 2-D code space, with gaps between the classes");
        if (!Require("Generation", M.PriorFid, M.GmmFid)) return;
        var models = ModelNames.All.Where(_data.Has).ToList();
        _body.Table(["model", "latent_dim", "FID prior", "FID GMM", "floor", "confidence prior", "coverage prior", "completeness", "continuity"],
            models.SelectMany(m => LatentSizes(_data.Of(m)).Select(k =>
            {
                var group = _data.Of(m).Where(t => t.LatentDim == k).ToList();
                return (IReadOnlyList<string>)
                [
                    ModelNames.Display(m), k.ToString(CultureInfo.InvariantCulture),
                    .. new[] { M.PriorFid, M.GmmFid, M.FidFloor, M.PriorConfidence, M.PriorCoverage, M.Completeness, M.Continuity }
                        .Select(metric => Phrases.Cell(Summary.Of(group, metric))),
                ];
            })));
        var series = new List<LineSeries>();
        foreach (var sampler in new[] { Sampler.Prior, Sampler.Gmm })
            series.AddRange(AgainstLatent(Trials, t => $"{ModelNames.Display(t.Model)} {Short(sampler)}", FidOf(sampler)));
        if (Floor is { } floor && Trials.Count > 0)
        {
            var sizes = LatentSizes(Trials);
            series.Add(new LineSeries("real floor", [sizes[0], sizes[^1]], [floor, floor]));
        }
        Chart("generation_fid", series, "latent_dim (log scale)", "Fréchet distance", "Fréchet distance of generated samples",
            "Fréchet distance of prior and GMM samples to the test set, by model and latent size (mean ± sd), against the floor of real held-out images.");

        var ae = _data.Of(ModelNames.Ae);
        var vae = _data.Of(ModelNames.Vae);
        var aePrior = BestAt(ModelNames.Ae, Sampler.Prior);
        var aeGmm = BestAt(ModelNames.Ae, Sampler.Gmm);
        if (aePrior is not null && aeGmm is not null)
            _body.Paragraph($"The AE's best prior samples (latent_dim {aePrior.LatentDim}) are at Fréchet distance {Numbers.Format(aePrior.Fid.Mean)}{AgainstFloor(aePrior.Fid.Mean)}; " +
                            $"sampled from a GMM fitted to its codes, its best is {Numbers.Format(aeGmm.Fid.Mean)} (latent_dim {aeGmm.LatentDim}), " +
                            $"{Phrases.Relation(aeGmm.Fid.Mean, aePrior.Fid.Mean)} than with the prior.");
        if (ae.Count == 0 || vae.Count == 0)
            _missing.Add("AE against VAE generation: the sweep needs both `ae` and `vae` trials.");
        else
        {
            var shared = LatentSizes(ae).Intersect(LatentSizes(vae)).ToList();
            var comparisons = shared.Select(k => (k, Ae: Summary.Of(ae.Where(t => t.LatentDim == k), M.PriorFid), Vae: Summary.Of(vae.Where(t => t.LatentDim == k), M.PriorFid)))
                                    .Where(c => c.Ae is not null && c.Vae is not null).ToList();
            if (comparisons.Count > 0)
            {
                _body.Paragraph("Prior samples, AE against VAE: " + string.Join("; ", comparisons.Select(c =>
                    $"at latent_dim {c.k} the AE's Fréchet distance is {Numbers.Format(c.Ae!.Mean)} against the VAE's {Numbers.Format(c.Vae!.Mean)} ({Phrases.Relation(c.Ae.Mean, c.Vae.Mean)})")) + ".");
                var aeWorse = comparisons.Where(c => c.Ae!.Mean > c.Vae!.Mean).Select(c => c.k).ToList();
                AddVerdict("a plain AE cannot generate by sampling random codes, because its codes follow no known distribution.",
                    aeWorse.Count == comparisons.Count
                        ? $"decoding N(0, I) codes, the AE's samples are further from the data than the VAE's at every shared latent size ({string.Join(", ", aeWorse)})."
                        : $"the AE's prior samples are further from the data than the VAE's only at latent size {(aeWorse.Count == 0 ? "none" : string.Join(", ", aeWorse))} " +
                          $"of {string.Join(", ", comparisons.Select(c => c.k))}.",
                    agrees: aeWorse.Count == comparisons.Count);
            }
            var aeComplete = Summary.Of(ae, M.Completeness);
            var vaeComplete = Summary.Of(vae, M.Completeness);
            var aeContinuity = Summary.Of(ae, M.Continuity);
            var vaeContinuity = Summary.Of(vae, M.Continuity);
            if (aeComplete is not null && vaeComplete is not null && aeContinuity is not null && vaeContinuity is not null)
            {
                _body.Paragraph($"Completeness (mean over all trials): AE {Numbers.Format(aeComplete.Mean)}, VAE {Numbers.Format(vaeComplete.Mean)} — the AE's is " +
                                $"{Phrases.Relation(aeComplete.Mean, vaeComplete.Mean)}. Continuity: AE {Numbers.Format(aeContinuity.Mean)}, VAE {Numbers.Format(vaeContinuity.Mean)} — the AE's is " +
                                $"{Phrases.Relation(aeContinuity.Mean, vaeContinuity.Mean)} (lower is smoother).");
                bool agrees = aeComplete.Mean < vaeComplete.Mean && aeContinuity.Mean > vaeContinuity.Mean;
                AddVerdict("the AE's code space is neither complete nor continuous, the VAE's is.",
                    $"the AE's completeness is {Numbers.Format(aeComplete.Mean)} against the VAE's {Numbers.Format(vaeComplete.Mean)}, and its continuity score " +
                    $"{Numbers.Format(aeContinuity.Mean)} against {Numbers.Format(vaeContinuity.Mean)} (lower is smoother)" +
                    (agrees ? "." : ": on at least one of the two the AE is not worse."), agrees);
            }
            else _missing.Add($"Completeness and continuity: `{M.Completeness}` or `{M.Continuity}` is absent for the AE or the VAE.");
        }
        if (BestAt(ModelNames.Ae, Sampler.Prior) is { } best) SamplesOf(best);
    }

    private void HowWellVaeGenerates()
    {
        _body.Heading(1, "4. How well does a VAE generate new data?");
        if (!_data.Has(ModelNames.Vae))
        {
            _body.Paragraph("This sweep has no VAE, so the question is not answered.");
            return;
        }
        if (!Require("VAE generation", M.PriorFid, M.GmmFid)) return;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var model in ModelNames.All.Where(_data.Has))
            foreach (var sampler in new[] { Sampler.Prior, Sampler.Gmm })
            {
                if (BestAt(model, sampler) is not { } best) continue;
                string prefix = sampler == Sampler.Prior ? "gen_prior_" : "gen_gmm_";
                rows.Add([$"{ModelNames.Display(model)} + {Short(sampler)}", best.LatentDim.ToString(CultureInfo.InvariantCulture), best.Fid.ToString(),
                          Floor is { } floor ? Phrases.Ratio(best.Fid.Mean, floor) : "–",
                          Phrases.Cell(Summary.Of(best.Trials, prefix + "confidence")), Phrases.Cell(Summary.Of(best.Trials, prefix + "coverage")),
                          Phrases.Cell(Summary.Of(best.Trials, prefix + "entropy"))]);
            }
        _body.Paragraph("Each model and sampler at its best latent size (lowest mean Fréchet distance):");
        _body.Table(["generator", "latent_dim", "Fréchet distance", "× floor", "confidence", "class coverage", "class entropy (bits)"], rows);

        var vaePrior = BestAt(ModelNames.Vae, Sampler.Prior)!;
        var vaeGmm = BestAt(ModelNames.Vae, Sampler.Gmm);
        var sentences = new List<string>
        {
            $"The VAE's best prior samples (latent_dim {vaePrior.LatentDim}) are at Fréchet distance {Numbers.Format(vaePrior.Fid.Mean)}{AgainstFloor(vaePrior.Fid.Mean)}",
        };
        if (vaeGmm is not null)
            sentences.Add($"a GMM fitted to the VAE's own codes gives {Numbers.Format(vaeGmm.Fid.Mean)}, {Phrases.Relation(vaeGmm.Fid.Mean, vaePrior.Fid.Mean)} than its prior" +
                          (vaeGmm.Fid.Mean < vaePrior.Fid.Mean ? ", so the VAE's codes do not fill the prior exactly" : ""));
        if (BestAt(ModelNames.Ae, Sampler.Prior) is { } aePrior)
            sentences.Add($"the AE's best prior samples are at {Numbers.Format(aePrior.Fid.Mean)}, {Phrases.Relation(aePrior.Fid.Mean, vaePrior.Fid.Mean)} than the VAE's");
        if (BestAt(ModelNames.Ae, Sampler.Gmm) is { } aeGmm)
        {
            sentences.Add($"the AE with a fitted GMM reaches {Numbers.Format(aeGmm.Fid.Mean)}, {Phrases.Relation(aeGmm.Fid.Mean, vaePrior.Fid.Mean)} than the VAE with its prior");
            bool samplerIsEnough = aeGmm.Fid.Mean <= vaePrior.Fid.Mean;
            sentences.Add(samplerIsEnough
                ? "so the VAE's advantage over the AE lies in the sampler, not the model: an AE with an ex-post density estimate generates as well"
                : "so the VAE's advantage is not only the sampler: even with a fitted density the AE's samples stay further from the data");
            AddVerdict("the VAE's fixed code distribution is what makes generation possible.",
                samplerIsEnough
                    ? $"an AE with a GMM fitted to its codes generates at Fréchet distance {Numbers.Format(aeGmm.Fid.Mean)}, no worse than the VAE's prior samples at {Numbers.Format(vaePrior.Fid.Mean)}: a known distribution can be fitted after training."
                    : $"the AE with a fitted GMM stays at {Numbers.Format(aeGmm.Fid.Mean)} against the VAE's {Numbers.Format(vaePrior.Fid.Mean)}: the VAE's training itself matters.",
                agrees: !samplerIsEnough);
        }
        _body.Paragraph(string.Join("; ", sentences) + ".");
        SamplesOf(vaePrior);
    }

    private void CanVaeGenerateImages()
    {
        _body.Heading(1, "5. Can VAEs be used to generate images?");
        _body.Paragraph("The seed's conclusion slide was never written; these are the sweep's numbers for it.");
        var generators = ModelNames.All.Where(_data.Has)
            .SelectMany(m => new[] { Sampler.Prior, Sampler.Gmm }.Select(s => BestAt(m, s)))
            .OfType<BestGeneration>().ToList();
        if (!_data.Has(ModelNames.Vae) || generators.Count == 0)
        {
            _body.Paragraph(_data.Has(ModelNames.Vae)
                ? "Not answered: the VAE trials carry no generation metrics."
                : "Not answered: this sweep has no VAE.");
            return;
        }
        var overall = generators.MinBy(g => g.Fid.Mean)!;
        var vae = BestAt(ModelNames.Vae, Sampler.Prior);
        if (vae is null)
        {
            _missing.Add("The VAE trials have no prior-sample Fréchet distance.");
            return;
        }
        var coverage = Summary.Of(vae.Trials, M.PriorCoverage);
        var confidence = Summary.Of(vae.Trials, M.PriorConfidence);
        var aePrior = BestAt(ModelNames.Ae, Sampler.Prior);
        var opening = aePrior is null
            ? "Measured without a plain AE to compare with"
            : vae.Fid.Mean < aePrior.Fid.Mean
                ? $"Yes, better than a plain AE can (whose best prior samples are at {Numbers.Format(aePrior.Fid.Mean)})"
                : $"No better than a plain AE (whose best prior samples are at {Numbers.Format(aePrior.Fid.Mean)})";
        _body.Paragraph($"{opening}: decoding codes drawn from N(0, I), the best VAE (latent_dim {vae.LatentDim}) produces images at Fréchet distance " +
                        $"{Numbers.Format(vae.Fid.Mean)}{AgainstFloor(vae.Fid.Mean)}" +
                        (coverage is null ? "" : $", covering {Numbers.Percent(coverage.Mean)} of the classes") +
                        (confidence is null ? "" : $", recognised by the classifier with mean confidence {Numbers.Format(confidence.Mean)}") + ". " +
                        $"The best generator of the sweep is the {ModelNames.Display(overall.Model)} with {Name(overall.Sampler)} at latent_dim {overall.LatentDim} " +
                        $"(Fréchet distance {Numbers.Format(overall.Fid.Mean)}).");
        if (aePrior is { } ae)
            AddVerdict("VAEs generate images (where plain AEs do not).",
                $"the best VAE's prior samples are at {Numbers.Format(vae.Fid.Mean)}, the best AE's at {Numbers.Format(ae.Fid.Mean)} " +
                $"({Phrases.Relation(vae.Fid.Mean, ae.Fid.Mean)} for the VAE).", agrees: vae.Fid.Mean < ae.Fid.Mean);
    }

    private void SamplesOf(BestGeneration best)
    {
        if (Best(best.Trials) is { } trial) TrialFigures(trial, ["samples_prior", "samples_gmm"]);
    }

    /// <summary>The code scatter and decoded manifold of the model's best latent-2 trial, or a note that there is none.</summary>
    private void LatentTwoFigures(string model, string what)
    {
        if (Best(_data.Of(model).Where(t => t.LatentDim == 2)) is { } trial)
        {
            _body.Paragraph($"{char.ToUpperInvariant(what[0])}{what[1..]} ({trial.TrialId}):");
            TrialFigures(trial, ["codes", "manifold"]);
        }
        else _missing.Add($"No {ModelNames.Display(model)} trial at latent_dim 2, so {what} cannot be shown.");
    }
}
