using SweepRunner.Analysis.Figures;
using SweepRunner.Core.Ranking;
using SweepRunner.Core.Search;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using M = SweepRunner.Reporting.EvaluationMetrics;

namespace SweepRunner.Reporting;

/// <summary>A claim of the seed presentation and what the sweep's numbers say about it.</summary>
/// <param name="Agrees">True when the numbers support the claim, false when they contradict it.</param>
public sealed record Verdict(string Claim, string Finding, bool Agrees);

/// <summary>
/// Builds the comparative report of one sweep: the seed's five questions answered from the sweep's own numbers,
/// with tables, figures (rendered into <c>figures/</c>) and sentences whose numbers and comparisons come from the data.
/// Whatever the sweep cannot answer is listed as missing rather than guessed.
/// </summary>
public sealed partial class SeedReport
{
    public const string FiguresFolder = "figures";

    /// <summary>Per-trial figures the trial side writes (codes and manifold only at latent_dim 2).</summary>
    private static readonly string[] TrialFigureNames = ["learning_curves", "reconstructions", "samples_prior", "samples_gmm"];

    private readonly SweepData _data;
    private readonly ReportDocument _body = new("body");
    private readonly List<string> _missing = [];
    private readonly List<Verdict> _verdicts = [];
    private readonly List<string> _figures = [];

    private SeedReport(SweepData data) => _data = data;

    /// <summary>Every claim the report checked against the numbers, in report order.</summary>
    public IReadOnlyList<Verdict> Verdicts => _verdicts;
    /// <summary>What the sweep could not answer, one sentence each.</summary>
    public IReadOnlyList<string> Missing => _missing;
    /// <summary>Figures written under the run folder, relative paths.</summary>
    public IReadOnlyList<string> Figures => _figures;
    public ReportDocument Document { get; private set; } = new("");

    /// <summary>Reads the run folder, renders the per-sweep figures into it and builds the document (not yet written).</summary>
    public static SeedReport Build(SweepData data)
    {
        var report = new SeedReport(data);
        report.Compose();
        return report;
    }

    private SweepSpec Spec => _data.Spec;
    private IReadOnlyList<TrialView> Trials => _data.Completed;

    private void Compose()
    {
        if (Trials.Count == 0) _missing.Add("No trial completed, so there are no numbers to report.");
        foreach (var model in ModelNames.All.Where(m => !_data.Has(m)))
            _missing.Add($"No completed {ModelNames.Display(model)} trial in this sweep: every comparison with {ModelNames.Display(model)} is left out.");

        WhatAutoencodersDo();
        CanAnAutoencoderGenerate();
        VaeArchitecture();
        HowWellVaeGenerates();
        CanVaeGenerateImages();
        Ranking();
        BestTrials();

        var document = new ReportDocument($"Sweep report: {Spec.Name}");
        Introduction(document);
        document.Heading(1, "The seed's claims against the numbers");
        if (_verdicts.Count == 0) document.Paragraph("No claim of the seed could be checked: the models or metrics it needs are missing (see the last section).");
        else document.Bullets(_verdicts.Select(v => $"{(v.Agrees ? "**Agrees**" : "**Contradicts**")} — seed: {v.Claim} Sweep: {v.Finding}"));
        var contradictions = _verdicts.Where(v => !v.Agrees).ToList();
        if (_verdicts.Count > 0)
            document.Paragraph(contradictions.Count == 0
                ? $"Where the numbers contradict the seed: nowhere, among the {_verdicts.Count} claims this sweep could check."
                : $"Where the numbers contradict the seed: {contradictions.Count} of the {_verdicts.Count} checked claims (marked above).");
        document.AddRange(_body.Blocks);
        document.Heading(1, "What is missing");
        if (_missing.Count == 0) document.Paragraph("Nothing: every section had the models, sizes and metrics it needs.");
        else document.Bullets(_missing.Distinct());
        Document = document;
    }

    private void Introduction(ReportDocument document)
    {
        var lines = _data.Lines;
        int Count(TrialStatus status) => lines.Count(l => l.Status == status);
        var dataset = Spec.Dataset;
        document.Paragraph($"Sweep `{Spec.Name}` on `{dataset.Name}`" +
                           (dataset.TrainLimit is { } train ? $" (training set limited to {train} images" : " (full training set") +
                           (dataset.TestLimit is { } test ? $", test set to {test})" : ", full test set)") +
                           $": {TrialPlanner.Count(Spec)} trials planned, {lines.Count} finished — {Count(TrialStatus.Completed)} completed, " +
                           $"{Count(TrialStatus.Diverged)} diverged, {Count(TrialStatus.Failed)} failed, {Count(TrialStatus.Stopped)} stopped. " +
                           $"Models: {string.Join(", ", ModelNames.All.Where(_data.Has).Select(ModelNames.Display))}; " +
                           $"latent sizes: {string.Join(", ", Trials.Select(t => t.LatentDim).Distinct().Order())}; repeats per configuration: {Spec.Repeats}.");
        var variants = ByVariant(Trials).ToList();
        document.Paragraph("Every number below is a mean over the trials that share a configuration (± the sample standard deviation when " +
                           "there are several: repeats, and grid points that differ only in parameters the model ignores, such as noise for a VAE, " +
                           "each trained with its own seed). All metrics are on the test split. Trials per latent size: " +
                           string.Join(", ", variants.Select(v => $"{v.Key}: {Numbers.Format(v.Count() / (double)v.Select(t => t.LatentDim).Distinct().Count())}")) + ".");
        var classifier = Summary.Of(Trials, M.ClassifierAccuracy);
        var floor = Summary.Of(Trials, M.FidFloor);
        if (classifier is not null)
            document.Paragraph($"Generation is judged by an evaluation classifier with test accuracy {Numbers.Format(classifier.Mean)}" +
                               (floor is not null ? $"; real held-out images are at Fréchet distance {Numbers.Format(floor.Mean)} from the test set (the floor)." : "."));
        else _missing.Add($"`{M.ClassifierAccuracy}` is absent: the evaluation classifier's accuracy is unknown.");
    }

    private void Ranking()
    {
        _body.Heading(1, "The ranking metric against each swept parameter");
        var metric = Spec.Metric;
        var swept = Spec.SweptParameterNames();
        var ranked = Leaderboard.Rank(_data.Lines.Select(l => l.ToRecord()), metric).Where(r => r.Rank is not null).ToList();
        if (ranked.Count == 0 || swept.Count == 0)
        {
            _missing.Add(ranked.Count == 0 ? $"No trial has a value of the ranking metric `{metric.Name}`." : "The sweep varies no parameter.");
            return;
        }
        var points = ranked.Select(r => new TrialPoint(
            swept.Where(r.Parameters.ContainsKey).ToDictionary(p => p, p => r.Parameters[p]), r.Value!.Value)).ToList();
        var path = FigurePath("ranking_by_parameter");
        ChartFigures.SaveParameterPanels(Path.Combine(_data.Folder, path), points, metric.Name);
        _figures.Add(path);
        _body.Figure(path, $"{metric.Name} ({metric.Goal.ToString().ToLowerInvariant()}) of every completed trial against each swept parameter.");
        var best = ranked[0];
        _body.Paragraph($"Best by `{metric.Name}`: {best.TrialId} ({string.Join(", ", swept.Where(best.Parameters.ContainsKey).Select(p => $"{p} {best.Parameters[p]}"))}) " +
                        $"at {Numbers.Format(best.Value!.Value)}. The training objective differs between models (the VAE's adds β·KL, the DAE's " +
                        "is measured on noisy inputs), so the ranking compares models only loosely; the sections above compare them on common metrics.");
        const int shown = 10;
        _body.Table(["rank", "trial", .. swept, metric.Name],
            ranked.Take(shown).Select(r => (IReadOnlyList<string>)
                [r.Rank!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), r.TrialId, .. swept.Select(p => r.Parameters.GetValueOrDefault(p, "")), Numbers.Format(r.Value!.Value)]));
    }

    private void BestTrials()
    {
        _body.Heading(1, "The best trial of each model kind");
        foreach (var model in ModelNames.All.Where(_data.Has))
        {
            var best = Best(_data.Of(model));
            if (best is null) continue;
            _body.Heading(2, $"{ModelNames.Display(model)}: {best.TrialId} ({best.Variant}, latent_dim {best.LatentDim})");
            TrialFigures(best, TrialFigureNames);
        }
    }

    /// <summary>The trial ranked first by the sweep's metric among <paramref name="trials"/>.</summary>
    private TrialView? Best(IEnumerable<TrialView> trials)
    {
        var scored = trials.Where(t => t.Metric(Spec.Metric.Name) is not null);
        scored = Spec.Metric.Goal == Goal.Minimize
            ? scored.OrderBy(t => t.Metric(Spec.Metric.Name)).ThenBy(t => t.TrialId, StringComparer.Ordinal)
            : scored.OrderByDescending(t => t.Metric(Spec.Metric.Name)).ThenBy(t => t.TrialId, StringComparer.Ordinal);
        return scored.FirstOrDefault();
    }

    private void TrialFigures(TrialView trial, IEnumerable<string> names)
    {
        var absent = new List<string>();
        foreach (var name in names)
        {
            if (_data.TrialFigure(trial.TrialId, name) is { } path) _body.Figure(path, $"{trial.TrialId} ({trial.Variant}, latent_dim {trial.LatentDim}): {name.Replace('_', ' ')}");
            else absent.Add(name);
        }
        if (absent.Count == 0) return;
        var text = $"Per-trial figures {string.Join(", ", absent)} of {trial.TrialId} are absent from `{SweepData.TrialsFolder}/{trial.TrialId}/`: the trial did not write them.";
        _body.Paragraph(text);
        _missing.Add(text);
    }

    private static string FigurePath(string name) => $"{FiguresFolder}/{name}.png";

    /// <summary>Renders a line chart into figures/ and places it in the report; says what is missing when there is nothing to draw.</summary>
    /// <param name="latentAxis">x is latent_dim: spaced by its logarithm, as the sizes are usually powers of two.</param>
    private void Chart(string name, IReadOnlyList<LineSeries> series, string xLabel, string yLabel, string title, string caption, bool latentAxis = true)
    {
        if (series.Count == 0)
        {
            _missing.Add($"Figure '{title}' is not drawn: no completed trial has the numbers it needs.");
            return;
        }
        var path = FigurePath(name);
        ChartFigures.SaveLineChart(Path.Combine(_data.Folder, path), series, xLabel, yLabel, title, logTwoX: latentAxis);
        _figures.Add(path);
        _body.Figure(path, caption);
    }

    /// <summary>Checks that some trial measured each metric; lists the absent ones as missing and returns false if any is.</summary>
    private bool Require(string section, params string[] metrics)
    {
        var absent = metrics.Where(m => !_data.Measured(m)).ToList();
        if (absent.Count == 0) return true;
        var text = $"{section}: {string.Join(", ", absent.Select(a => $"`{a}`"))} absent from results.jsonl, so this part is not answered.";
        _missing.Add(text);
        _body.Paragraph(text);
        return false;
    }

    private static IEnumerable<IGrouping<string, TrialView>> ByVariant(IEnumerable<TrialView> trials) =>
        trials.GroupBy(t => t.Variant)
              .OrderBy(g => ModelOrder(g.First().Model)).ThenBy(g => g.First().NoiseKind, StringComparer.Ordinal)
              .ThenBy(g => g.First().Noise).ThenBy(g => g.First().KlWeight);

    private static int ModelOrder(string model)
    {
        var index = ModelNames.All.ToList().IndexOf(model);
        return index < 0 ? int.MaxValue : index;
    }

    private static IReadOnlyList<int> LatentSizes(IEnumerable<TrialView> trials) => trials.Select(t => t.LatentDim).Distinct().Order().ToList();

    /// <summary>Line series of a metric against latent_dim, one per group, mean ± spread over the trials of each point.</summary>
    private static IReadOnlyList<LineSeries> AgainstLatent(IEnumerable<TrialView> trials, Func<TrialView, string> group, string metric) =>
        LineSeries.ByGroup(trials.Where(t => t.Metric(metric) is not null).Select(t => (group(t), (double)t.LatentDim, t.Metric(metric)!.Value)));
}
