using ScottPlot;
using SweepRunner.Analysis.Metrics;
using SweepRunner.Training.Models;
using static TorchSharp.torch;

namespace SweepRunner.Analysis.Figures;

/// <summary>One labelled row of an image grid: [n, pixels] images in 0..1.</summary>
public sealed record ImageRow(string Label, Tensor Images);

/// <summary>Greyscale image figures: comparison grids, sample grids and the decoded manifold of a 2-D code space.</summary>
public static class ImageFigures
{
    private const int PixelsPerImagePixel = 3;

    /// <summary>
    /// Rows of images with their labels on the left, e.g. test images / noisy inputs / reconstructions, so each
    /// column shows one image through the pipeline.
    /// </summary>
    public static void SaveComparisonGrid(string path, IReadOnlyList<ImageRow> rows, int height, int width, string title)
    {
        if (rows.Count == 0) throw new ArgumentException("An image grid needs at least one row.", nameof(rows));
        var matrix = ImageTiles.Compose(rows.Select(r => r.Images).ToList(), height, width);
        var plot = ImagePlot(matrix, title, new CoordinateRect(0, matrix.GetLength(1), 0, matrix.GetLength(0)));
        // Heatmap y grows upwards while row 0 of the matrix is drawn at the top: row r's centre is counted from the top.
        int rowPitch = height + ImageTiles.DefaultGap;
        double[] centres = Enumerable.Range(0, rows.Count).Select(r => matrix.GetLength(0) - (r * rowPitch + height / 2.0)).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centres, rows.Select(r => r.Label).ToArray());
        plot.Axes.Left.IsVisible = true;
        SaveSized(plot, path, matrix, labelMargin: 130);
    }

    /// <summary>Generated (or any) images in a grid of <paramref name="columns"/> columns.</summary>
    public static void SaveSampleGrid(string path, Tensor images, int height, int width, int columns, string title)
    {
        var matrix = ImageTiles.Compose(ImageTiles.Wrap(images, columns), height, width);
        var plot = ImagePlot(matrix, title, new CoordinateRect(0, matrix.GetLength(1), 0, matrix.GetLength(0)));
        SaveSized(plot, path, matrix, labelMargin: 0);
    }

    /// <summary>
    /// Decodes a <paramref name="steps"/> x <paramref name="steps"/> grid of 2-D codes spanning
    /// [<paramref name="min"/>, <paramref name="max"/>] in both coordinates and shows the images where their codes are:
    /// the axes are the code coordinates (z1 across, z2 upwards).
    /// </summary>
    public static void SaveManifold(string path, IAutoencoder model, int height, int width, double min, double max, int steps, string title)
    {
        if (model.LatentDim != 2)
            throw new ArgumentException($"The manifold figure needs a 2-D code space; this {model.Kind} model has {model.LatentDim}.", nameof(model));
        if (steps < 2 || !(max > min)) throw new ArgumentException("Need steps >= 2 and max > min for the manifold grid.");
        using var scope = NewDisposeScope();
        var values = linspace(min, max, steps);
        // Top row of the figure = largest z2, so the picture reads like the code-space scatter.
        var rows = new List<Tensor>();
        for (int row = 0; row < steps; row++)
        {
            var z2 = full([steps], values[steps - 1 - row].item<float>());
            rows.Add(Batched.Decode(model, stack([values, z2], 1)));
        }
        var matrix = ImageTiles.Compose(rows, height, width, gap: 0);
        double half = (max - min) / (steps - 1) / 2;
        var plot = ImagePlot(matrix, title, new CoordinateRect(min - half, max + half, min - half, max + half));
        plot.Axes.Left.IsVisible = true;
        plot.Axes.Bottom.IsVisible = true;
        plot.XLabel("z1");
        plot.YLabel("z2");
        SaveSized(plot, path, matrix, labelMargin: 90);
    }

    private static Plot ImagePlot(double[,] matrix, string title, CoordinateRect extent)
    {
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(matrix);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.Extent = extent;
        plot.Axes.SetLimits(extent.Left, extent.Right, extent.Bottom, extent.Top);
        plot.Axes.Left.IsVisible = false;
        plot.Axes.Bottom.IsVisible = false;
        plot.Axes.Right.IsVisible = false;
        plot.Axes.Top.IsVisible = true;
        plot.HideGrid();
        plot.Title(title);
        return plot;
    }

    /// <summary>Sizes the PNG so every image pixel is a square block of screen pixels, plus fixed margins for title and labels.</summary>
    private static void SaveSized(Plot plot, string path, double[,] matrix, int labelMargin)
    {
        const int top = 50, right = 20;
        int left = labelMargin + 20;
        int bottom = plot.Axes.Bottom.IsVisible ? 60 : 10;
        plot.Layout.Fixed(new PixelPadding(left, right, bottom, top));
        FigureFiles.EnsureFolder(path);
        plot.SavePng(path, matrix.GetLength(1) * PixelsPerImagePixel + left + right, matrix.GetLength(0) * PixelsPerImagePixel + top + bottom);
    }
}
