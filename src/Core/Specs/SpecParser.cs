using System.Globalization;
using SweepRunner.Core.Search;
using SweepRunner.Core.Trials;
using YamlDotNet.RepresentationModel;

namespace SweepRunner.Core.Specs;

/// <summary>
/// Reads a YAML sweep spec into a validated <see cref="SweepSpec"/>. Every problem found is reported, each with
/// its file, line, column and dotted key, in one <see cref="SpecException"/>.
/// </summary>
public static class SpecParser
{
    private static readonly string[] TopKeys =
        ["name", "dataset", "method", "count", "seed", "repeats", "metric", "parameters", "resources", "max_failures", "evaluation"];
    private static readonly string[] EvaluationKeys = ["samples", "probes", "generation", "figures"];
    private static readonly string[] DatasetKeys = ["name", "path", "download", "train_limit", "test_limit", "validation"];
    private static readonly string[] MetricKeys = ["name", "goal"];
    private static readonly string[] ResourceKeys = ["max_concurrent_trials", "threads_per_trial"];
    private static readonly string[] ParameterKeys = ["value", "values", "distribution", "min", "max"];
    private static readonly string[] ParameterForms = ["value", "values", "distribution"];

    private static readonly Dictionary<string, SearchMethod> Methods = new()
    {
        ["grid"] = SearchMethod.Grid, ["random"] = SearchMethod.Random,
    };
    private static readonly Dictionary<string, Goal> Goals = new()
    {
        ["minimize"] = Goal.Minimize, ["maximize"] = Goal.Maximize,
    };
    private static readonly Dictionary<string, DistributionKind> Distributions = new()
    {
        ["uniform"] = DistributionKind.Uniform,
        ["log_uniform"] = DistributionKind.LogUniform,
        ["int_uniform"] = DistributionKind.IntUniform,
    };

    public static readonly MetricSpec DefaultMetric = new(MetricNames.Validation("loss"), Goal.Minimize);

    /// <summary>Reads and parses the spec file at <paramref name="path"/>.</summary>
    /// <exception cref="SpecException">The file cannot be read or the spec is invalid.</exception>
    public static SpecDocument Load(string path)
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SpecException(new SpecError(path, 0, 0, "", $"spec file not found: {Path.GetFullPath(path)}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpecException(new SpecError(path, 0, 0, "", "cannot read the spec file: " + e.Message));
        }
        return Parse(yaml, path);
    }

    /// <summary>Parses spec text; <paramref name="fileName"/> is only used to label errors.</summary>
    /// <exception cref="SpecException">The spec is invalid; carries every problem found.</exception>
    public static SpecDocument Parse(string yaml, string fileName)
    {
        var reader = new SpecReader(fileName);
        var root = YamlLoading.LoadRoot(yaml, reader);
        var spec = root is null ? null : ReadSweep(root, reader);
        if (reader.Errors.Count > 0 || spec is null)
            throw new SpecException(reader.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        return new SpecDocument(spec, fileName, yaml, root!);
    }

    private static SweepSpec? ReadSweep(YamlNode root, SpecReader reader)
    {
        if (root is not YamlMappingNode)
        {
            reader.Report(root, "", $"a spec must be a mapping with keys such as name, dataset and parameters; got {SpecReader.Describe(root)}");
            return null;
        }
        var top = reader.Mapping(root, "", TopKeys)!;
        var name = top.Required("name") is { } nameNode ? reader.Word(nameNode, "name") : null;
        var dataset = top.Required("dataset") is { } datasetNode ? ReadDataset(datasetNode, reader) : null;
        var methodWord = top.ReadObject("method", (node, path) => reader.OneOf(node, path, "method", Methods.Keys));
        var method = methodWord is null ? SearchMethod.Grid : Methods[methodWord];
        var count = top.Read("count", (node, path) => reader.IntAtLeast(node, path, 1));
        var seed = top.Read("seed", reader.Integer) ?? 0;
        var repeats = top.Read("repeats", (node, path) => reader.IntAtLeast(node, path, 1));
        var metric = top["metric"] is { } metricNode ? ReadMetric(metricNode, reader) : DefaultMetric;

        var errorsBeforeParameters = reader.Errors.Count;
        var parameters = top.Required("parameters") is { } parametersNode ? ReadParameters(parametersNode, reader) : null;
        var parametersValid = parameters is not null && reader.Errors.Count == errorsBeforeParameters;

        var resources = top["resources"] is { } resourcesNode ? ReadResources(resourcesNode, reader) : new ResourceSpec();
        var maxFailures = top.Read("max_failures", (node, path) => reader.IntAtLeast(node, path, 1));
        var evaluation = top["evaluation"] is { } evaluationNode ? ReadEvaluation(evaluationNode, reader) : new EvaluationSpec();

        if (method == SearchMethod.Random && !top.Has("count"))
            reader.Report(top.Node, "count", "method random needs 'count' (how many configurations to sample)");

        var repeatsValid = !top.Has("repeats") || repeats is not null;
        var countKnown = method == SearchMethod.Grid || count is not null;
        if (parametersValid && repeatsValid && countKnown)
            CheckPlanSize(method, count, parameters!, repeats ?? 1, top, reader);

        if (reader.Errors.Count > 0) return null;
        var spec = new SweepSpec
        {
            Name = name!,
            Dataset = dataset!,
            Method = method,
            Count = count,
            Seed = seed,
            Metric = metric!,
            Parameters = parameters!,
            Resources = resources!,
        };
        // Keys left out keep SweepSpec's defaults.
        if (repeats is not null) spec = spec with { Repeats = repeats.Value };
        if (maxFailures is not null) spec = spec with { MaxFailures = maxFailures.Value };
        return spec with { Evaluation = evaluation! };
    }

    /// <summary>Keys left out keep <see cref="EvaluationSpec"/>'s defaults; null after an error (already reported).</summary>
    private static EvaluationSpec? ReadEvaluation(YamlNode node, SpecReader reader)
    {
        var entries = reader.Mapping(node, "evaluation", EvaluationKeys);
        if (entries is null) return null;
        var defaults = new EvaluationSpec();
        var samples = entries.Read("samples", (n, p) => reader.IntAtLeast(n, p, 1));
        var probes = entries.Read("probes", reader.Boolean);
        var generation = entries.Read("generation", reader.Boolean);
        var figures = entries.Read("figures", reader.Boolean);
        return new EvaluationSpec
        {
            Samples = samples ?? defaults.Samples,
            Probes = probes ?? defaults.Probes,
            Generation = generation ?? defaults.Generation,
            Figures = figures ?? defaults.Figures,
        };
    }

    /// <summary>Rejects plans over <see cref="TrialPlanner.MaxTrials"/>, counted without expanding them.</summary>
    private static void CheckPlanSize(SearchMethod method, int? count, IReadOnlyList<ParameterSpec> parameters, int repeats,
                                      SpecMapping top, SpecReader reader)
    {
        var trials = TrialPlanner.Count(method, count, parameters, repeats);
        if (trials <= TrialPlanner.MaxTrials) return;
        var size = trials == long.MaxValue ? "more than 9e18" : trials.ToString("N0", CultureInfo.InvariantCulture);
        var withRepeats = repeats > 1 ? $" (counting {repeats} repeats)" : "";
        var limit = TrialPlanner.MaxTrials.ToString("N0", CultureInfo.InvariantCulture);
        if (method == SearchMethod.Random)
            reader.Report(top["count"]!, "count", $"the plan has {size} trials{withRepeats}, more than the limit of {limit}");
        else
            reader.Report(top["parameters"]!, "parameters",
                          $"the grid has {size} trials{withRepeats}, more than the limit of {limit}; use fewer values or method random");
    }

    private static DatasetSpec? ReadDataset(YamlNode node, SpecReader reader)
    {
        var dataset = reader.Mapping(node, "dataset", DatasetKeys);
        if (dataset is null) return null;
        var name = dataset.Required("name") is { } nameNode
            ? reader.OneOf(nameNode, "dataset.name", "dataset", DatasetNames.All) : null;
        var path = dataset.ReadObject("path", reader.Word);
        var download = dataset.Read("download", reader.Boolean);
        var trainLimit = dataset.Read("train_limit", (n, p) => reader.IntAtLeast(n, p, 1));
        var testLimit = dataset.Read("test_limit", (n, p) => reader.IntAtLeast(n, p, 1));
        var validation = dataset.Read("validation", reader.Number);
        if (validation is < 0 or >= 1)
        {
            reader.Report(dataset["validation"]!, "dataset.validation",
                          $"must be in [0, 1) (the share of the training set held out), got {SpecReader.Format(validation.Value)}");
            validation = null;
        }
        if (name == DatasetNames.Idx && !dataset.Has("path"))
            reader.Report(dataset.Node, "dataset.path", "dataset idx needs 'path', the folder holding the four IDX files");

        if (name is null) return null;
        return new DatasetSpec
        {
            Name = name,
            Path = path,
            Download = download ?? false,
            TrainLimit = trainLimit,
            TestLimit = testLimit,
            Validation = validation ?? new DatasetSpec { Name = name }.Validation,
        };
    }

    private static MetricSpec? ReadMetric(YamlNode node, SpecReader reader)
    {
        var metric = reader.Mapping(node, "metric", MetricKeys);
        if (metric is null) return null;
        var name = metric.ReadObject("name", (n, p) => reader.OneOf(n, p, "metric", MetricNames.All.ToList()));
        var goal = metric.ReadObject("goal", (n, p) => reader.OneOf(n, p, "goal", Goals.Keys));
        if ((metric.Has("name") && name is null) || (metric.Has("goal") && goal is null)) return null;
        return new MetricSpec(name ?? DefaultMetric.Name, goal is null ? DefaultMetric.Goal : Goals[goal]);
    }

    private static ResourceSpec? ReadResources(YamlNode node, SpecReader reader)
    {
        var resources = reader.Mapping(node, "resources", ResourceKeys);
        if (resources is null) return null;
        var defaults = new ResourceSpec();
        var concurrent = resources.Read("max_concurrent_trials", (n, p) => reader.IntAtLeast(n, p, 1));
        var threads = resources.Read("threads_per_trial", (n, p) => reader.IntAtLeast(n, p, 1));
        if ((resources.Has("max_concurrent_trials") && concurrent is null) || (resources.Has("threads_per_trial") && threads is null))
            return null;
        return new ResourceSpec
        {
            MaxConcurrentTrials = concurrent ?? defaults.MaxConcurrentTrials,
            ThreadsPerTrial = threads ?? defaults.ThreadsPerTrial,
        };
    }

    private static List<ParameterSpec>? ReadParameters(YamlNode node, SpecReader reader)
    {
        var mapping = reader.Mapping(node, "parameters", ParameterCatalog.Names.ToList(), "parameter");
        if (mapping is null) return null;
        var parameters = new List<ParameterSpec>();
        // Spec order, which fixes the grid's order and the order of displayed parameters.
        foreach (var (keyNode, valueNode) in mapping.Node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } || ParameterCatalog.Find(name) is not { } definition)
                continue; // already reported by Mapping
            if (ReadParameter(definition, valueNode, mapping.PathOf(name), reader) is { } parameter)
                parameters.Add(parameter);
        }
        return parameters;
    }

    private static ParameterSpec? ReadParameter(ParameterDefinition definition, YamlNode node, string path, SpecReader reader)
    {
        var entry = reader.Mapping(node, path, ParameterKeys);
        if (entry is null) return null;
        var forms = ParameterForms.Where(entry.Has).ToList();
        if (forms.Count == 0)
        {
            reader.Report(node, path, "needs one of 'value', 'values' or 'distribution'");
            return null;
        }
        if (forms.Count > 1)
        {
            reader.Report(entry.KeyNode(forms[1]), KeyPath.Child(path, forms[1]),
                          $"give only one of 'value', 'values' or 'distribution' (found {string.Join(" and ", forms)})");
            return null;
        }
        if (forms[0] != "distribution")
            foreach (var bound in new[] { "min", "max" }.Where(entry.Has))
                reader.Report(entry.KeyNode(bound), KeyPath.Child(path, bound), $"'{bound}' only goes with 'distribution'");

        switch (forms[0])
        {
            case "value":
                return ReadValue(definition, entry["value"]!, entry.PathOf("value"), reader) is { } value
                    ? new ParameterSpec { Name = definition.Name, Kind = ParameterKind.Fixed, Values = [value] }
                    : null;
            case "values":
                return ReadChoices(definition, entry["values"]!, entry.PathOf("values"), reader) is { } choices
                    ? new ParameterSpec { Name = definition.Name, Kind = ParameterKind.Choice, Values = choices }
                    : null;
            default:
                return ReadDistribution(definition, entry, reader);
        }
    }

    private static List<ParamValue>? ReadChoices(ParameterDefinition definition, YamlNode node, string path, SpecReader reader)
    {
        if (node is not YamlSequenceNode sequence)
        {
            reader.Report(node, path, $"expected a list of {definition.Name} values, got {SpecReader.Describe(node)}");
            return null;
        }
        if (sequence.Children.Count == 0)
        {
            reader.Report(node, path, "'values' is empty; give at least one value");
            return null;
        }
        if (definition.Type == ParameterType.IntList && sequence.Children.Any(item => item is not YamlSequenceNode))
        {
            reader.Report(node, path, $"each choice of {definition.Name} is itself a list, e.g. values: [[500, 120], [256]]");
            return null;
        }
        var choices = sequence.Children.Select((item, i) => ReadValue(definition, item, KeyPath.Item(path, i), reader)).ToList();
        return choices.Contains(null) ? null : choices.OfType<ParamValue>().ToList();
    }

    /// <summary>One value of the parameter's type that meets its constraint.</summary>
    private static ParamValue? ReadValue(ParameterDefinition definition, YamlNode node, string path, SpecReader reader)
    {
        var value = definition.Type switch
        {
            ParameterType.Word => reader.Word(node, path) is { } word ? ParamValue.Of(word) : null,
            ParameterType.Int => reader.Integer(node, path) is { } integer ? ParamValue.Of(integer) : null,
            ParameterType.Real => reader.Number(node, path) is { } number ? ParamValue.Of(number) : null,
            ParameterType.IntList => reader.IntList(node, path) is { } list ? ParamValue.Of(list) : null,
            _ => throw new InvalidOperationException($"parameter type {definition.Type} has no reader"),
        };
        if (value is not null && definition.Problem(value) is { } problem)
        {
            reader.Report(node, path, problem);
            return null;
        }
        return value;
    }

    private static ParameterSpec? ReadDistribution(ParameterDefinition definition, SpecMapping entry, SpecReader reader)
    {
        var kindWord = entry.ReadObject("distribution", (n, p) => reader.OneOf(n, p, "distribution", Distributions.Keys));
        var min = entry.Required("min") is { } minNode ? reader.Number(minNode, entry.PathOf("min")) : null;
        var max = entry.Required("max") is { } maxNode ? reader.Number(maxNode, entry.PathOf("max")) : null;
        if (kindWord is null || min is null || max is null) return null;
        var kind = Distributions[kindWord];
        var errorsBefore = reader.Errors.Count;
        void ReportAt(string key, string message) => reader.Report(entry[key]!, entry.PathOf(key), message);

        if (!definition.IsNumeric)
            ReportAt("distribution", $"{definition.Name} takes {definition.Constraint}, so it cannot be drawn from a distribution; use 'value' or 'values'");
        else if (kind == DistributionKind.IntUniform && definition.Type != ParameterType.Int)
            ReportAt("distribution", $"int_uniform draws integers but {definition.Name} is a real number; use uniform or log_uniform");
        else if (kind != DistributionKind.IntUniform && definition.Type == ParameterType.Int)
            ReportAt("distribution", $"{definition.Name} is an integer; use int_uniform");
        else if (min > max)
            ReportAt("min", $"min ({SpecReader.Format(min.Value)}) is greater than max ({SpecReader.Format(max.Value)})");
        else
        {
            if (kind == DistributionKind.LogUniform && min <= 0)
                ReportAt("min", $"log_uniform needs min > 0, got {SpecReader.Format(min.Value)}");
            foreach (var (key, bound) in new[] { ("min", min.Value), ("max", max.Value) })
            {
                if (kind == DistributionKind.IntUniform && bound != Math.Floor(bound))
                    ReportAt(key, $"int_uniform needs integer bounds, got {SpecReader.Format(bound)}");
                else if (definition.Problem(ParamValue.Of(bound)) is { } problem
                         && !(kind == DistributionKind.LogUniform && key == "min" && bound <= 0))
                    ReportAt(key, problem);
            }
        }
        if (reader.Errors.Count > errorsBefore) return null;
        return new ParameterSpec
        {
            Name = definition.Name, Kind = ParameterKind.Distribution, Distribution = kind, Min = min.Value, Max = max.Value,
        };
    }
}
