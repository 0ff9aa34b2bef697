using System.Globalization;
using System.Text.Json;
using SweepRunner.Core.Results;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;

namespace SweepRunner.Reporting;

/// <summary>
/// A completed trial as the report sees it: the parameters that matter for its model, and its final metrics.
/// </summary>
public sealed record TrialView(
    string TrialId,
    string Model,
    int LatentDim,
    string NoiseKind,
    double Noise,
    double KlWeight,
    int Repeat,
    IReadOnlyList<int> Hidden,
    long ParameterCount,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, double> Metrics,
    string OtherSwept)
{
    /// <summary>The metric's value when present and finite.</summary>
    public double? Metric(string name) => Metrics.TryGetValue(name, out var value) && double.IsFinite(value) ? value : null;

    /// <summary>
    /// The configuration without its latent size and without parameters the model ignores (noise for all but the DAE,
    /// beta for all but the VAE): trials sharing it at one latent size are repeats of one model. Other swept
    /// parameters (a learning rate, say) are part of it.
    /// </summary>
    public string Variant => (Model switch
    {
        ModelNames.Dae => $"DAE {NoiseKind} {Numbers.Format(Noise)}",
        ModelNames.Vae => $"VAE β={Numbers.Format(KlWeight)}",
        _ => ModelNames.Display(Model),
    } + " " + OtherSwept).TrimEnd();
}

/// <summary>The model kinds as results.jsonl writes them, in the order the report shows them.</summary>
public static class ModelNames
{
    public const string Ae = "ae";
    public const string Dae = "dae";
    public const string Vae = "vae";
    public const string Pca = "pca";

    public static readonly IReadOnlyList<string> All = [Ae, Dae, Vae, Pca];

    public static string Display(string model) => model.ToUpperInvariant();
}

/// <summary>What a run folder holds for the report: the spec, every result line, and the completed trials.</summary>
public sealed class SweepData
{
    public const string TrialsFolder = "trials";

    private SweepData(string folder, SweepSpec spec, IReadOnlyList<TrialResultLine> lines)
    {
        Folder = folder;
        Spec = spec;
        Lines = lines;
        var otherSwept = spec.SweptParameterNames().Where(p => !ModelSpecificParameters.Contains(p)).ToList();
        Completed = lines.Where(l => l.Status == TrialStatus.Completed).Select(l => ToView(l, otherSwept)).ToList();
    }

    public string Folder { get; }
    public SweepSpec Spec { get; }
    public IReadOnlyList<TrialResultLine> Lines { get; }
    public IReadOnlyList<TrialView> Completed { get; }

    /// <exception cref="FileNotFoundException">The folder has no spec.yaml or no results.jsonl.</exception>
    public static SweepData Load(string folder)
    {
        folder = Path.GetFullPath(folder);
        var specFile = Path.Combine(folder, "spec.yaml");
        var resultsFile = Path.Combine(folder, ResultsFile.FileName);
        if (!File.Exists(specFile)) throw new FileNotFoundException($"{specFile}: no spec in this run folder", specFile);
        if (!File.Exists(resultsFile)) throw new FileNotFoundException($"{resultsFile}: no results yet (no trial has finished)", resultsFile);
        return new SweepData(folder, SpecParser.Load(specFile).Spec, ResultsFile.Read(resultsFile));
    }

    public IReadOnlyList<TrialView> Of(string model) => Completed.Where(t => t.Model == model).ToList();

    public bool Has(string model) => Completed.Any(t => t.Model == model);

    /// <summary>True when at least one completed trial measured the metric.</summary>
    public bool Measured(string metric) => Completed.Any(t => t.Metric(metric) is not null);

    /// <summary>The path of a per-trial figure relative to the run folder, or null when the trial did not write it.</summary>
    public string? TrialFigure(string trialId, string name)
    {
        var relative = $"{TrialsFolder}/{trialId}/{name}.png";
        return File.Exists(Path.Combine(Folder, relative)) ? relative : null;
    }

    /// <summary>Parameters the report reads itself; repeats are what it averages over.</summary>
    private static readonly HashSet<string> ModelSpecificParameters = ["model", "latent_dim", "noise", "noise_kind", "kl_weight", "repeat"];

    private static TrialView ToView(TrialResultLine line, IReadOnlyList<string> otherSwept) => new(
        line.TrialId,
        line.Config.Model.ToString().ToLowerInvariant(),
        line.Config.LatentDim,
        // Spelled as in results.jsonl and in the denoising metric names (salt_pepper).
        JsonNamingPolicy.SnakeCaseLower.ConvertName(line.Config.NoiseKind.ToString()),
        line.Config.Noise,
        line.Config.KlWeight,
        line.Repeat,
        line.Config.Hidden,
        line.ParameterCount,
        line.Parameters,
        line.Metrics,
        string.Join(" ", otherSwept.Select(p => $"{p}={line.Parameters.GetValueOrDefault(p, "")}")));
}

/// <summary>Numbers as the report prints them: invariant culture, four significant digits.</summary>
public static class Numbers
{
    public static string Format(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    public static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
