using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Trials;

namespace SweepRunner.Client.Output;

/// <summary>Shows a sweep's progress while the client watches it.</summary>
public interface IProgressView
{
    /// <summary>Runs <paramref name="watch"/>, which calls <see cref="Show"/> and <see cref="TrialFinished"/> as things happen.</summary>
    Task RunAsync(Func<Task> watch);
    void Show(SweepStatus status);
    void TrialFinished(TrialRecord trial, SweepStatus status);

    /// <summary>A live table on a terminal; plain lines when the output is a file or a pipe (live tables would repeat there).</summary>
    public static IProgressView ForConsole(IReadOnlyList<string> shownParameters) =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
            ? new LiveProgressView(shownParameters)
            : new PlainProgressView(Console.Out, shownParameters);

    internal static string ParametersText(IReadOnlyDictionary<string, string> parameters, IReadOnlyList<string> shown) =>
        string.Join(" ", shown.Where(parameters.ContainsKey).Select(name => $"{name}={parameters[name]}"));

    internal static string Describe(TrialRecord trial, string metricName, IReadOnlyList<string> shownParameters)
    {
        var metrics = trial.Outcome?.Metrics;
        var value = metrics is not null && metrics.TryGetValue(metricName, out var v) ? $"{metricName}={LeaderboardTable.Format(v)}" : "";
        var parameters = ParametersText(trial.Spec.Parameters, shownParameters);
        var seconds = (trial.Outcome?.Seconds ?? 0).ToString("F1", CultureInfo.InvariantCulture);
        var error = trial.Status is TrialStatus.Completed ? "" : $" ({trial.Outcome?.Error ?? trial.Error})";
        return $"{trial.Spec.TrialId} {trial.Status.ToString().ToLowerInvariant()} {value} [{parameters}] {seconds}s{error}".Replace("  ", " ");
    }
}

/// <summary>One line per finished trial, and a status line at most every <see cref="StatusEvery"/>.</summary>
public sealed class PlainProgressView(TextWriter output, IReadOnlyList<string> shownParameters) : IProgressView
{
    private static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(30);
    private DateTime _lastStatus = DateTime.MinValue;
    private int _finished;

    public Task RunAsync(Func<Task> watch) => watch();

    public void Show(SweepStatus status)
    {
        if (DateTime.UtcNow - _lastStatus < StatusEvery) return;
        _lastStatus = DateTime.UtcNow;
        var running = string.Join(", ", status.Running.Select(r => $"{r.TrialId} epoch {r.Epoch}/{r.Epochs}"));
        output.WriteLine($"[{status.Finished}/{status.Total}] {status.State.ToString().ToLowerInvariant()}, {status.Running.Count} running{(running.Length > 0 ? ": " + running : "")}");
        output.Flush();
    }

    public void TrialFinished(TrialRecord trial, SweepStatus status)
    {
        output.WriteLine($"[{++_finished}/{status.Total}] {IProgressView.Describe(trial, status.Metric.Name, shownParameters)}");
        output.Flush();
    }
}

/// <summary>A Spectre.Console live display: overall progress, the running trials with their epoch, the latest finished.</summary>
public sealed class LiveProgressView(IReadOnlyList<string> shownParameters) : IProgressView
{
    private const int RecentShown = 8;
    private readonly List<string> _recent = [];
    private LiveDisplayContext? _context;
    private SweepStatus? _status;

    public Task RunAsync(Func<Task> watch) =>
        AnsiConsole.Live(new Text("starting...")).AutoClear(false).StartAsync(async context =>
        {
            _context = context;
            await watch();
            Render();
        });

    public void Show(SweepStatus status)
    {
        _status = status;
        Render();
    }

    public void TrialFinished(TrialRecord trial, SweepStatus status)
    {
        _recent.Add(IProgressView.Describe(trial, status.Metric.Name, shownParameters));
        if (_recent.Count > RecentShown) _recent.RemoveAt(0);
        Show(status);
    }

    private void Render()
    {
        if (_context is null || _status is null) return;
        var s = _status;
        var elapsed = (s.FinishedAt ?? DateTime.UtcNow) - s.StartedAt;
        var bar = new BarChart().Width(60).AddItem("finished", s.Finished, Color.Green).AddItem("total", s.Total, Color.Grey);
        var running = new Table().Border(TableBorder.Simple).AddColumns("trial", "epoch", s.Metric.Name, "parameters");
        foreach (var r in s.Running)
            running.AddRow(r.TrialId, $"{r.Epoch}/{r.Epochs}", LeaderboardTable.Format(r.MetricValue),
                Markup.Escape(IProgressView.ParametersText(r.Parameters, shownParameters)));
        var parts = new List<IRenderable>
        {
            new Markup($"[bold]{Markup.Escape(s.Name)}[/] ({Markup.Escape(s.SweepId)}): {s.State.ToString().ToLowerInvariant()}, " +
                       $"{s.Finished}/{s.Total} finished, {s.Count(TrialStatus.Diverged)} diverged, {s.Count(TrialStatus.Failed)} failed, {elapsed:hh\\:mm\\:ss}"),
            bar,
            running,
        };
        parts.AddRange(_recent.Select(line => new Text(line)));
        _context.UpdateTarget(new Rows(parts));
    }
}
