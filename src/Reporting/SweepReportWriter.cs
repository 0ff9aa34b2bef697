namespace SweepRunner.Reporting;

/// <summary>Where a report was written.</summary>
public sealed record ReportFiles(string Markdown, string Html, IReadOnlyList<string> Figures, IReadOnlyList<string> Missing);

/// <summary>Writes <c>report.md</c>, <c>report.html</c> and <c>figures/</c> into a run folder.</summary>
public static class SweepReportWriter
{
    public const string MarkdownFile = "report.md";
    public const string HtmlFile = "report.html";

    /// <exception cref="FileNotFoundException">The folder has no spec.yaml or no results.jsonl.</exception>
    public static ReportFiles Write(string runFolder)
    {
        var data = SweepData.Load(runFolder);
        var report = SeedReport.Build(data);
        var markdown = Path.Combine(data.Folder, MarkdownFile);
        var html = Path.Combine(data.Folder, HtmlFile);
        WriteAtomically(markdown, report.Document.ToMarkdown());
        WriteAtomically(html, report.Document.ToHtml());
        return new ReportFiles(markdown, html, report.Figures, report.Missing);
    }

    /// <summary>Through a temporary file, so a reader never sees half a report.</summary>
    private static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
