using System.Globalization;
using System.Text.RegularExpressions;
using SweepRunner.Analysis.Figures;
using SweepRunner.Core.Trials;
using SweepRunner.Reporting;
using Xunit;

namespace SweepRunner.Tests.Reporting;

/// <summary>The report of synthetic run folders: every section, sentences that carry the data's numbers, gaps named.</summary>
public sealed class SeedReportTests
{
    private static string Percent(double value, double reference) =>
        (Math.Abs(value - reference) / reference * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static double MeanOverRepeats(Func<int, double> metric) => (metric(0) + metric(1)) / 2;

    [Fact]
    public void A_full_sweep_answers_all_five_questions_with_tables_and_rendered_figures()
    {
        using var run = new SyntheticRun(SyntheticRun.Spec, SyntheticRun.FullSweep());

        var files = SweepReportWriter.Write(run.Folder);

        var markdown = run.Read("report.md");
        var html = run.Read("report.html");
        foreach (var heading in new[]
                 {
                     "1. What can autoencoders do", "2. Can a (traditional) autoencoder generate", "3. What is the architecture",
                     "4. How well does a VAE generate", "5. Can VAEs be used to generate images", "The ranking metric against each swept parameter",
                     "The seed's claims against the numbers", "What is missing",
                 })
        {
            Assert.Contains(heading, markdown);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(heading), html);
        }
        Assert.Equal(
            ["figures/denoising_psnr.png", "figures/generation_fid.png", "figures/probe_accuracy.png", "figures/ranking_by_parameter.png",
             "figures/reconstruction_test_mse.png", "figures/reconstruction_test_recon.png"],
            files.Figures.Order(StringComparer.Ordinal));
        foreach (var figure in files.Figures)
        {
            var bytes = File.ReadAllBytes(Path.Combine(run.Folder, figure));
            Assert.True(bytes.Length > 2000, $"{figure} is only {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
            Assert.Contains($"]({figure})", markdown);
            Assert.Contains($"<img src=\"{figure}\"", html);
        }
        // Every table row of the reconstruction table has a cell per variant: AE, DAE, two VAE betas, PCA.
        Assert.Contains("| latent_dim | AE | DAE gaussian 0.3 | VAE β=0.5 | VAE β=1 | PCA |", markdown);
        Assert.Contains("| generator | latent_dim | Fréchet distance | × floor |", markdown);
    }

    [Fact]
    public void Sentences_carry_the_numbers_and_comparisons_of_the_data()
    {
        using var run = new SyntheticRun(SyntheticRun.Spec, SyntheticRun.FullSweep());

        SweepReportWriter.Write(run.Folder);
        var markdown = run.Read("report.md");

        double ae = MeanOverRepeats(r => SyntheticRun.Mse(ModelKind.Ae, 8, r));
        double pca = MeanOverRepeats(r => SyntheticRun.Mse(ModelKind.Pca, 8, r));
        Assert.Contains($"at latent_dim 8 the AE's test MSE is {Numbers.Format(ae)} against PCA's {Numbers.Format(pca)}, lower by {Percent(ae, pca)}", markdown);
        double ae32 = MeanOverRepeats(r => SyntheticRun.Mse(ModelKind.Ae, 32, r));
        double pca32 = MeanOverRepeats(r => SyntheticRun.Mse(ModelKind.Pca, 32, r));
        Assert.Contains($"at latent_dim 32 the AE's test MSE is {Numbers.Format(ae32)} against PCA's {Numbers.Format(pca32)}, higher by {Percent(ae32, pca32)}", markdown);
        // PCA wins at 32 in the data, so the seed's AE-beats-PCA claim is reported as contradicted there.
        Assert.Matches(@"\*\*Contradicts\*\* — seed: an autoencoder, unlike PCA.*PCA reconstructs as well or better than the AE at latent size 32", markdown);

        double noisy = SyntheticRun.NoisyPsnr(0.3), denoised = SyntheticRun.DenoisedPsnr(ModelKind.Dae, 0.3, 0.3);
        double aeDenoised = SyntheticRun.DenoisedPsnr(ModelKind.Ae, 0.3, 0.3);
        Assert.Contains($"The DAE trained on gaussian 0.3 raises PSNR from {Numbers.Format(noisy)} dB to {Numbers.Format(denoised)} dB " +
                        $"(gain {Numbers.Format(denoised - noisy)} dB); the plain AE reaches {Numbers.Format(aeDenoised)} dB on the same inputs, " +
                        $"so the DAE is higher by {Numbers.Format(denoised - aeDenoised)} dB", markdown);

        double vaePrior = MeanOverRepeats(r => SyntheticRun.PriorFid(ModelKind.Vae, 2, r));
        double aeGmm = MeanOverRepeats(r => SyntheticRun.GmmFid(ModelKind.Ae, 2, r));
        Assert.Contains($"the AE with a fitted GMM reaches {Numbers.Format(aeGmm)}, lower by {Percent(aeGmm, vaePrior)} than the VAE with its prior", markdown);
        Assert.Contains("so the VAE's advantage over the AE lies in the sampler, not the model", markdown);
        Assert.Contains($"({Numbers.Format(vaePrior / 2.5)}× the real floor 2.5)", markdown);
        Assert.Contains("every model decodes 500 codes drawn from the N(0, I) prior", markdown);
        double ae8 = MeanOverRepeats(r => SyntheticRun.PriorFid(ModelKind.Ae, 8, r));
        double vae8 = MeanOverRepeats(r => SyntheticRun.PriorFid(ModelKind.Vae, 8, r));
        Assert.Contains($"at latent_dim 8 the AE's Fréchet distance is {Numbers.Format(ae8)} against the VAE's {Numbers.Format(vae8)} (higher by {Percent(ae8, vae8)})", markdown);
    }

    [Fact]
    public void Missing_model_kinds_metrics_and_figures_are_stated_not_faked()
    {
        var trials = SyntheticRun.FullSweep([ModelKind.Ae, ModelKind.Dae])
            .Where(t => t.LatentDim != 2)
            .Select(t => t with { Metrics = t.Metrics.Where(m => !m.Key.StartsWith("gen_", StringComparison.Ordinal)).ToDictionary() })
            .ToList();
        using var run = new SyntheticRun(SyntheticRun.Spec, trials);

        var files = SweepReportWriter.Write(run.Folder);
        var markdown = run.Read("report.md");

        Assert.Contains("No completed VAE trial in this sweep", markdown);
        Assert.Contains("No completed PCA trial in this sweep", markdown);
        Assert.Contains("the claim that an AE beats PCA is untested", markdown);
        Assert.Contains("This sweep has no VAE, so its architecture", markdown);
        Assert.Contains("`gen_prior_fid`, `gen_gmm_fid` absent from results.jsonl", markdown);
        Assert.Contains("No AE trial at latent_dim 2", markdown);
        Assert.Contains("Per-trial figures learning_curves, reconstructions, samples_prior, samples_gmm of", markdown);
        Assert.DoesNotContain("figures/generation_fid.png", files.Figures);
        Assert.False(File.Exists(Path.Combine(run.Folder, "figures", "generation_fid.png")));
        Assert.DoesNotContain("VAE β", markdown);
    }

    [Fact]
    public void The_best_trials_and_the_latent_2_code_spaces_are_embedded_from_the_trial_folders()
    {
        var trials = SyntheticRun.FullSweep();
        using var run = new SyntheticRun(SyntheticRun.Spec, trials, writeFigure: (_, _) => true);

        SweepReportWriter.Write(run.Folder);
        var markdown = run.Read("report.md");

        // Lowest val_loss among AE trials at latent 2 is repeat 0 (its MSE adds 0.001 per repeat).
        int aeLatent2 = trials.FindIndex(t => t.Model == ModelKind.Ae && t.LatentDim == 2 && t.Repeat == 0);
        int vaeLatent2 = trials.FindIndex(t => t.Model == ModelKind.Vae && t.LatentDim == 2 && t.Repeat == 0);
        foreach (var index in new[] { aeLatent2, vaeLatent2 })
        {
            Assert.Contains($"](trials/{SyntheticRun.Id(index)}/codes.png)", markdown);
            Assert.Contains($"](trials/{SyntheticRun.Id(index)}/manifold.png)", markdown);
        }
        int bestPca = trials.FindIndex(t => t.Model == ModelKind.Pca && t.LatentDim == 32 && t.Repeat == 0);
        Assert.Contains($"### PCA: {SyntheticRun.Id(bestPca)}", markdown);
        Assert.Contains($"](trials/{SyntheticRun.Id(bestPca)}/reconstructions.png)", markdown);
        Assert.DoesNotContain("Per-trial figures", markdown);
        var referenced = Regex.Matches(markdown, @"\]\(([^)]+\.png)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.All(referenced, path => Assert.True(File.Exists(Path.Combine(run.Folder, path)), $"{path} is referenced but absent"));
    }

    [Fact]
    public void Repeats_give_each_point_a_sample_standard_deviation()
    {
        var series = LineSeries.ByGroup([("ae", 2, 1.0), ("ae", 2, 3.0), ("ae", 8, 5.0), ("pca", 2, 4.0)]);

        var ae = series.Single(s => s.Name == "ae");
        Assert.Equal([Math.Sqrt(2), 0.0], ae.Spread!);
        Assert.Null(series.Single(s => s.Name == "pca").Spread);
    }

    [Fact]
    public void A_logarithmic_latent_axis_refuses_non_positive_x()
    {
        var path = Path.Combine(Path.GetTempPath(), $"log-axis-{Guid.NewGuid():N}.png");

        var error = Assert.Throws<ArgumentException>(() =>
            ChartFigures.SaveLineChart(path, [new LineSeries("ae", [0.0, 2.0], [1.0, 2.0])], "latent_dim", "mse", "t", logTwoX: true));

        Assert.Contains("positive", error.Message);
        Assert.False(File.Exists(path));
    }
}
