using System.Globalization;
using ScottPlot;
using SweepRunner.Analysis.Pca;
using SweepRunner.Core.Trials;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Figures;

/// <summary>One line of a line chart; points are drawn in the given order.</summary>
/// <param name="Spread">Optional error bar half-heights, one per point (e.g. the standard deviation over repeats).</param>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double>? Spread = null)
{
    /// <summary>
    /// One series per group (e.g. model kind), x ascending; points sharing a group and x (repeats of a configuration)
    /// are averaged, and their sample standard deviation becomes the series' spread when any x has several points.
    /// </summary>
    public static IReadOnlyList<LineSeries> ByGroup(IEnumerable<(string Group, double X, double Y)> points) =>
        points.GroupBy(p => p.Group)
              .Select(g =>
              {
                  var averaged = g.GroupBy(p => p.X).OrderBy(x => x.Key)
                                  .Select(x => (X: x.Key, Y: x.Average(p => p.Y), Spread: StandardDeviation(x.Select(p => p.Y).ToList())))
                                  .ToList();
                  bool repeated = g.GroupBy(p => p.X).Any(x => x.Count() > 1);
                  return new LineSeries(g.Key, averaged.Select(p => p.X).ToList(), averaged.Select(p => p.Y).ToList(),
                      repeated ? averaged.Select(p => p.Spread).ToList() : null);
              })
              .ToList();

    /// <summary>Sample standard deviation (n - 1); 0 for a single value.</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}

/// <summary>A finished trial as the per-parameter panels see it: its swept values as text and one metric.</summary>
public sealed record TrialPoint(IReadOnlyDictionary<string, string> Parameters, double Value);

/// <summary>Charts of sweep results and code spaces (PNG, ScottPlot 5).</summary>
public static class ChartFigures
{
    private const int Width = 800;
    private const int Height = 550;

    /// <summary>
    /// Codes coloured by class, with a legend. Codes with more than two dimensions are shown on their first two
    /// principal components (axis labels say so).
    /// </summary>
    /// <param name="classNames">Legend text per label value; label numbers when null.</param>
    public static void SaveCodeScatter(string path, Tensor codes, Tensor labels, IReadOnlyList<string>? classNames, string title)
    {
        if (codes.dim() != 2 || codes.shape[0] != labels.shape[0])
            throw new ArgumentException($"Need [N, k] codes and [N] labels; got [{string.Join(", ", codes.shape)}] and [{string.Join(", ", labels.shape)}].");
        using var scope = NewDisposeScope();
        Tensor planar;
        string xLabel = "z1", yLabel = "z2";
        if (codes.shape[1] == 2)
            planar = codes;
        else if (codes.shape[1] == 1)
            throw new ArgumentException("A 1-D code space has no 2-D scatter.", nameof(codes));
        else
        {
            using var components = PrincipalComponents.Fit(codes, 2);
            planar = components.Project(codes);
            (xLabel, yLabel) = ("PC1 of codes", "PC2 of codes");
        }
        var xs = planar.select(1, 0).to_type(ScalarType.Float64).data<double>().ToArray();
        var ys = planar.select(1, 1).to_type(ScalarType.Float64).data<double>().ToArray();
        var classes = labels.data<long>().ToArray();

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (long label in classes.Distinct().Order())
        {
            var members = Enumerable.Range(0, classes.Length).Where(i => classes[i] == label).ToArray();
            var points = plot.Add.ScatterPoints(members.Select(i => xs[i]).ToArray(), members.Select(i => ys[i]).ToArray());
            points.Color = palette.GetColor((int)label).WithAlpha(0.6);
            points.MarkerSize = 4;
            points.LegendText = classNames is not null && label < classNames.Count ? classNames[(int)label] : label.ToString(CultureInfo.InvariantCulture);
        }
        plot.ShowLegend(Edge.Right);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        Save(plot, path, Width + 150, Height + 50);
    }

    /// <summary>One line per metric over epochs.</summary>
    /// <param name="metrics">Metric names to draw; every name found in the history when null.</param>
    public static void SaveLearningCurves(string path, IReadOnlyList<EpochReport> history, IReadOnlyList<string>? metrics, string title)
    {
        if (history.Count == 0) throw new ArgumentException("A learning curve needs at least one epoch.", nameof(history));
        var names = metrics ?? history.SelectMany(e => e.Metrics.Keys).Distinct().ToList();
        var series = names.Select(name =>
        {
            var epochs = history.Where(e => e.Metrics.ContainsKey(name)).OrderBy(e => e.Epoch).ToList();
            return new LineSeries(name, epochs.Select(e => (double)e.Epoch).ToList(), epochs.Select(e => e.Metrics[name]).ToList());
        }).Where(s => s.X.Count > 0).ToList();
        if (series.Count == 0)
            throw new ArgumentException($"None of the metrics {string.Join(", ", names)} appears in the history.", nameof(metrics));
        var plot = LinePlot(series, "epoch", "value", title);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        Save(plot, path, Width + 150, Height);
    }

    /// <summary>A line chart, e.g. a metric against latent_dim or noise level with one series per model kind.</summary>
    /// <param name="logTwoX">
    /// Space x by its base-2 logarithm, ticked at the data's x values: latent sizes 2, 4, 8, 32 read evenly rather than
    /// crowding at the left. Every x must be positive.
    /// </param>
    public static void SaveLineChart(string path, IReadOnlyList<LineSeries> series, string xLabel, string yLabel, string title, bool logTwoX = false)
    {
        if (!logTwoX)
        {
            Save(LinePlot(series, xLabel, yLabel, title), path, Width + 150, Height);
            return;
        }
        if (series.Any(s => s.X.Any(x => !(x > 0))))
            throw new ArgumentException("A base-2 logarithmic x axis needs positive x values.", nameof(series));
        var plot = LinePlot(series.Select(s => s with { X = s.X.Select(Math.Log2).ToList() }).ToList(), xLabel, yLabel, title);
        var ticks = series.SelectMany(s => s.X).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            ticks.Select(Math.Log2).ToArray(), ticks.Select(x => x.ToString("G4", CultureInfo.InvariantCulture)).ToArray());
        Save(plot, path, Width + 150, Height);
    }

    private static Plot LinePlot(IReadOnlyList<LineSeries> series, string xLabel, string yLabel, string title)
    {
        if (series.Count == 0) throw new ArgumentException("A line chart needs at least one series.", nameof(series));
        var plot = new Plot();
        // Colours by series index: error bars are plottables too, and would otherwise take palette colours from the lines.
        var palette = new ScottPlot.Palettes.Category10();
        for (int index = 0; index < series.Count; index++)
        {
            var line = series[index];
            if (line.X.Count != line.Y.Count)
                throw new ArgumentException($"Series '{line.Name}' has {line.X.Count} x values and {line.Y.Count} y values.", nameof(series));
            var scatter = plot.Add.Scatter(line.X.ToArray(), line.Y.ToArray());
            scatter.Color = palette.GetColor(index);
            scatter.LegendText = line.Name;
            scatter.MarkerSize = 6;
            scatter.LineWidth = 2;
            if (line.Spread is { } spread)
            {
                if (spread.Count != line.Y.Count)
                    throw new ArgumentException($"Series '{line.Name}' has {line.Y.Count} y values and {spread.Count} spreads.", nameof(series));
                plot.Add.ErrorBar(line.X.ToArray(), line.Y.ToArray(), spread.ToArray()).Color = scatter.Color;
            }
        }
        // Outside the data area, so the legend never hides the curves' ends.
        plot.ShowLegend(Edge.Right);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>
    /// One panel per swept parameter: the metric of every trial against that parameter's value, so the effect of
    /// each parameter can be read off at a glance. Each panel is titled with its parameter and labelled with the metric. Numeric parameters get a numeric axis; others (e.g. model) one
    /// slot per value, in order of first appearance.
    /// </summary>
    public static void SaveParameterPanels(string path, IReadOnlyList<TrialPoint> trials, string metricName)
    {
        if (trials.Count == 0) throw new ArgumentException("Parameter panels need at least one trial.", nameof(trials));
        var parameters = trials.SelectMany(t => t.Parameters.Keys).Distinct().ToList();
        if (parameters.Count == 0) throw new ArgumentException("The trials have no parameters to plot against.", nameof(trials));
        int columns = Math.Min(parameters.Count, 3);
        int rows = (parameters.Count + columns - 1) / columns;

        var multiplot = new Multiplot();
        multiplot.AddPlots(parameters.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        for (int p = 0; p < parameters.Count; p++)
        {
            var plot = multiplot.GetPlot(p);
            string parameter = parameters[p];
            var present = trials.Where(t => t.Parameters.ContainsKey(parameter)).ToList();
            var texts = present.Select(t => t.Parameters[parameter]).ToList();
            bool numeric = texts.All(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            double[] xs;
            if (numeric)
                xs = texts.Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            else
            {
                var slots = texts.Distinct().ToList();
                xs = texts.Select(t => (double)slots.IndexOf(t)).ToArray();
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                    Enumerable.Range(0, slots.Count).Select(i => (double)i).ToArray(), slots.ToArray());
                plot.Axes.SetLimitsX(-0.5, slots.Count - 0.5);
            }
            var points = plot.Add.ScatterPoints(xs, present.Select(t => t.Value).ToArray());
            points.MarkerSize = 7;
            plot.Title(parameter);
            plot.YLabel(metricName);
        }
        FigureFiles.EnsureFolder(path);
        multiplot.SavePng(path, columns * 380, rows * 320 + 10);
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        FigureFiles.EnsureFolder(path);
        plot.SavePng(path, width, height);
    }
}
