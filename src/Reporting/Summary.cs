using SweepRunner.Analysis.Figures;

namespace SweepRunner.Reporting;

/// <summary>Mean and sample standard deviation of one measurement over the trials that share a configuration.</summary>
public sealed record Summary(double Mean, double Spread, int Count)
{
    /// <summary>The summary of the finite values, or null when there are none.</summary>
    public static Summary? Of(IEnumerable<double?> values)
    {
        var finite = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return finite.Count == 0 ? null : new Summary(finite.Average(), LineSeries.StandardDeviation(finite), finite.Count);
    }

    /// <summary>The metric over the trials, or null when none measured it.</summary>
    public static Summary? Of(IEnumerable<TrialView> trials, string metric) => Of(trials.Select(t => t.Metric(metric)));

    /// <summary>
    /// <c>0.0213 ± 0.0004</c>; the spread is left out when there is a single value or the values agree to rounding
    /// (e.g. the PSNR of the same noisy test images, measured again by every trial).
    /// </summary>
    public override string ToString() =>
        Count > 1 && Spread > NegligibleSpread * Math.Max(1, Math.Abs(Mean)) ? $"{Numbers.Format(Mean)} ± {Numbers.Format(Spread)}" : Numbers.Format(Mean);

    private const double NegligibleSpread = 1e-9;
}

/// <summary>Comparisons worded from the numbers: which is lower or higher, and by how much.</summary>
public static class Phrases
{
    /// <summary>"lower by 12.3%" / "higher by 4.0%" / "equal": <paramref name="value"/> relative to <paramref name="reference"/>.</summary>
    public static string Relation(double value, double reference)
    {
        if (value == reference) return "equal";
        var word = value < reference ? "lower" : "higher";
        return reference == 0 ? word : $"{word} by {Numbers.Percent(Math.Abs(value - reference) / Math.Abs(reference))}";
    }

    /// <summary>"lower by 1.23 dB" style, for quantities compared by difference (decibels, accuracies).</summary>
    public static string Difference(double value, double reference, string unit)
    {
        if (value == reference) return "equal";
        var word = value < reference ? "lower" : "higher";
        return $"{word} by {Numbers.Format(Math.Abs(value - reference))}{unit}";
    }

    /// <summary>"2.5×": how many times the reference a value is.</summary>
    public static string Ratio(double value, double reference) =>
        reference == 0 ? "n/a" : Numbers.Format(value / reference) + "×";

    public static string Cell(Summary? summary) => summary?.ToString() ?? "–";
}
