using System.Globalization;
using SweepRunner.Core.Results;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;

namespace SweepRunner.Tests.Reporting;

/// <summary>One synthetic trial: its configuration and the metrics it "measured".</summary>
public sealed record SyntheticTrial(ModelKind Model, int LatentDim, int Repeat, Dictionary<string, double> Metrics,
    double Noise = 0.3, double KlWeight = 1.0, TrialStatus Status = TrialStatus.Completed);

/// <summary>
/// A run folder made by hand: spec.yaml, results.jsonl written through <see cref="ResultsFile"/> as a sweep writes it,
/// and optionally per-trial figure files. Metrics follow simple formulas so tests can compute the expected means.
/// </summary>
public sealed class SyntheticRun : IDisposable
{
    public SyntheticRun(string spec, IReadOnlyList<SyntheticTrial> trials, Func<string, int, bool>? writeFigure = null)
    {
        Folder = Directory.CreateTempSubdirectory("sweeprunner-report-").FullName;
        File.WriteAllText(Path.Combine(Folder, "spec.yaml"), spec);
        var dataset = new DatasetSpec { Name = "fashion-mnist", TrainLimit = 1000, TestLimit = 500 };
        var lines = trials.Select((t, i) => new TrialResultLine
        {
            TrialId = Id(i),
            Index = i,
            Repeat = t.Repeat,
            Status = t.Status,
            Parameters = new Dictionary<string, string>
            {
                ["model"] = t.Model.ToString().ToLowerInvariant(),
                ["latent_dim"] = t.LatentDim.ToString(CultureInfo.InvariantCulture),
                ["noise"] = t.Noise.ToString(CultureInfo.InvariantCulture),
                ["kl_weight"] = t.KlWeight.ToString(CultureInfo.InvariantCulture),
                ["repeat"] = t.Repeat.ToString(CultureInfo.InvariantCulture),
            },
            Metrics = t.Metrics,
            ParameterCount = 1000 * t.LatentDim + (t.Model == ModelKind.Vae ? 121 * t.LatentDim : 0),
            Config = new TrialConfig { Model = t.Model, LatentDim = t.LatentDim, Noise = t.Noise, KlWeight = t.KlWeight, Dataset = dataset },
        }).ToList();
        ResultsFile.Append(Path.Combine(Folder, ResultsFile.FileName), lines);
        if (writeFigure is null) return;
        for (int i = 0; i < trials.Count; i++)
            foreach (var name in new[] { "learning_curves", "reconstructions", "samples_prior", "samples_gmm", "codes", "manifold" })
            {
                if (!writeFigure(name, i)) continue;
                var path = Path.Combine(Folder, "trials", Id(i), name + ".png");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47]);
            }
    }

    public string Folder { get; }

    public static string Id(int index) => "t" + (index + 1).ToString("D4", CultureInfo.InvariantCulture);

    public string Read(string file) => File.ReadAllText(Path.Combine(Folder, file));

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    public const string Spec = """
        name: synthetic
        dataset: {name: fashion-mnist, train_limit: 1000, test_limit: 500, validation: 0.1}
        method: grid
        seed: 1
        repeats: 2
        metric: {name: val_loss, goal: minimize}
        parameters:
          model: {values: [ae, dae, vae, pca]}
          latent_dim: {values: [2, 8, 32]}
          kl_weight: {values: [0.5, 1.0]}
          epochs: {value: 1}
        evaluation: {samples: 500}
        """;

    /// <summary>Test MSE by model, latent size and repeat: PCA wins at 32, the AE below that.</summary>
    public static double Mse(ModelKind model, int latent, int repeat) => model switch
    {
        ModelKind.Pca => 0.08 / Math.Sqrt(latent) - (latent == 32 ? 0.01 : 0),
        ModelKind.Ae => 0.05 / Math.Sqrt(latent),
        ModelKind.Dae => 0.055 / Math.Sqrt(latent),
        _ => 0.06 / Math.Sqrt(latent),
    } + 0.001 * repeat;

    public static double PriorFid(ModelKind model, int latent, int repeat) =>
        (model == ModelKind.Vae ? 20 : 80) + latent + repeat;

    public static double GmmFid(ModelKind model, int latent, int repeat) =>
        (model == ModelKind.Vae ? 18 : 15) + latent + repeat;

    /// <summary>Every metric of the evaluation contract, from the formulas above.</summary>
    public static Dictionary<string, double> FullMetrics(ModelKind model, int latent, int repeat, double noise)
    {
        var mse = Mse(model, latent, repeat);
        var metrics = new Dictionary<string, double>
        {
            ["val_loss"] = 1000 * mse + (model == ModelKind.Vae ? 5 : 0),
            ["test_loss"] = 1000 * mse,
            ["test_mse"] = mse,
            ["test_recon"] = 3000 * mse,
            ["test_psnr"] = -10 * Math.Log10(mse),
            ["probe_linear_acc"] = 0.6 + 0.005 * latent,
            ["probe_knn_acc"] = 0.65 + 0.005 * latent,
            ["gen_prior_fid"] = PriorFid(model, latent, repeat),
            ["gen_gmm_fid"] = GmmFid(model, latent, repeat),
            ["gen_prior_confidence"] = model == ModelKind.Vae ? 0.8 : 0.5,
            ["gen_gmm_confidence"] = 0.85,
            ["gen_prior_coverage"] = model == ModelKind.Vae ? 1.0 : 0.6,
            ["gen_gmm_coverage"] = 1.0,
            ["gen_prior_entropy"] = 3.1,
            ["gen_gmm_entropy"] = 3.2,
            ["fid_floor"] = 2.5,
            ["classifier_acc"] = 0.9,
            ["completeness"] = model == ModelKind.Vae ? 0.7 : 0.3,
            ["continuity"] = model == ModelKind.Vae ? 1.2 : 1.8,
        };
        if (model == ModelKind.Vae)
        {
            metrics["test_kl"] = 10 + latent;
            metrics["test_elbo"] = -(3000 * mse + 10 + latent);
        }
        foreach (var (kind, level) in new[] { ("gaussian", 0.1), ("gaussian", 0.3), ("gaussian", 0.5), ("masking", 0.25), ("salt_pepper", 0.1) })
        {
            metrics[$"denoise_psnr_in@{kind}:{level.ToString(CultureInfo.InvariantCulture)}"] = NoisyPsnr(level);
            metrics[$"denoise_psnr_out@{kind}:{level.ToString(CultureInfo.InvariantCulture)}"] = DenoisedPsnr(model, level, noise);
        }
        return metrics;
    }

    public static double NoisyPsnr(double level) => 20 - 20 * level;

    /// <summary>The DAE is best near the noise it was trained on; the others degrade with the level.</summary>
    public static double DenoisedPsnr(ModelKind model, double level, double trainedNoise) =>
        model == ModelKind.Dae && Math.Abs(level - trainedNoise) < 1e-9 ? 19 : 17 - 5 * level;

    /// <summary>AE, DAE, VAE (two betas) and PCA at latent 2, 8 and 32, two repeats each, every metric present.</summary>
    public static List<SyntheticTrial> FullSweep(IEnumerable<ModelKind>? models = null)
    {
        var trials = new List<SyntheticTrial>();
        foreach (var model in models ?? [ModelKind.Ae, ModelKind.Dae, ModelKind.Vae, ModelKind.Pca])
            foreach (var latent in new[] { 2, 8, 32 })
                foreach (var beta in model == ModelKind.Vae ? new[] { 0.5, 1.0 } : [1.0])
                    for (int repeat = 0; repeat < 2; repeat++)
                        trials.Add(new SyntheticTrial(model, latent, repeat, FullMetrics(model, latent, repeat, 0.3), KlWeight: beta));
        return trials;
    }
}
