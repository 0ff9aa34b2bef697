using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Serilog.Events;
using StackExchange.Redis;
using SweepRunner.Workers.Checkpoints;
using SweepRunner.Workers.Grains;

namespace SweepRunner.Workers.Hosting;

/// <summary>A silo of a real cluster: membership, grain state, reminders and checkpoints in Redis.</summary>
public static class ClusterSilo
{
    /// <summary>Settings from appsettings.json beside the program, environment variables and <paramref name="args"/> (flags of <see cref="ClusterSettings.Flags"/>).</summary>
    public static ClusterSettings ReadSettings(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args, ClusterSettings.SwitchMappings())
            .Build();
        return configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
    }

    public static IHost Build(ClusterSettings settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseSweepRunnerLogging(settings.LogFile, LogEventLevel.Information);
        builder.UseOrleans(silo => silo.UseRedisCluster(settings).AddSweepRunnerWorkers(settings.ToSlotOptions()));
        return builder.Build();
    }

    /// <summary>An IP address as given, or a host name (a compose service, say) resolved to its first IPv4 address.</summary>
    public static IPAddress ResolveAdvertisedAddress(string address) =>
        IPAddress.TryParse(address, out var ip) ? ip
        : Dns.GetHostAddresses(address).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
          ?? throw new ArgumentException($"advertised address '{address}' resolves to no IPv4 address");

    public static ISiloBuilder UseRedisCluster(this ISiloBuilder silo, ClusterSettings settings)
    {
        var redis = settings.RedisOptions();
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        silo.ConfigureEndpoints(ResolveAdvertisedAddress(settings.AdvertisedAddress), settings.SiloPort, settings.GatewayPort, settings.ListenOnAnyAddress);
        silo.UseRedisClustering(o => o.ConfigurationOptions = redis);
        // The default directory can briefly hold two activations of one grain while membership changes after a
        // silo dies; two coordinators of one sweep would dispatch twice. This directory keeps one.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10; the failover tests exercise it
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        silo.AddRedisGrainStorage(StorageNames.Sweeps, o => o.ConfigurationOptions = redis);
        silo.UseRedisReminderService(o => o.ConfigurationOptions = redis);
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // Training fills every core, but on its own threads: probes are still answered in milliseconds, so a
            // short probe timeout detects a dead silo quickly without declaring a busy one dead.
            o.ProbeTimeout = TimeSpan.FromSeconds(settings.ProbeTimeoutSeconds);
            o.NumMissedProbesLimit = 3;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
        });
        if (settings.Checkpoints.Equals("redis", StringComparison.OrdinalIgnoreCase))
        {
            silo.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
            silo.Services.AddSingleton<ICheckpointStore, RedisCheckpointStore>();
        }
        else
        {
            silo.Services.AddSingleton<ICheckpointStore>(new FileCheckpointStore(settings.Checkpoints));
        }
        return silo;
    }
}
