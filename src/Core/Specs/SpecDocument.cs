using YamlDotNet.RepresentationModel;

namespace SweepRunner.Core.Specs;

/// <summary>A line and column (both 1-based) in a spec file.</summary>
public readonly record struct SpecPosition(int Line, int Column);

/// <summary>
/// A parsed spec together with its source, so that later checks (e.g. of the data set's files) can report
/// problems at the right place in the file.
/// </summary>
public sealed class SpecDocument
{
    private readonly IReadOnlyDictionary<string, SpecPosition> _positions;

    internal SpecDocument(SweepSpec spec, string fileName, string yaml, YamlNode root)
    {
        Spec = spec;
        FileName = fileName;
        Yaml = yaml;
        var positions = new Dictionary<string, SpecPosition>();
        IndexPositions(root, "", positions);
        _positions = positions;
    }

    public SweepSpec Spec { get; }
    public string FileName { get; }
    public string Yaml { get; }

    /// <summary>
    /// Where the value of <paramref name="keyPath"/> (e.g. <c>dataset.path</c>) is written; for a key the file
    /// does not contain, where its nearest written parent is (the start of the file at worst).
    /// </summary>
    public SpecPosition PositionOf(string keyPath)
    {
        for (string? path = keyPath; path is not null; path = KeyPath.Parent(path))
            if (_positions.TryGetValue(path, out var position)) return position;
        return new SpecPosition(1, 1);
    }

    /// <summary>A problem about <paramref name="keyPath"/>, placed where that key is written.</summary>
    public SpecError ErrorAt(string keyPath, string message)
    {
        var position = PositionOf(keyPath);
        return new SpecError(FileName, position.Line, position.Column, keyPath, message);
    }

    private static void IndexPositions(YamlNode node, string path, Dictionary<string, SpecPosition> positions)
    {
        positions[path] = new SpecPosition((int)node.Start.Line, (int)node.Start.Column);
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                    if (key is YamlScalarNode { Value: { } name })
                        IndexPositions(value, KeyPath.Child(path, name), positions);
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                    IndexPositions(sequence.Children[i], KeyPath.Item(path, i), positions);
                break;
        }
    }
}
