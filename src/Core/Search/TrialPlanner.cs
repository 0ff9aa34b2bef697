using System.Globalization;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;

namespace SweepRunner.Core.Search;

/// <summary>
/// The search algorithm: turns a spec into its list of trials. Grid runs the cartesian product of the
/// <c>values</c> parameters (first parameter varying slowest), drawing <c>distribution</c> parameters once per grid
/// point; random draws <c>count</c> configurations. Each configuration runs <c>repeats</c> times with its own seed.
/// </summary>
public static class TrialPlanner
{
    /// <summary>The largest plan accepted; a bigger sweep is almost certainly a mistake in the spec.</summary>
    public const int MaxTrials = 100_000;

    /// <summary>Separates the seeds of the two uses below, so a sampling stream never equals a trial's seed.</summary>
    private const long SamplingPurpose = 1;
    private const long TrialPurpose = 2;

    /// <summary>How many trials the spec plans, computed without expanding it; <see cref="long.MaxValue"/> when it overflows.</summary>
    public static long Count(SweepSpec spec) => Count(spec.Method, spec.Count, spec.Parameters, spec.Repeats);

    /// <summary>The same count from the pieces it depends on, so the parser can check it before the whole spec is valid.</summary>
    internal static long Count(SearchMethod method, int? count, IReadOnlyList<ParameterSpec> parameters, int repeats) =>
        SaturatingMultiply(ConfigurationCount(method, count, parameters), repeats);

    /// <summary>Every trial of the sweep, configuration by configuration, repeats adjacent.</summary>
    /// <exception cref="ArgumentException">The plan has more than <see cref="MaxTrials"/> trials.</exception>
    public static IReadOnlyList<TrialSpec> Plan(SweepSpec spec)
    {
        var total = Count(spec);
        if (total > MaxTrials)
            throw new ArgumentException($"sweep '{spec.Name}' plans {total} trials, more than the limit of {MaxTrials}", nameof(spec));
        var idWidth = Math.Max(4, total.ToString(CultureInfo.InvariantCulture).Length);
        var configurations = (int)ConfigurationCount(spec.Method, spec.Count, spec.Parameters);
        var trials = new List<TrialSpec>((int)total);
        for (var configuration = 0; configuration < configurations; configuration++)
        {
            var values = ConfigurationValues(spec, configuration);
            for (var repeat = 0; repeat < spec.Repeats; repeat++)
            {
                var index = trials.Count;
                trials.Add(new TrialSpec
                {
                    TrialId = "t" + (index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(idWidth, '0'),
                    Index = index,
                    Repeat = repeat,
                    Config = BuildConfig(spec, values, SeedMixer.Derive(spec.Seed, TrialPurpose, configuration, repeat)),
                    Parameters = DisplayParameters(spec, values, repeat),
                });
            }
        }
        return trials;
    }

    private static long ConfigurationCount(SearchMethod method, int? count, IReadOnlyList<ParameterSpec> parameters) => method switch
    {
        SearchMethod.Random => count ?? throw new ArgumentException("method random needs a count", nameof(count)),
        _ => parameters.Where(p => p.Kind == ParameterKind.Choice)
                       .Aggregate(1L, (product, p) => SaturatingMultiply(product, p.Values.Count)),
    };

    /// <summary>The value of each spec parameter, in spec order, for one configuration.</summary>
    private static List<ParamValue> ConfigurationValues(SweepSpec spec, int configuration)
    {
        // One stream per configuration: a configuration's draws do not depend on how many others there are.
        var random = new SeededRandom(SeedMixer.Derive(spec.Seed, SamplingPurpose, configuration));
        var gridDigits = spec.Method == SearchMethod.Grid ? GridCoordinates(spec, configuration) : null;
        var values = new List<ParamValue>(spec.Parameters.Count);
        for (var i = 0; i < spec.Parameters.Count; i++)
        {
            var parameter = spec.Parameters[i];
            values.Add(parameter.Kind switch
            {
                ParameterKind.Fixed => parameter.Values[0],
                ParameterKind.Choice when gridDigits is not null => parameter.Values[gridDigits[i]],
                ParameterKind.Choice => parameter.Values[(int)random.NextBelow((ulong)parameter.Values.Count)],
                _ => Draw(parameter, random),
            });
        }
        return values;
    }

    /// <summary>The index into each Choice parameter's values for a grid point (mixed radix, last parameter fastest).</summary>
    private static int[] GridCoordinates(SweepSpec spec, int configuration)
    {
        var digits = new int[spec.Parameters.Count];
        var rest = configuration;
        for (var i = spec.Parameters.Count - 1; i >= 0; i--)
        {
            if (spec.Parameters[i].Kind != ParameterKind.Choice) continue;
            var radix = spec.Parameters[i].Values.Count;
            digits[i] = rest % radix;
            rest /= radix;
        }
        return digits;
    }

    private static ParamValue Draw(ParameterSpec parameter, SeededRandom random)
    {
        var (min, max) = (parameter.Min, parameter.Max);
        var value = parameter.Distribution switch
        {
            DistributionKind.Uniform => min + random.NextDouble() * (max - min),
            // Rounding in exp/log can land a hair outside the bounds; clamp so the bounds hold exactly.
            DistributionKind.LogUniform => Math.Clamp(Math.Exp(Math.Log(min) + random.NextDouble() * (Math.Log(max) - Math.Log(min))), min, max),
            DistributionKind.IntUniform => min + random.NextBelow((ulong)(max - min) + 1),
            _ => throw new ArgumentException($"parameter '{parameter.Name}' has no distribution", nameof(parameter)),
        };
        return ParamValue.Of(value);
    }

    private static TrialConfig BuildConfig(SweepSpec spec, List<ParamValue> values, long seed)
    {
        var config = new TrialConfig
        {
            Dataset = spec.Dataset,
            DataSeed = spec.Seed,
            Seed = seed,
            Threads = spec.Resources.ThreadsPerTrial,
            Evaluation = spec.Evaluation,
        };
        for (var i = 0; i < spec.Parameters.Count; i++)
            config = ParameterCatalog.Get(spec.Parameters[i].Name).Apply(config, values[i]);
        return config;
    }

    private static Dictionary<string, string> DisplayParameters(SweepSpec spec, List<ParamValue> values, int repeat)
    {
        var shown = new Dictionary<string, string>();
        for (var i = 0; i < spec.Parameters.Count; i++) shown[spec.Parameters[i].Name] = values[i].ToString();
        if (spec.Repeats > 1) shown["repeat"] = repeat.ToString(CultureInfo.InvariantCulture);
        return shown;
    }

    private static long SaturatingMultiply(long a, long b) =>
        a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;
}
