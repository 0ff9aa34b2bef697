using SweepRunner.Core.Data;

namespace SweepRunner.Core.Specs;

/// <summary>A spec checked end to end before anything runs: the YAML itself, then the data set it names.</summary>
public static class SpecLoader
{
    /// <summary>
    /// Parses <paramref name="path"/> and checks its data set's files, reporting data problems at the spec key
    /// they come from. With <paramref name="download"/>, a missing MNIST allowed by <c>download: true</c> is
    /// fetched first (into the data folder, never the run folder).
    /// </summary>
    public static async Task<SpecDocument> LoadAsync(string path, bool download, CancellationToken cancellation)
    {
        var document = SpecParser.Load(path);
        var dataset = document.Spec.Dataset;
        if (download && DatasetLocator.CanDownload(dataset))
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            try
            {
                await new MnistDownloader(http).EnsureAsync(dataset, cancellation);
            }
            catch (IOException ex)
            {
                throw new SpecException(document.ErrorAt("dataset.download", ex.Message));
            }
        }
        var problems = DatasetLocator.Check(dataset);
        if (problems.Count > 0)
            throw new SpecException(problems.Select(p => document.ErrorAt(p.Key, p.Message)).ToList());
        return document;
    }
}
