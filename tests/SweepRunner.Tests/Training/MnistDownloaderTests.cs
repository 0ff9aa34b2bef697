using System.Net;
using System.Net.Sockets;
using SweepRunner.Core.Data;
using SweepRunner.Core.Specs;
using Xunit;

namespace SweepRunner.Tests.Training;

/// <summary>Downloads from a loopback HttpListener standing in for the MNIST mirrors.</summary>
public sealed class MnistDownloaderTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly HttpListener listener = new();
    private readonly Dictionary<string, byte[]> served = [];
    private readonly List<string> requested = [];
    private readonly Uri root;

    public MnistDownloaderTests()
    {
        int port = FreePort();
        root = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(root.ToString());
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        listener.Close();
        temp.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            string path = context.Request.Url!.AbsolutePath;
            lock (requested) requested.Add(path);
            if (served.TryGetValue(path, out var body))
            {
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
            context.Response.Close();
        }
    }

    private void Serve(string mirror, string name, byte[] idxBytes) => served[$"/{mirror}/{name}.gz"] = IdxTestFiles.Gzip(idxBytes);

    private void ServeDataset(string mirror)
    {
        Serve(mirror, DatasetLocator.TrainImagesName, IdxTestFiles.ImageBytes(10, 4, 4));
        Serve(mirror, DatasetLocator.TrainLabelsName, IdxTestFiles.LabelBytes(10));
        Serve(mirror, DatasetLocator.TestImagesName, IdxTestFiles.ImageBytes(3, 4, 4));
        Serve(mirror, DatasetLocator.TestLabelsName, IdxTestFiles.LabelBytes(3));
    }

    private MnistDownloader Downloader(HttpClient http, params string[] mirrors) =>
        new(http, mirrors.Select(m => new Uri(root, m + "/")).ToList());

    [Fact]
    public async Task DownloadsMissingFilesFallingBackToTheNextMirror()
    {
        ServeDataset("good");
        // The first mirror serves a damaged copy of one file and nothing else.
        served["/bad/" + DatasetLocator.TrainImagesName + ".gz"] = "<html>moved</html>"u8.ToArray();
        string folder = temp.File("mnist");
        Directory.CreateDirectory(folder);
        IdxTestFiles.Write(Path.Combine(folder, DatasetLocator.TestLabelsName), IdxTestFiles.LabelBytes(3));
        using var http = new HttpClient();
        var spec = new DatasetSpec { Name = DatasetLocator.Mnist, Path = folder, Download = true };

        var written = await Downloader(http, "bad", "good").EnsureAsync(spec, CancellationToken.None);

        Assert.Equal(3, written.Count);
        Assert.DoesNotContain(requested, r => r.Contains(DatasetLocator.TestLabelsName));
        Assert.Empty(DatasetLocator.Check(spec with { Download = false }));
        Assert.Equal(4, Directory.GetFiles(folder).Length); // no temporary files left behind
    }

    [Fact]
    public async Task NoMirrorAnsweringGivesAClearError()
    {
        string folder = temp.File("mnist");
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<IOException>(() =>
            Downloader(http, "a", "b").EnsureFolderAsync(folder, CancellationToken.None));

        Assert.Contains("no mirror delivered a valid copy", error.Message);
        Assert.Contains("/a/" + DatasetLocator.TrainImagesName + ".gz: HTTP 404", error.Message);
        Assert.Contains("/b/", error.Message);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task DoesNothingUnlessDownloadIsAllowed()
    {
        using var http = new HttpClient();
        var spec = new DatasetSpec { Name = DatasetLocator.Mnist, Path = temp.File("mnist") };

        Assert.Empty(await Downloader(http, "a").EnsureAsync(spec, CancellationToken.None));
        Assert.Empty(requested);
    }
}
