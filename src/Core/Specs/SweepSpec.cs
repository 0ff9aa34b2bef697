namespace SweepRunner.Core.Specs;

/// <summary>A parsed and validated sweep spec: what to train, on what data, and how to search.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepSpec
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required DatasetSpec Dataset { get; init; }
    [Id(2)] public SearchMethod Method { get; init; } = SearchMethod.Grid;
    /// <summary>Number of sampled configurations; required for <see cref="SearchMethod.Random"/>.</summary>
    [Id(3)] public int? Count { get; init; }
    [Id(4)] public long Seed { get; init; }
    [Id(5)] public required MetricSpec Metric { get; init; }
    [Id(6)] public required IReadOnlyList<ParameterSpec> Parameters { get; init; }
    /// <summary>Each configuration is trained this many times, with different seeds.</summary>
    [Id(7)] public int Repeats { get; init; } = 1;
    [Id(8)] public ResourceSpec Resources { get; init; } = new();
    /// <summary>Attempts a trial gets before it is reported failed.</summary>
    [Id(9)] public int MaxFailures { get; init; } = 2;
    /// <summary>The end-of-trial evaluation of completed trials (<c>evaluation:</c>).</summary>
    [Id(10)] public EvaluationSpec Evaluation { get; init; } = new();
}

/// <summary>
/// What a completed trial is measured on at its end (test split) and what figures it keeps; the keys set the cost.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EvaluationSpec
{
    /// <summary>Images generated per sampler (prior, GMM) for the Fréchet distance, confidence, coverage and completeness.</summary>
    [Id(0)] public int Samples { get; init; } = 10_000;
    /// <summary>Linear-probe and kNN accuracy of the labels from the codes.</summary>
    [Id(1)] public bool Probes { get; init; } = true;
    /// <summary>Generation quality (needs the evaluation classifier), completeness and continuity.</summary>
    [Id(2)] public bool Generation { get; init; } = true;
    /// <summary>Per-trial PNG figures kept with the trial.</summary>
    [Id(3)] public bool Figures { get; init; } = true;
}

[GenerateSerializer, Immutable]
public sealed record DatasetSpec
{
    /// <summary><c>fashion-mnist</c>, <c>mnist</c> or <c>idx</c>.</summary>
    [Id(0)] public required string Name { get; init; }
    /// <summary>Folder holding the four IDX files (<c>.gz</c> or raw); defaults per data set.</summary>
    [Id(1)] public string? Path { get; init; }
    [Id(2)] public int? TrainLimit { get; init; }
    [Id(3)] public int? TestLimit { get; init; }
    /// <summary>Share of the training set held out (seeded) for validation; ranking uses it.</summary>
    [Id(4)] public double Validation { get; init; } = 0.1;
    /// <summary>Allow downloading MNIST into <see cref="Path"/> when the files are missing.</summary>
    [Id(5)] public bool Download { get; init; }
}

public enum SearchMethod { Grid, Random }

public enum Goal { Minimize, Maximize }

[GenerateSerializer, Immutable]
public sealed record MetricSpec([property: Id(0)] string Name, [property: Id(1)] Goal Goal);

[GenerateSerializer, Immutable]
public sealed record ResourceSpec
{
    [Id(0)] public int MaxConcurrentTrials { get; init; } = 2;
    [Id(1)] public int ThreadsPerTrial { get; init; } = 1;
}

public enum ParameterKind { Fixed, Choice, Distribution }

public enum DistributionKind { Uniform, LogUniform, IntUniform }

/// <summary>One entry of <c>parameters:</c>: a fixed <c>value</c>, a list of <c>values</c>, or a <c>distribution</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ParameterSpec
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required ParameterKind Kind { get; init; }
    /// <summary>The one value (Fixed) or the choices (Choice); empty for a distribution.</summary>
    [Id(2)] public IReadOnlyList<ParamValue> Values { get; init; } = [];
    [Id(3)] public DistributionKind? Distribution { get; init; }
    [Id(4)] public double Min { get; init; }
    [Id(5)] public double Max { get; init; }
}

/// <summary>A parameter's value: a number, a word (e.g. a model kind) or a list of integers (layer widths).</summary>
[GenerateSerializer, Immutable]
public sealed record ParamValue
{
    [Id(0)] public double? Number { get; init; }
    [Id(1)] public string? Text { get; init; }
    [Id(2)] public int[]? List { get; init; }

    public static ParamValue Of(double number) => new() { Number = number };
    public static ParamValue Of(string text) => new() { Text = text };
    public static ParamValue Of(int[] list) => new() { List = list };

    /// <summary>Short display text: words as is, lists as <c>[500, 120]</c>, numbers compact (<c>0.00123</c>, <c>1.5e-5</c>, <c>128</c>).</summary>
    public override string ToString() =>
        Text ?? (List is not null ? "[" + string.Join(", ", List) + "]" : CompactNumber(Number!.Value));

    /// <summary>Four significant digits are enough to tell swept values apart and keep tables narrow.</summary>
    private static string CompactNumber(double number)
    {
        var text = number.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOf('E');
        if (exponentAt < 0) return text;
        // "1.5E-05" → "1.5e-5", "1E+20" → "1e20".
        var exponent = int.Parse(text.AsSpan(exponentAt + 1), System.Globalization.CultureInfo.InvariantCulture);
        return text[..exponentAt] + "e" + exponent.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

public static class SweepSpecExtensions
{
    /// <summary>The parameters that differ between trials (plus <c>repeat</c>), in spec order: what a person compares.</summary>
    public static IReadOnlyList<string> SweptParameterNames(this SweepSpec spec)
    {
        var names = spec.Parameters.Where(p => p.Kind != ParameterKind.Fixed).Select(p => p.Name).ToList();
        if (spec.Repeats > 1) names.Add("repeat");
        return names;
    }
}
