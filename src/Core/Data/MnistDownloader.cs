using SweepRunner.Core.Specs;

namespace SweepRunner.Core.Data;

/// <summary>
/// Fetches the four MNIST <c>.gz</c> files that are missing from a folder, trying mirrors in order. Each file is
/// written to a temporary name, checked (gzip, IDX header, complete data) and only then renamed into place,
/// so an interrupted download never leaves a file that looks valid.
/// </summary>
public sealed class MnistDownloader(HttpClient http, IReadOnlyList<Uri>? mirrors = null)
{
    /// <summary>Public copies of the original MNIST files (folder URLs ending in '/').</summary>
    public static readonly IReadOnlyList<Uri> WellKnownMirrors =
    [
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        new("https://yann.lecun.com/exdb/mnist/"),
    ];

    public IReadOnlyList<Uri> Mirrors { get; } = mirrors ?? WellKnownMirrors;

    /// <summary>When the spec is <c>mnist</c> with <c>download: true</c>, downloads its missing files; otherwise does nothing.</summary>
    /// <returns>The paths written.</returns>
    public Task<IReadOnlyList<string>> EnsureAsync(DatasetSpec spec, CancellationToken ct) =>
        DatasetLocator.CanDownload(spec)
            ? EnsureFolderAsync(DatasetLocator.ResolveFolder(spec), ct)
            : Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>Downloads whichever of the four files are missing from <paramref name="folder"/> (created if needed).</summary>
    /// <returns>The paths written.</returns>
    /// <exception cref="IOException">No mirror delivered a valid copy of a file; the message lists what each mirror answered.</exception>
    public async Task<IReadOnlyList<string>> EnsureFolderAsync(string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var (name, kind) in DatasetLocator.Files)
        {
            if (DatasetLocator.FindFile(folder, name) is not null)
                continue;
            written.Add(await DownloadAsync(folder, name + ".gz", kind, ct));
        }
        return written;
    }

    private async Task<string> DownloadAsync(string folder, string fileName, IdxKind kind, CancellationToken ct)
    {
        string target = Path.Combine(folder, fileName);
        // Ends in .gz so that IdxFile checks it as the gzip file it must be.
        string temporary = Path.Combine(folder, $".{Guid.NewGuid():N}.{fileName}");
        var failures = new List<string>();
        foreach (var mirror in Mirrors)
        {
            var url = new Uri(mirror, fileName);
            try
            {
                using (var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct))
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        failures.Add($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                        continue;
                    }
                    await using var file = File.Create(temporary);
                    await response.Content.CopyToAsync(file, ct);
                }
                IdxFile.Verify(temporary, kind);
                File.Move(temporary, target, overwrite: false);
                return target;
            }
            catch (Exception e) when (e is HttpRequestException or InvalidDataException or IOException
                                      || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                failures.Add($"{url}: {e.Message}");
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        throw new IOException(
            $"Could not download {fileName} into {folder}: no mirror delivered a valid copy.{Environment.NewLine}  " +
            string.Join(Environment.NewLine + "  ", failures) +
            $"{Environment.NewLine}Put the MNIST files in {folder} by hand, or point dataset.path at a folder holding them.");
    }
}
