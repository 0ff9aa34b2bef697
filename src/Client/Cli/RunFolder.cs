using SweepRunner.Client.Output;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Ranking;
using SweepRunner.Core.Results;
using SweepRunner.Core.Specs;
using SweepRunner.Reporting;

namespace SweepRunner.Client.Cli;

/// <summary>The files of one sweep run: spec copy, results, leaderboards, grain state and the log.</summary>
public sealed class RunFolder(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string SweepId => System.IO.Path.GetFileName(Path.TrimEnd(System.IO.Path.DirectorySeparatorChar));
    public string SpecFile => System.IO.Path.Combine(Path, "spec.yaml");
    public string ResultsFile => System.IO.Path.Combine(Path, Core.Results.ResultsFile.FileName);
    public string LogFile => System.IO.Path.Combine(Path, "sweeprunner.log");

    /// <summary><c>trials/&lt;trial_id&gt;</c>: the figures of one trial.</summary>
    public string TrialFolder(string trialId) => System.IO.Path.Combine(Path, "trials", trialId);

    public static string DefaultFor(SweepSpec spec) =>
        System.IO.Path.Combine("runs", $"{spec.Name}-{DateTime.Now:yyyyMMdd-HHmmss}");

    public bool HoldsSweep => File.Exists(SpecFile);

    public List<TrialResultLine> ReadResults() =>
        File.Exists(ResultsFile) ? Core.Results.ResultsFile.Read(ResultsFile) : [];

    public List<RankedTrial> Rank(MetricSpec metric) =>
        Leaderboard.Rank(ReadResults().Select(l => l.ToRecord()), metric);

    /// <summary>Writes both leaderboards through temporary files, so a reader never sees half of one.</summary>
    public void WriteLeaderboards(LeaderboardTable table)
    {
        WriteAtomically(System.IO.Path.Combine(Path, "leaderboard.csv"), table.ToCsv());
        WriteAtomically(System.IO.Path.Combine(Path, "leaderboard.md"), table.ToMarkdown());
    }

    /// <summary>Writes report.md, report.html and figures/ and says where they are and how many gaps the report names.</summary>
    public void WriteReport(TextWriter output)
    {
        var files = SweepReportWriter.Write(Path);
        output.WriteLine($"report: {files.Markdown} and {System.IO.Path.GetFileName(files.Html)}, {files.Figures.Count} figures" +
                         (files.Missing.Count > 0 ? $"; {files.Missing.Count} missing pieces listed at its end" : ""));
    }

    /// <summary>Writes each figure as <c>trials/&lt;trial_id&gt;/&lt;name&gt;.png</c>, each through a temporary file.</summary>
    public void WriteTrialArtifacts(string trialId, TrialArtifacts artifacts)
    {
        if (artifacts.Images.Count == 0) return;
        var folder = TrialFolder(trialId);
        Directory.CreateDirectory(folder);
        foreach (var (name, png) in artifacts.Images)
            WriteAtomically(System.IO.Path.Combine(folder, name + ".png"), temp => File.WriteAllBytes(temp, png));
    }

    private static void WriteAtomically(string path, string text) => WriteAtomically(path, temp => File.WriteAllText(temp, text));

    private static void WriteAtomically(string path, Action<string> write)
    {
        var temp = path + ".tmp";
        write(temp);
        File.Move(temp, path, overwrite: true);
    }
}
