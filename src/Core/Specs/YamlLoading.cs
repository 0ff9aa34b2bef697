using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace SweepRunner.Core.Specs;

/// <summary>
/// Turns spec text into YamlDotNet's representation model (whose nodes keep their positions), reporting
/// syntax errors and duplicate keys as <see cref="SpecError"/>s.
/// </summary>
internal static class YamlLoading
{
    /// <summary>The document's root node, or null when the text cannot be read as one YAML document (problems are reported).</summary>
    public static YamlNode? LoadRoot(string yaml, SpecReader reader)
    {
        var scan = new TrackingParser(new Parser(new StringReader(yaml)));
        try
        {
            // YamlStream stops at the first duplicate key, so a pass over the parser's events first finds them all.
            if (ReportDuplicateKeys(scan, reader) > 0) return null;
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count > 1)
                reader.Report(stream.Documents[1].RootNode, "", "a spec file holds one YAML document; found a second '---'");
            if (stream.Documents.Count == 0
                || stream.Documents[0].RootNode is YamlScalarNode root && SpecReader.IsNull(root))
            {
                reader.Report(new Mark(0, 1, 1), "", "the spec is empty");
                return null;
            }
            return stream.Documents.Count == 1 ? stream.Documents[0].RootNode : null;
        }
        catch (YamlException e)
        {
            reader.Report(e.Start, "", "YAML syntax error: " + InnermostMessage(e));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, on some malformed input (e.g. an unclosed '{').
            reader.Report(scan.LastGood, "", "YAML syntax error after this point: look for an unclosed bracket or quote, or a wrong indentation");
            return null;
        }
    }

    /// <summary>Remembers where the last well-formed event ended, for errors the YAML reader raises without a position.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark LastGood { get; private set; } = new(0, 1, 1);

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (inner.Current is { } parsed) LastGood = parsed.End;
            return inner.MoveNext();
        }
    }

    private static string InnermostMessage(Exception e)
    {
        while (e.InnerException is YamlException inner) e = inner;
        return e.Message;
    }

    /// <summary>Reports every key written twice in the same mapping, with its dotted path; returns how many.</summary>
    private static int ReportDuplicateKeys(IParser parser, SpecReader reader)
    {
        var found = 0;
        parser.Consume<StreamStart>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            ScanNode("");
            parser.Consume<DocumentEnd>();
        }
        parser.Consume<StreamEnd>();
        return found;

        void ScanNode(string path)
        {
            if (parser.TryConsume<SequenceStart>(out _))
            {
                for (var index = 0; !parser.TryConsume<SequenceEnd>(out _); index++)
                    ScanNode(KeyPath.Item(path, index));
            }
            else if (parser.TryConsume<MappingStart>(out _))
            {
                var seen = new HashSet<string>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    if (parser.Accept<Scalar>(out var key))
                    {
                        parser.MoveNext();
                        var keyPath = KeyPath.Child(path, key.Value);
                        if (!seen.Add(key.Value))
                        {
                            reader.Report(key.Start, keyPath, $"duplicate key '{key.Value}'");
                            found++;
                        }
                        ScanNode(keyPath);
                    }
                    else
                    {
                        // A list or mapping used as a key: later validation rejects it, here only skip it.
                        ScanNode(path);
                        ScanNode(path);
                    }
                }
            }
            else
            {
                // A scalar or an alias: a leaf.
                parser.Consume<NodeEvent>();
            }
        }
    }
}
