namespace SweepRunner.Analysis.Figures;

internal static class FigureFiles
{
    /// <summary>Creates the folder a figure goes into, so callers can name any output path.</summary>
    public static void EnsureFolder(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }
}
