using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SweepRunner.Core.Specs;

/// <summary>
/// Reads typed values out of YAML nodes and records a <see cref="SpecError"/> for every problem instead of
/// stopping at the first. Each reader returns null when the value is unusable (the problem is then recorded).
/// </summary>
internal sealed class SpecReader(string file)
{
    private readonly List<SpecError> _errors = [];

    public IReadOnlyList<SpecError> Errors => _errors;

    public void Report(Mark at, string key, string message) =>
        _errors.Add(new SpecError(file, (int)at.Line, (int)at.Column, key, message));

    public void Report(YamlNode node, string key, string message) => Report(node.Start, key, message);

    /// <summary>The entries of a mapping; reports a node that is not a mapping, keys that are not words and unknown keys.</summary>
    public SpecMapping? Mapping(YamlNode node, string path, IReadOnlyCollection<string> knownKeys, string keyNoun = "key")
    {
        if (node is not YamlMappingNode mapping)
        {
            Report(node, path, $"expected a mapping (keys: {string.Join(", ", knownKeys)}), got {Describe(node)}");
            return null;
        }
        var entries = new Dictionary<string, (YamlNode Key, YamlNode Value)>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                Report(keyNode, path, $"keys must be words, got {Describe(keyNode)}");
                continue;
            }
            var keyPath = KeyPath.Child(path, key);
            if (!knownKeys.Contains(key))
            {
                Report(keyNode, keyPath, $"unknown {keyNoun} '{key}'" + Suggestions.Hint(key, knownKeys));
                continue;
            }
            entries[key] = (keyNode, valueNode);
        }
        return new SpecMapping(this, mapping, path, entries);
    }

    /// <summary>A non-empty text scalar.</summary>
    public string? Word(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && !IsNull(scalar) && scalar.Value is { Length: > 0 } text) return text;
        Report(node, path, $"expected a word, got {Describe(node)}");
        return null;
    }

    /// <summary>A word that must be one of <paramref name="allowed"/>, e.g. a method or a model.</summary>
    public string? OneOf(YamlNode node, string path, string what, IReadOnlyCollection<string> allowed)
    {
        var word = Word(node, path);
        if (word is null || allowed.Contains(word)) return word;
        Report(node, path, $"unknown {what} '{word}'" + Suggestions.Hint(word, allowed));
        return null;
    }

    /// <summary>A finite number written as a plain (unquoted) YAML scalar.</summary>
    public double? Number(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar && !IsNull(scalar)
            && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number))
            return number;
        Report(node, path, $"expected a number, got {Describe(node)}");
        return null;
    }

    public long? Integer(YamlNode node, string path)
    {
        var number = Number(node, path);
        if (number is null) return null;
        // 2^63 itself is representable as a double but not as a long, hence the strict upper bound.
        if (number.Value == Math.Floor(number.Value) && number.Value >= long.MinValue && number.Value < long.MaxValue)
            return (long)number.Value;
        Report(node, path, $"expected an integer, got {Format(number.Value)}");
        return null;
    }

    /// <summary>An integer of at least <paramref name="minimum"/> that fits an <see cref="int"/>.</summary>
    public int? IntAtLeast(YamlNode node, string path, int minimum)
    {
        var integer = Integer(node, path);
        if (integer is null) return null;
        if (integer < minimum)
        {
            Report(node, path, $"must be at least {minimum}, got {integer}");
            return null;
        }
        if (integer > int.MaxValue)
        {
            Report(node, path, $"must be at most {int.MaxValue}, got {integer}");
            return null;
        }
        return (int)integer.Value;
    }

    public bool? Boolean(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
            && bool.TryParse(scalar.Value, out var flag))
            return flag;
        Report(node, path, $"expected true or false, got {Describe(node)}");
        return null;
    }

    /// <summary>A list of integers; every bad item is reported.</summary>
    public int[]? IntList(YamlNode node, string path)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Report(node, path, $"expected a list of integers, got {Describe(node)}");
            return null;
        }
        var items = sequence.Children.Select((item, i) => Integer(item, KeyPath.Item(path, i))).ToList();
        if (items.Any(item => item is null)) return null;
        if (items.Any(item => item is < int.MinValue or > int.MaxValue))
        {
            Report(node, path, "list items must fit a 32-bit integer");
            return null;
        }
        return items.Select(item => (int)item!.Value).ToArray();
    }

    /// <summary>YAML's null: an empty value, <c>~</c> or <c>null</c>, when not quoted.</summary>
    public static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar when IsNull(scalar) => "nothing",
        YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar => $"'{scalar.Value}'",
        YamlScalarNode scalar => $"the quoted text '{scalar.Value}'",
        _ => "an unsupported node",
    };

    public static string Format(double number) => ParamValue.Of(number).ToString();
}

/// <summary>A mapping's known entries, with its path so that missing keys are reported where the mapping starts.</summary>
internal sealed class SpecMapping(SpecReader reader, YamlMappingNode node, string path,
                                  IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> entries)
{
    public YamlMappingNode Node => node;

    public bool Has(string key) => entries.ContainsKey(key);

    public YamlNode? this[string key] => entries.TryGetValue(key, out var entry) ? entry.Value : null;

    /// <summary>Where the key itself is written, for problems about the key rather than its value.</summary>
    public YamlNode KeyNode(string key) => entries[key].Key;

    public string PathOf(string key) => KeyPath.Child(path, key);

    /// <summary>The value of a key that must be present; a missing key is reported at the start of the mapping.</summary>
    public YamlNode? Required(string key)
    {
        if (this[key] is { } value) return value;
        reader.Report(node, PathOf(key), $"missing required key '{key}'");
        return null;
    }

    /// <summary>Reads the key with <paramref name="read"/> when present; null when absent or unusable.</summary>
    public T? Read<T>(string key, Func<YamlNode, string, T?> read) where T : struct =>
        this[key] is { } value ? read(value, PathOf(key)) : null;

    public T? ReadObject<T>(string key, Func<YamlNode, string, T?> read) where T : class =>
        this[key] is { } value ? read(value, PathOf(key)) : null;
}
