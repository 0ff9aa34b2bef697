using System.Diagnostics;

namespace SweepRunner.Bench;

/// <summary>Repetition and medians: these machines are shared and noisy, so one timing is never quoted alone.</summary>
internal static class Statistics
{
    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Seconds <paramref name="action"/> takes: <paramref name="warmUps"/> untimed runs, then the median of <paramref name="runs"/>.</summary>
    public static double MedianSeconds(int warmUps, int runs, Action action)
    {
        for (int i = 0; i < warmUps; i++) action();
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return Median(times);
    }
}
