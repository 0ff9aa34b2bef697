namespace SweepRunner.Core.Specs;

/// <summary>Dotted key paths into a spec: <c>dataset.name</c>, <c>parameters.latent_dim.values[0]</c>.</summary>
public static class KeyPath
{
    public static string Child(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The enclosing path (<c>a.b[2]</c> → <c>a.b</c> → <c>a</c> → empty), or null for the root.</summary>
    public static string? Parent(string path)
    {
        if (path.Length == 0) return null;
        var cut = path.EndsWith(']') ? path.LastIndexOf('[') : path.LastIndexOf('.');
        return cut <= 0 ? "" : path[..cut];
    }
}
