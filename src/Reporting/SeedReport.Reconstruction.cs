using SweepRunner.Analysis.Figures;
using M = SweepRunner.Reporting.EvaluationMetrics;

namespace SweepRunner.Reporting;

/// <summary>Question 1: compression (against PCA), denoising, and the codes as features.</summary>
public sealed partial class SeedReport
{
    private void WhatAutoencodersDo()
    {
        _body.Heading(1, "1. What can autoencoders do, and what are they used for?");
        _body.Paragraph("The seed names compression, hence dimensionality reduction and denoising, and says an autoencoder, unlike PCA, " +
                        "can learn non-linear relations. Each is measured here.");
        Compression();
        Denoising();
        CodesAsFeatures();
    }

    private void Compression()
    {
        _body.Heading(2, "Compression: reconstruction error against the code size");
        if (!Require("Reconstruction", M.TestMse)) return;
        var variants = ByVariant(Trials).ToList();
        var latents = LatentSizes(Trials);
        foreach (var (metric, what) in new[] { (M.TestMse, "mean squared error per pixel"), (M.TestRecon, "binary cross-entropy per image, in nats") })
        {
            if (!_data.Measured(metric)) continue;
            _body.Paragraph($"Test `{metric}` ({what}) by latent size; columns are the model variants:");
            _body.Table(["latent_dim", .. variants.Select(v => v.Key)],
                latents.Select(k => (IReadOnlyList<string>)
                    [k.ToString(System.Globalization.CultureInfo.InvariantCulture), .. variants.Select(v => Phrases.Cell(Summary.Of(v.Where(t => t.LatentDim == k), metric)))]));
            Chart($"reconstruction_{metric}", AgainstLatent(Trials, t => t.Variant, metric), "latent_dim (log scale)", metric,
                $"{metric} against latent size", $"Test `{metric}` against latent_dim, mean ± standard deviation over repeats, per model variant.");
        }
        CompareWithPca();
    }

    private void CompareWithPca()
    {
        var ae = _data.Of(ModelNames.Ae);
        var pca = _data.Of(ModelNames.Pca);
        if (ae.Count == 0 || pca.Count == 0)
        {
            _missing.Add("AE against PCA: the sweep needs both `ae` and `pca` trials at the same latent sizes; the claim that an AE beats PCA is untested.");
            return;
        }
        var sentences = new List<string>();
        var aeWins = new List<int>();
        var pcaWins = new List<int>();
        foreach (var k in LatentSizes(ae).Intersect(LatentSizes(pca)))
        {
            var aeMse = Summary.Of(ae.Where(t => t.LatentDim == k), M.TestMse)!;
            var pcaMse = Summary.Of(pca.Where(t => t.LatentDim == k), M.TestMse)!;
            sentences.Add($"at latent_dim {k} the AE's test MSE is {Numbers.Format(aeMse.Mean)} against PCA's {Numbers.Format(pcaMse.Mean)}, " +
                          $"{Phrases.Relation(aeMse.Mean, pcaMse.Mean)}");
            (aeMse.Mean < pcaMse.Mean ? aeWins : pcaWins).Add(k);
        }
        if (sentences.Count == 0)
        {
            _missing.Add("AE against PCA: the `ae` and `pca` trials share no latent size.");
            return;
        }
        _body.Paragraph("AE against PCA, the linear baseline at the same code size: " + string.Join("; ", sentences) + ".");
        var claim = "an autoencoder, unlike PCA, learns non-linear relations, so it should compress better at the same code size.";
        if (pcaWins.Count == 0)
            AddVerdict(claim, $"the AE reconstructs better than PCA at every latent size tested ({string.Join(", ", aeWins)}).", agrees: true);
        else
            AddVerdict(claim, $"PCA reconstructs as well or better than the AE at latent size {string.Join(", ", pcaWins)}" +
                              (aeWins.Count > 0 ? $"; the AE is better only at {string.Join(", ", aeWins)}." : ", that is at every size tested.") +
                              " Non-linearity helps only where the training budget lets the AE use it.", agrees: false);
    }

    private void Denoising()
    {
        _body.Heading(2, "Denoising: PSNR of the output against the noisy input");
        var tested = Trials.Where(t => M.NoiseSettings(t).Any()).ToList();
        if (tested.Count == 0)
        {
            Require("Denoising", "denoise_psnr_out@KIND:LEVEL");
            return;
        }
        var settings = tested.SelectMany(M.NoiseSettings).DistinctBy(s => s.Key).OrderBy(s => s.Kind, StringComparer.Ordinal).ThenBy(s => s.Level).ToList();
        var models = ModelNames.All.Where(_data.Has).ToList();
        var dae = _data.Of(ModelNames.Dae);
        Summary? Out(IEnumerable<TrialView> trials, NoiseSetting s) => Summary.Of(trials.Select(t => M.Denoise(t, s, output: true)));
        Summary? In(IEnumerable<TrialView> trials, NoiseSetting s) => Summary.Of(trials.Select(t => M.Denoise(t, s, output: false)));
        List<TrialView> TrainedAt(NoiseSetting s) => dae.Where(t => new NoiseSetting(t.NoiseKind, t.Noise).SameAs(s)).ToList();

        _body.Paragraph("PSNR in dB against the clean test image (higher is better): the noisy input, and the output of each model given that input. " +
                        "\"DAE trained here\" is the DAE trained on exactly that corruption.");
        _body.Table(["noise", "noisy input", .. models.Select(ModelNames.Display), "DAE trained here"],
            settings.Select(s => (IReadOnlyList<string>)
                [s.ToString(), Phrases.Cell(In(tested, s)), .. models.Select(m => Phrases.Cell(Out(_data.Of(m), s))), Phrases.Cell(Out(TrainedAt(s), s))]));

        if (dae.Count == 0) return;
        // The DAE against the level it was trained at: output and input PSNR per noise kind, with the plain AE as reference.
        var points = new List<(string Group, double X, double Y)>();
        foreach (var trial in dae)
        {
            var own = new NoiseSetting(trial.NoiseKind, trial.Noise);
            if (M.Denoise(trial, own, output: true) is { } output) points.Add(($"DAE output ({own.Kind})", own.Level, output));
            if (M.Denoise(trial, own, output: false) is { } input) points.Add(($"noisy input ({own.Kind})", own.Level, input));
        }
        var daeKinds = dae.Select(t => t.NoiseKind).ToHashSet();
        foreach (var trial in _data.Of(ModelNames.Ae))
            foreach (var s in M.NoiseSettings(trial).Where(s => daeKinds.Contains(s.Kind)))
                points.Add(($"AE output ({s.Kind})", s.Level, M.Denoise(trial, s, output: true)!.Value));
        Chart("denoising_psnr", LineSeries.ByGroup(points), "noise level (std or fraction)", "PSNR (dB)",
            "DAE PSNR against noise level", "PSNR of the DAE's output and of its noisy input at the noise level it was trained on; the plain AE given the same corruption for reference.",
            latentAxis: false);

        var gains = new List<double>();
        var sentences = new List<string>();
        foreach (var s in settings)
        {
            var trained = TrainedAt(s);
            var output = Out(trained, s);
            var input = In(trained, s);
            if (output is null || input is null) continue;
            gains.Add(output.Mean - input.Mean);
            var aeOut = Out(_data.Of(ModelNames.Ae), s);
            sentences.Add($"the DAE trained on {s} raises PSNR from {Numbers.Format(input.Mean)} dB to {Numbers.Format(output.Mean)} dB " +
                          $"(gain {Numbers.Format(output.Mean - input.Mean)} dB)" +
                          (aeOut is null ? "" : $"; the plain AE reaches {Numbers.Format(aeOut.Mean)} dB on the same inputs, so the DAE is {Phrases.Difference(output.Mean, aeOut.Mean, " dB")}"));
        }
        if (sentences.Count == 0)
        {
            _missing.Add("Denoising: no DAE trial reports PSNR at its own training noise.");
            return;
        }
        _body.Paragraph(char.ToUpperInvariant(sentences[0][0]) + string.Join("; ", sentences)[1..] + ".");
        double meanGain = gains.Average();
        AddVerdict("autoencoders are used for denoising: the code keeps the important features and drops the noise.",
            $"the DAE's mean PSNR gain at its training noise is {Numbers.Format(meanGain)} dB over {gains.Count} noise setting(s)" +
            (meanGain > 0 ? "." : ": it does not remove noise on average."), agrees: meanGain > 0);
    }

    private void CodesAsFeatures()
    {
        _body.Heading(2, "Dimensionality reduction: the codes as features");
        if (!Require("Code-space probes", M.ProbeLinear, M.ProbeKnn)) return;
        var models = ModelNames.All.Where(_data.Has).ToList();
        _body.Paragraph("Test accuracy of a linear probe / 5-nearest-neighbour classifier of the labels from the codes:");
        _body.Table(["latent_dim", .. models.Select(ModelNames.Display)],
            LatentSizes(Trials).Select(k => (IReadOnlyList<string>)
                [k.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 .. models.Select(m => ProbeCell(_data.Of(m).Where(t => t.LatentDim == k).ToList()))]));
        Chart("probe_accuracy", AgainstLatent(Trials, t => ModelNames.Display(t.Model), M.ProbeLinear), "latent_dim (log scale)", "linear probe accuracy",
            "Linear probe accuracy against latent size", "Linear-probe test accuracy of the codes against latent_dim, per model kind.");
        var best = models.Select(m => (Model: m, Trials: _data.Of(m)))
                         .Select(x => (x.Model, Best: LatentSizes(x.Trials).Select(k => (k, Summary.Of(x.Trials.Where(t => t.LatentDim == k), M.ProbeLinear)))
                                                                          .Where(p => p.Item2 is not null).MaxBy(p => p.Item2!.Mean)))
                         .Where(x => x.Best.Item2 is not null).ToList();
        if (best.Count > 0)
            _body.Paragraph("Best linear probe per model: " +
                            string.Join("; ", best.Select(b => $"{ModelNames.Display(b.Model)} {Numbers.Format(b.Best.Item2!.Mean)} at latent_dim {b.Best.k}")) + ".");
    }

    private static string ProbeCell(IReadOnlyList<TrialView> trials)
    {
        var linear = Summary.Of(trials, M.ProbeLinear);
        var knn = Summary.Of(trials, M.ProbeKnn);
        return linear is null && knn is null ? "–" : $"{(linear is null ? "–" : Numbers.Format(linear.Mean))} / {(knn is null ? "–" : Numbers.Format(knn.Mean))}";
    }

    private void AddVerdict(string claim, string finding, bool agrees) => _verdicts.Add(new Verdict(claim, finding, agrees));
}
