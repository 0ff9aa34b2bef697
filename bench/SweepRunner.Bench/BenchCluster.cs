using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Events;
using SweepRunner.Core.Grains;
using SweepRunner.Core.Specs;
using SweepRunner.Workers.Execution;
using SweepRunner.Workers.Hosting;

namespace SweepRunner.Bench;

/// <summary>
/// The embedded cluster `sweeprunner run` hosts (file grain storage, file checkpoints, training slots, the silo's
/// executors), in this process, driven the way the command drives it: start the coordinator, watch until done.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchCluster(IHost host) => _host = host;

    public static async Task<BenchCluster> StartAsync(string runFolder, int slots, int threadsPerTrial)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // Only errors on the console: it carries the harness's progress and table.
        builder.UseSweepRunnerLogging(Path.Combine(runFolder, "sweeprunner.log"), LogEventLevel.Error);
        builder.UseOrleans(silo => silo.UseEmbeddedCluster(runFolder)
            .AddSweepRunnerWorkers(new SlotOptions { Slots = slots, ThreadsPerTrial = threadsPerTrial }));
        var host = builder.Build();
        await host.StartAsync();
        return new BenchCluster(host);
    }

    /// <summary>Runs the sweep <paramref name="yaml"/> describes to its end; seconds from the coordinator's start to the last durable result.</summary>
    public async Task<(double Seconds, SweepStatus Status)> RunSweepAsync(string sweepId, string yaml, TimeSpan pollEvery)
    {
        var spec = SpecParser.Parse(yaml, sweepId + ".yaml").Spec;
        var coordinator = _host.Services.GetRequiredService<IClusterClient>().GetGrain<ISweepCoordinatorGrain>(sweepId);
        long start = Stopwatch.GetTimestamp();
        var status = await coordinator.Start(spec, yaml);
        while (status.State == SweepState.Running)
        {
            await Task.Delay(pollEvery);
            status = await coordinator.GetStatus();
        }
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, status);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
