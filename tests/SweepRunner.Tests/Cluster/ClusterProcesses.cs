using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SweepRunner.Tests.Cluster;

internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitUntilOpen(int port, TimeSpan limit, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                throw new TimeoutException($"port {port} did not open within {limit}: {describe()}");
            }
        }
    }
}

/// <summary>A real redis-server on a free loopback port with its data (append-only file) in a temporary folder.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sweeprunner-redis-").FullName;
    private Process? _process;

    public int Port { get; } = FreePorts.Next();
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer();
        await server.StartProcessAsync();
        return server;
    }

    private async Task StartProcessAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _folder, "--appendonly", "yes", "--appendfsync", "always", "--save", ""])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start (is it installed? scripts/setup.sh --dev)");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        await FreePorts.WaitUntilOpen(Port, TimeSpan.FromSeconds(20), () => "redis-server");
    }

    /// <summary>Stops Redis the hard way and starts it again on the same port and data: what survives is what was on disk.</summary>
    public async Task RestartAsync()
    {
        _process!.Kill();
        await _process.WaitForExitAsync();
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>A silo as its own process (`sweeprunner silo`), as a user runs it on each machine.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _logFile;
    private readonly string _redis;
    private readonly int _slots;

    private SiloProcess(Process process, int siloPort, int gatewayPort, string logFile, string redis, int slots)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        _logFile = logFile;
        _redis = redis;
        _slots = slots;
    }

    public int SiloPort { get; }
    public int GatewayPort { get; }
    public bool Alive => !_process.HasExited;

    /// <summary>Whether an Orleans silo address (<c>127.0.0.1:PORT@GENERATION</c>) is this process.</summary>
    public bool Is(string? siloAddress) => siloAddress is not null && siloAddress.Contains($":{SiloPort}@", StringComparison.Ordinal);

    public string Log => File.Exists(_logFile) ? File.ReadAllText(_logFile) : "";

    public static Task<SiloProcess> StartAsync(string redis, string logFolder, int slots = 1) =>
        StartAsync(redis, FreePorts.Next(), FreePorts.Next(), Path.Combine(logFolder, $"silo-{Guid.NewGuid():N}.log"), slots);

    /// <summary>A new process on this one's ports, as when a machine's silo is started again after a crash.</summary>
    public Task<SiloProcess> StartAgainAsync() => StartAsync(_redis, SiloPort, GatewayPort, _logFile + ".again", _slots);

    private static async Task<SiloProcess> StartAsync(string redis, int siloPort, int gatewayPort, string logFile, int slots)
    {
        var client = Path.Combine(AppContext.BaseDirectory, "sweeprunner.dll");
        var process = Process.Start(new ProcessStartInfo("dotnet",
            [client, "silo", "--redis", redis, "--silo-port", siloPort.ToString(), "--gateway-port", gatewayPort.ToString(),
             "--slots", slots.ToString(), "--log", logFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, siloPort, gatewayPort, logFile, redis, slots);
        await FreePorts.WaitUntilOpen(gatewayPort, TimeSpan.FromSeconds(60), () => silo.Log);
        return silo;
    }

    /// <summary>SIGKILL: no goodbye to the cluster, as when a machine dies.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Alive) await KillAsync();
        _process.Dispose();
    }
}
