using System.Text.Json;
using System.Text.Json.Serialization;
using SweepRunner.Core.Trials;

namespace SweepRunner.Core.Results;

/// <summary>One line of <c>results.jsonl</c>: a finished trial, everything needed to rank and report it.</summary>
public sealed record TrialResultLine
{
    public required string TrialId { get; init; }
    public int Index { get; init; }
    public int Repeat { get; init; }
    public required TrialStatus Status { get; init; }
    public required Dictionary<string, string> Parameters { get; init; }
    public Dictionary<string, double> Metrics { get; init; } = [];
    public int Attempts { get; init; }
    /// <summary>Epochs trained over all attempts: above <see cref="EpochsDone"/> by what lost attempts re-did.</summary>
    public int EpochsRun { get; init; }
    public double Seconds { get; init; }
    public int EpochsDone { get; init; }
    public long ParameterCount { get; init; }
    public string? Error { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public required TrialConfig Config { get; init; }
    public List<EpochReport> History { get; init; } = [];
    public List<AttemptRecord> AttemptLog { get; init; } = [];

    public static TrialResultLine From(TrialRecord trial) => new()
    {
        TrialId = trial.Spec.TrialId,
        Index = trial.Spec.Index,
        Repeat = trial.Spec.Repeat,
        Status = trial.Status,
        Parameters = trial.Spec.Parameters,
        Metrics = trial.Outcome?.Metrics ?? [],
        Attempts = trial.Attempts,
        EpochsRun = trial.EpochsRun,
        Seconds = trial.Outcome?.Seconds ?? 0,
        EpochsDone = trial.Outcome?.EpochsDone ?? 0,
        ParameterCount = trial.Outcome?.ParameterCount ?? 0,
        Error = trial.Outcome?.Error ?? trial.Error,
        StartedAt = trial.StartedAt,
        FinishedAt = trial.FinishedAt,
        Config = trial.Spec.Config,
        History = trial.History,
        AttemptLog = trial.AttemptLog,
    };

    /// <summary>Back to the coordinator's shape, so files and live sweeps are ranked by the same code.</summary>
    public TrialRecord ToRecord() => new()
    {
        Spec = new TrialSpec { TrialId = TrialId, Index = Index, Repeat = Repeat, Config = Config, Parameters = Parameters },
        Status = Status,
        Attempts = Attempts,
        EpochsRun = EpochsRun,
        History = History,
        AttemptLog = AttemptLog,
        Outcome = new TrialOutcome { Status = Status, Metrics = Metrics, Seconds = Seconds, EpochsDone = EpochsDone, ParameterCount = ParameterCount, Error = Error },
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        Error = Error,
    };
}

/// <summary>
/// <c>results.jsonl</c>: one JSON object per finished trial, appended and flushed as each trial finishes, so a
/// crash loses at most the line being written (which <see cref="Read"/> then skips).
/// </summary>
public static class ResultsFile
{
    public const string FileName = "results.jsonl";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Append(string path, IEnumerable<TrialResultLine> lines)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        using var writer = new StreamWriter(file);
        foreach (var line in lines) writer.WriteLine(JsonSerializer.Serialize(line, Json));
        writer.Flush();
        file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Drops a torn last line (the process died while writing it) so that appending can go on; the trial it
    /// held is still in grain storage and is written again. Rewrites through a temporary file.
    /// </summary>
    public static void RepairTail(string path)
    {
        if (!File.Exists(path)) return;
        var lines = File.ReadAllLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        var endsWithNewline = new FileInfo(path).Length == 0 || File.ReadAllBytes(path)[^1] == (byte)'\n';
        if (lines.Count == 0 || (endsWithNewline && Parses(lines[^1]))) return;
        if (Parses(lines[^1])) lines.Add("");   // a complete object missing only its newline: keep it, end the line
        else lines.RemoveAt(lines.Count - 1);
        var temp = path + ".tmp";
        File.WriteAllLines(temp, lines.Where(l => l.Length > 0));
        File.Move(temp, path, overwrite: true);
    }

    private static bool Parses(string line)
    {
        try { return JsonSerializer.Deserialize<TrialResultLine>(line, Json) is not null; }
        catch (JsonException) { return false; }
    }

    /// <summary>Every complete line, the last one per trial id winning; a torn last line is skipped.</summary>
    public static List<TrialResultLine> Read(string path)
    {
        var byId = new Dictionary<string, TrialResultLine>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            try
            {
                var line = JsonSerializer.Deserialize<TrialResultLine>(lines[i], Json)
                           ?? throw new JsonException("empty line");
                byId[line.TrialId] = line;
            }
            catch (JsonException) when (i == lines.Length - 1)
            {
                // Written while the process died: the trial is still in grain storage and will be written again.
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{i + 1}: not a result line: {ex.Message}", ex);
            }
        }
        return byId.Values.OrderBy(l => l.Index).ThenBy(l => l.Repeat).ToList();
    }
}
