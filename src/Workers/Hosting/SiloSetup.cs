using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Serilog;
using Serilog.Events;
using SweepRunner.Workers.Checkpoints;
using SweepRunner.Workers.Execution;
using SweepRunner.Workers.Grains;
using SweepRunner.Workers.Storage;

namespace SweepRunner.Workers.Hosting;

/// <summary>What every silo role shares: grains, training slots, the trial executor.</summary>
public static class SiloSetup
{
    public static ISiloBuilder AddSweepRunnerWorkers(this ISiloBuilder silo, SlotOptions training)
    {
        silo.Services.AddSingleton(training);
        silo.Services.AddSingleton<TrainingSlots>();
        silo.Services.AddSingleton<TorchTrialExecutor>();
        silo.Services.AddSingleton<SleepTrialExecutor>();
        silo.Services.AddSingleton<ITrialExecutor, ModelKindExecutor>();
        return silo;
    }

    /// <summary>
    /// The single-process cluster behind <c>sweeprunner run</c>: localhost clustering on free ports (so several
    /// runs can share a machine), grain state and checkpoints in files under <paramref name="runFolder"/>.
    /// </summary>
    public static ISiloBuilder UseEmbeddedCluster(this ISiloBuilder silo, string runFolder)
    {
        silo.UseLocalhostClustering(siloPort: FreeTcpPort(), gatewayPort: FreeTcpPort(), serviceId: "sweeprunner", clusterId: "embedded");
        silo.Services.AddGrainStorage(StorageNames.Sweeps, (services, _) => new FileGrainStorage(Path.Combine(runFolder, "state"), services.GetRequiredService<Serializer>()));
        silo.Services.AddSingleton<ITrialJournal>(services => new FileTrialJournal(Path.Combine(runFolder, "state"), services.GetRequiredService<Serializer>()));
        silo.Services.AddSingleton<ICheckpointStore>(new FileCheckpointStore(Path.Combine(runFolder, "checkpoints")));
        // Reminders wake coordinators; in one process a resume activates them anyway, so memory is enough.
        silo.UseInMemoryReminderService();
        return silo;
    }

    /// <summary>
    /// Serilog: everything to <paramref name="logFile"/>; to stderr (stdout is the user's) from <paramref name="consoleLevel"/>
    /// up, and of Orleans' own only errors, since its start-up advice (server GC, watchdog notes) is noise to a user.
    /// </summary>
    public static IHostApplicationBuilder UseSweepRunnerLogging(this IHostApplicationBuilder host, string? logFile, LogEventLevel consoleLevel = LogEventLevel.Warning)
    {
        host.Services.AddSerilog(config =>
        {
            config.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
                // Orleans' placement retries log every grain placement through Polly at Information: a line per trial.
                .MinimumLevel.Override("Polly", LogEventLevel.Warning)
                .WriteTo.Logger(console => console
                    .Filter.ByExcluding(e => e.Level < LogEventLevel.Error && IsFromOrleans(e))
                    .WriteTo.Console(restrictedToMinimumLevel: consoleLevel, standardErrorFromLevel: LogEventLevel.Verbose));
            if (logFile is not null) config.WriteTo.File(logFile, shared: true);
        });
        return host;
    }

    private static bool IsFromOrleans(LogEvent e) =>
        e.Properties.TryGetValue("SourceContext", out var source) && source.ToString().StartsWith("\"Orleans", StringComparison.Ordinal);

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
