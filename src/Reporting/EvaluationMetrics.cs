namespace SweepRunner.Reporting;

/// <summary>
/// The names under which a trial's end-of-training evaluation is stored in results.jsonl (all on the test split).
/// The trial side writes them; the report only reads them, and says so when one is absent.
/// </summary>
public static class EvaluationMetrics
{
    public const string TestMse = "test_mse";
    public const string TestRecon = "test_recon";
    public const string TestKl = "test_kl";
    public const string TestElbo = "test_elbo";
    public const string TestPsnr = "test_psnr";
    public const string ProbeLinear = "probe_linear_acc";
    public const string ProbeKnn = "probe_knn_acc";
    public const string PriorFid = "gen_prior_fid";
    public const string PriorConfidence = "gen_prior_confidence";
    public const string PriorCoverage = "gen_prior_coverage";
    public const string PriorEntropy = "gen_prior_entropy";
    public const string GmmFid = "gen_gmm_fid";
    public const string GmmConfidence = "gen_gmm_confidence";
    public const string GmmCoverage = "gen_gmm_coverage";
    public const string GmmEntropy = "gen_gmm_entropy";
    public const string FidFloor = "fid_floor";
    public const string ClassifierAccuracy = "classifier_acc";
    public const string Completeness = "completeness";
    public const string Continuity = "continuity";

    private const string DenoiseInPrefix = "denoise_psnr_in@";
    private const string DenoiseOutPrefix = "denoise_psnr_out@";

    public static string DenoiseIn(NoiseSetting noise) => DenoiseInPrefix + noise.Key;
    public static string DenoiseOut(NoiseSetting noise) => DenoiseOutPrefix + noise.Key;

    /// <summary>Every noise setting a trial was denoise-tested at, read from its metric names.</summary>
    public static IEnumerable<NoiseSetting> NoiseSettings(TrialView trial) =>
        trial.Metrics.Keys.Where(k => k.StartsWith(DenoiseOutPrefix, StringComparison.Ordinal))
             .Select(k => NoiseSetting.Parse(k[DenoiseOutPrefix.Length..]))
             .OfType<NoiseSetting>();

    /// <summary>The trial's value at a noise setting, matching the level numerically (0.3 and 0.30 are one level).</summary>
    public static double? Denoise(TrialView trial, NoiseSetting noise, bool output)
    {
        var prefix = output ? DenoiseOutPrefix : DenoiseInPrefix;
        foreach (var (key, value) in trial.Metrics)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || !double.IsFinite(value)) continue;
            if (NoiseSetting.Parse(key[prefix.Length..]) is { } setting && setting.SameAs(noise)) return value;
        }
        return null;
    }
}

/// <summary>A corruption: its kind (gaussian, masking, salt_pepper) and level (std or fraction), written <c>kind:level</c>.</summary>
public sealed record NoiseSetting(string Kind, double Level)
{
    private const double LevelTolerance = 1e-9;

    public string Key => $"{Kind}:{Numbers.Format(Level)}";

    public override string ToString() => $"{Kind} {Numbers.Format(Level)}";

    public bool SameAs(NoiseSetting other) => Kind == other.Kind && Math.Abs(Level - other.Level) < LevelTolerance;

    public static NoiseSetting? Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && Numbers.TryParse(text[(colon + 1)..], out var level) ? new NoiseSetting(text[..colon], level) : null;
    }
}
