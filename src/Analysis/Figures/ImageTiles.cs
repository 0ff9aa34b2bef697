using static TorchSharp.torch;

namespace SweepRunner.Analysis.Figures;

/// <summary>Lays flattened images out as one intensity matrix (row 0 at the top), with a gap between tiles.</summary>
internal static class ImageTiles
{
    /// <summary>The value of the gaps: mid grey, so both dark and light tiles stand out.</summary>
    public const double GapValue = 0.5;

    /// <summary>Pixels between neighbouring tiles unless a caller asks otherwise.</summary>
    public const int DefaultGap = 2;

    /// <param name="rows">Each entry is one row of the layout: [n, height*width] images in 0..1 (n may differ; missing tiles stay gap).</param>
    public static double[,] Compose(IReadOnlyList<Tensor> rows, int height, int width, int gap = DefaultGap)
    {
        int columns = rows.Max(r => (int)r.shape[0]);
        var matrix = new double[rows.Count * (height + gap) - gap, columns * (width + gap) - gap];
        for (int y = 0; y < matrix.GetLength(0); y++)
            for (int x = 0; x < matrix.GetLength(1); x++)
                matrix[y, x] = GapValue;
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].shape[1] != height * width)
                throw new ArgumentException($"Row {r} holds images of {rows[r].shape[1]} pixels; expected {height}x{width}.");
            var pixels = rows[r].to_type(ScalarType.Float32).clamp(0, 1).contiguous().data<float>().ToArray();
            for (int tile = 0; tile < rows[r].shape[0]; tile++)
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                        matrix[r * (height + gap) + y, tile * (width + gap) + x] = pixels[(tile * height + y) * width + x];
        }
        return matrix;
    }

    /// <summary>Splits [n, pixels] into rows of <paramref name="columns"/> images for <see cref="Compose"/>.</summary>
    public static IReadOnlyList<Tensor> Wrap(Tensor images, int columns)
    {
        var rows = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += columns)
            rows.Add(images.narrow(0, start, Math.Min(columns, images.shape[0] - start)));
        return rows;
    }
}
