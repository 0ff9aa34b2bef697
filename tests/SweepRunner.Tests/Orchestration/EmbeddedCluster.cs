using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweepRunner.Core.Grains;
using SweepRunner.Workers.Execution;
using SweepRunner.Workers.Hosting;

namespace SweepRunner.Tests.Orchestration;

/// <summary>The embedded single-process cluster `sweeprunner run` uses, with the trial executor swapped for a test's.</summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedCluster(IHost host) => _host = host;

    public static async Task<EmbeddedCluster> StartAsync(string runFolder, ITrialExecutor executor, int slots = 2)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseSweepRunnerLogging(logFile: null, Serilog.Events.LogEventLevel.Error);
        builder.UseOrleans(silo =>
        {
            silo.UseEmbeddedCluster(runFolder).AddSweepRunnerWorkers(new SlotOptions { Slots = slots });
            silo.Services.AddSingleton(executor);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new EmbeddedCluster(host);
    }

    public ISweepCoordinatorGrain Coordinator(string sweepId) =>
        _host.Services.GetRequiredService<IClusterClient>().GetGrain<ISweepCoordinatorGrain>(sweepId);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
