using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Serilog.Events;
using SweepRunner.Core.Specs;
using SweepRunner.Training.Data;
using SweepRunner.Workers.Execution;
using SweepRunner.Workers.Hosting;

namespace SweepRunner.Client.Cli;

/// <summary>A running cluster of silos to join: its Redis and its ids.</summary>
public sealed record RemoteCluster(string Redis, string ClusterId, string ServiceId);

/// <summary>
/// The cluster the command line talks to: a silo embedded in this process (it trains here; stopping the
/// process pauses the sweep) or a client of a running cluster (the sweep goes on without us).
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private readonly IHost _host;

    private ClusterConnection(IHost host, bool embedded)
    {
        _host = host;
        Embedded = embedded;
    }

    public bool Embedded { get; }
    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<ClusterConnection> EmbeddedAsync(RunFolder folder, SweepSpec spec, CancellationToken cancellation)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // A failing trial is reported on its progress line; its stack trace goes to the log file only.
        builder.UseSweepRunnerLogging(folder.LogFile, LogEventLevel.Error);
        var threads = spec.Resources.ThreadsPerTrial;
        var slots = new SlotOptions
        {
            ThreadsPerTrial = threads,
            Slots = Math.Min(spec.Resources.MaxConcurrentTrials, SlotOptions.DefaultSlots(threads)),
        };
        builder.UseOrleans(silo => silo.UseEmbeddedCluster(folder.Path).AddSweepRunnerWorkers(slots));
        var host = builder.Build();
        var warmUp = WarmUpDataAsync(spec);
        await host.StartAsync(cancellation);
        await warmUp;
        return new ClusterConnection(host, embedded: true);
    }

    /// <summary>
    /// Loads libtorch and the sweep's data set (into the process-wide cache the trials read) while the silo starts,
    /// on the other core, so the first epoch begins sooner. A failure is left for the first trial to report.
    /// </summary>
    private static Task WarmUpDataAsync(SweepSpec spec)
    {
        // Read off the spec, not a second plan of every trial (the coordinator makes the plan).
        var models = spec.Parameters.FirstOrDefault(p => p.Name == "model")?.Values;
        if (models is { Count: > 0 } && models.All(m => m.Text == "sleep")) return Task.CompletedTask;
        return Task.Run(() =>
        {
            try { DatasetLoader.Load(spec.Dataset, spec.Seed); }
            catch (Exception) { /* the first trial loads it again and reports what is wrong */ }
        });
    }

    public static async Task<ClusterConnection> RemoteAsync(RemoteCluster cluster, string? logFile, CancellationToken cancellation)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseSweepRunnerLogging(logFile, LogEventLevel.Error);
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = ClusterSettings.ParseRedis(cluster.Redis));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
        });
        var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
        }
        catch (Exception ex) when (!cancellation.IsCancellationRequested)
        {
            host.Dispose();
            throw new UsageException($"cannot join the cluster '{cluster.ClusterId}' through Redis at {cluster.Redis}: {ex.Message} " +
                                     "(is Redis up, and is at least one silo running? start one with `sweeprunner silo --redis ...`)");
        }
        return new ClusterConnection(host, embedded: false);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
