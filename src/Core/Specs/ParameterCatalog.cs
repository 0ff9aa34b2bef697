using System.Globalization;
using SweepRunner.Core.Trials;

namespace SweepRunner.Core.Specs;

/// <summary>The kind of value a parameter takes in a spec.</summary>
public enum ParameterType
{
    /// <summary>A word from a fixed set, e.g. a model kind.</summary>
    Word,
    Int,
    Real,
    /// <summary>A non-empty list of integers, e.g. layer widths.</summary>
    IntList,
}

/// <summary>
/// One known parameter: its value type, the constraint its values must meet and how a value lands in a
/// <see cref="TrialConfig"/>. The parser, the validation and the planner all read it from here.
/// </summary>
public sealed class ParameterDefinition
{
    private readonly Func<ParamValue, bool> _allows;
    private readonly Func<TrialConfig, ParamValue, TrialConfig> _apply;

    private ParameterDefinition(string name, ParameterType type, string constraint,
                                Func<ParamValue, bool> allows, Func<TrialConfig, ParamValue, TrialConfig> apply)
    {
        Name = name;
        Type = type;
        Constraint = constraint;
        _allows = allows;
        _apply = apply;
    }

    public string Name { get; }
    public ParameterType Type { get; }
    /// <summary>What a valid value is, in words (used in error messages and the docs), e.g. "an integer ≥ 1".</summary>
    public string Constraint { get; }
    /// <summary>Only numeric parameters can be drawn from a distribution.</summary>
    public bool IsNumeric => Type is ParameterType.Int or ParameterType.Real;

    /// <summary>Null when <paramref name="value"/> meets the constraint, otherwise why not.</summary>
    public string? Problem(ParamValue value) =>
        _allows(value) ? null : $"{Name} must be {Constraint}, got {value}";

    public TrialConfig Apply(TrialConfig config, ParamValue value) => _apply(config, value);

    internal static ParameterDefinition Word<TChoice>(string name, IReadOnlyDictionary<string, TChoice> choices,
                                                      Func<TrialConfig, TChoice, TrialConfig> apply) =>
        new(name, ParameterType.Word, "one of " + string.Join(", ", choices.Keys),
            v => v.Text is not null && choices.ContainsKey(v.Text),
            (c, v) => apply(c, choices[v.Text!]));

    internal static ParameterDefinition Int(string name, int minimum, Func<TrialConfig, int, TrialConfig> apply) =>
        new(name, ParameterType.Int, $"an integer ≥ {minimum}",
            v => v.Number is { } n && n >= minimum && n <= int.MaxValue && n == Math.Floor(n),
            (c, v) => apply(c, (int)v.Number!.Value));

    /// <summary>A real parameter bounded below, inclusively or not (a learning rate of 0 trains nothing).</summary>
    internal static ParameterDefinition Real(string name, double bound, bool boundAllowed,
                                             Func<TrialConfig, double, TrialConfig> apply) =>
        new(name, ParameterType.Real,
            $"a number {(boundAllowed ? "≥" : ">")} {bound.ToString(CultureInfo.InvariantCulture)}",
            v => v.Number is { } n && double.IsFinite(n) && (boundAllowed ? n >= bound : n > bound),
            (c, v) => apply(c, v.Number!.Value));

    internal static ParameterDefinition IntList(string name, int minimum, Func<TrialConfig, int[], TrialConfig> apply) =>
        new(name, ParameterType.IntList, $"a non-empty list of integers ≥ {minimum}",
            v => v.List is { Length: > 0 } list && list.All(width => width >= minimum),
            (c, v) => apply(c, v.List!));
}

/// <summary>The parameters a spec may sweep. Parameters a spec leaves out keep <see cref="TrialConfig"/>'s defaults.</summary>
public static class ParameterCatalog
{
    /// <summary>Spec spelling of each model kind.</summary>
    public static readonly IReadOnlyDictionary<string, ModelKind> Models = new Dictionary<string, ModelKind>
    {
        ["ae"] = ModelKind.Ae,
        ["dae"] = ModelKind.Dae,
        ["vae"] = ModelKind.Vae,
        ["pca"] = ModelKind.Pca,
        ["sleep"] = ModelKind.Sleep,
    };

    /// <summary>Spec spelling of each DAE noise kind.</summary>
    public static readonly IReadOnlyDictionary<string, NoiseKind> NoiseKinds = new Dictionary<string, NoiseKind>
    {
        ["gaussian"] = NoiseKind.Gaussian,
        ["masking"] = NoiseKind.Masking,
        ["salt_pepper"] = NoiseKind.SaltPepper,
    };

    /// <summary>The spec spelling of <paramref name="kind"/>, e.g. <c>salt_pepper</c>.</summary>
    public static string NoiseKindName(NoiseKind kind) => NoiseKinds.First(pair => pair.Value == kind).Key;

    public static readonly IReadOnlyList<ParameterDefinition> All =
    [
        ParameterDefinition.Word("model", Models, (c, model) => c with { Model = model }),
        ParameterDefinition.Int("latent_dim", 1, (c, n) => c with { LatentDim = n }),
        ParameterDefinition.IntList("hidden", 1, (c, widths) => c with { Hidden = [.. widths] }), // a copy: trials must not share a mutable array
        ParameterDefinition.Real("kl_weight", 0, boundAllowed: true, (c, x) => c with { KlWeight = x }),
        ParameterDefinition.Real("noise", 0, boundAllowed: true, (c, x) => c with { Noise = x }),
        ParameterDefinition.Word("noise_kind", NoiseKinds, (c, kind) => c with { NoiseKind = kind }),
        ParameterDefinition.Real("learning_rate", 0, boundAllowed: false, (c, x) => c with { LearningRate = x }),
        ParameterDefinition.Int("batch_size", 1, (c, n) => c with { BatchSize = n }),
        ParameterDefinition.Int("epochs", 1, (c, n) => c with { Epochs = n }),
        ParameterDefinition.Real("sleep_seconds", 0, boundAllowed: true, (c, x) => c with { SleepSeconds = x }),
    ];

    private static readonly Dictionary<string, ParameterDefinition> ByName = All.ToDictionary(p => p.Name);

    public static IEnumerable<string> Names => All.Select(p => p.Name);

    public static ParameterDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The definition of a parameter already known to be valid (e.g. from a parsed spec).</summary>
    public static ParameterDefinition Get(string name) =>
        Find(name) ?? throw new ArgumentException($"unknown parameter '{name}'", nameof(name));
}
