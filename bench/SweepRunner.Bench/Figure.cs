using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SweepRunner.Bench;

/// <summary>A target a figure is held to, e.g. "&gt;= 0.70".</summary>
internal sealed record Target(string Comparison, double Bound)
{
    public bool IsMet(double value) => Comparison switch
    {
        ">=" => value >= Bound,
        "<=" => value <= Bound,
        "<" => value < Bound,
        _ => throw new InvalidOperationException($"unknown comparison {Comparison}"),
    };

    public override string ToString() => $"{Comparison} {Bound.ToString("G4", CultureInfo.InvariantCulture)}";
}

/// <summary>One measured figure, with its target (none for the machine's reference figures) and how it was measured.</summary>
internal sealed record Figure(string Name, double Value, string Unit, Target? Target, string Detail)
{
    public static string Table(IReadOnlyList<Figure> figures)
    {
        var text = new StringBuilder();
        text.AppendLine("| figure | value | target | met | detail |");
        text.AppendLine("|---|---:|---|---|---|");
        foreach (var f in figures)
        {
            string met = f.Target is null ? "" : f.Target.IsMet(f.Value) ? "yes" : "**no**";
            text.AppendLine($"| {f.Name} | {f.Value.ToString("0.####", CultureInfo.InvariantCulture)} {f.Unit} | {f.Target} | {met} | {f.Detail} |");
        }
        return text.ToString();
    }

    public static JsonObject Json(IReadOnlyList<Figure> figures, bool quick)
    {
        var json = new JsonObject
        {
            ["date"] = DateTimeOffset.Now.ToString("O"),
            ["quick"] = quick,
            ["machine"] = Machine(),
        };
        foreach (var f in figures)
        {
            json[f.Name] = new JsonObject
            {
                ["value"] = f.Value,
                ["unit"] = f.Unit,
                ["target"] = f.Target?.ToString(),
                ["met"] = f.Target?.IsMet(f.Value),
                ["detail"] = f.Detail,
            };
        }
        return json;
    }

    /// <summary>The 1, 5 and 15 minute load averages, e.g. "1.02 0.87 0.40".</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static JsonObject Machine()
    {
        string? Field(string file, string key) => File.Exists(file)
            ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return new JsonObject
        {
            ["cpu"] = Field("/proc/cpuinfo", "model name"),
            ["cores"] = Environment.ProcessorCount,
            ["memory"] = Field("/proc/meminfo", "MemTotal"),
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        };
    }
}
