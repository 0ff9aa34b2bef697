using System.Globalization;
using StackExchange.Redis;
using SweepRunner.Workers.Execution;

namespace SweepRunner.Workers.Hosting;

/// <summary>
/// How a silo of a real cluster is set up. Read from configuration section <c>SweepRunner</c>: appsettings.json,
/// environment variables (<c>SweepRunner__Redis=...</c>) and command-line flags (<see cref="Flags"/>), later ones winning.
/// </summary>
public sealed record ClusterSettings
{
    public const string Section = "SweepRunner";

    /// <summary>Redis holding membership, grain state, reminders and (by default) checkpoints: <c>host:port</c> or <c>redis://host:port</c>.</summary>
    public string Redis { get; init; } = "127.0.0.1:6379";
    public string ClusterId { get; init; } = "sweeprunner";
    public string ServiceId { get; init; } = "sweeprunner";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;
    /// <summary>The address other silos and clients use to reach this one. The silo binds to it, so the default keeps it on loopback.</summary>
    public string AdvertisedAddress { get; init; } = "127.0.0.1";
    /// <summary>Bind to every interface (e.g. in a container) while still advertising <see cref="AdvertisedAddress"/>.</summary>
    public bool ListenOnAnyAddress { get; init; }
    /// <summary>Trials this silo trains at once; 0 means cores / threads_per_trial.</summary>
    public int Slots { get; init; }
    public int ThreadsPerTrial { get; init; } = 1;
    /// <summary><c>redis</c> (default) or a folder every silo mounts.</summary>
    public string Checkpoints { get; init; } = "redis";
    /// <summary>How long a silo has to answer a membership probe; three missed probes (and a second silo's vote) declare it dead.</summary>
    public double ProbeTimeoutSeconds { get; init; } = 2;
    public string? LogFile { get; init; }

    /// <summary>The command-line flags and the setting each one sets: the one definition both silo launchers use.</summary>
    public static readonly IReadOnlyList<(string Flag, string Key, string Description)> Flags =
    [
        ("--redis", nameof(Redis), "Redis for membership, state, reminders and checkpoints (host:port or redis://host:port; default 127.0.0.1:6379)"),
        ("--cluster-id", nameof(ClusterId), "Orleans cluster id (default sweeprunner)"),
        ("--service-id", nameof(ServiceId), "Orleans service id (default sweeprunner)"),
        ("--silo-port", nameof(SiloPort), "port for silo-to-silo traffic (default 11111)"),
        ("--gateway-port", nameof(GatewayPort), "port clients connect to (default 30000)"),
        ("--advertised-address", nameof(AdvertisedAddress), "IP or host name others reach this silo at; it binds there (default 127.0.0.1: loopback only)"),
        ("--listen-any", nameof(ListenOnAnyAddress), "true: bind every interface (containers); still advertise --advertised-address"),
        ("--slots", nameof(Slots), "trials trained at once (default cores / threads-per-trial)"),
        ("--threads-per-trial", nameof(ThreadsPerTrial), "torch threads per trial, process-wide (default 1)"),
        ("--checkpoints", nameof(Checkpoints), "'redis' (default) or a folder every silo can reach"),
        ("--probe-timeout", nameof(ProbeTimeoutSeconds), "membership probe timeout in seconds (default 2)"),
        ("--log", nameof(LogFile), "also write the log to this file"),
    ];

    public static Dictionary<string, string> SwitchMappings() =>
        Flags.ToDictionary(f => f.Flag, f => $"{Section}:{f.Key}");

    public SlotOptions ToSlotOptions() => new()
    {
        ThreadsPerTrial = ThreadsPerTrial,
        Slots = Slots > 0 ? Slots : SlotOptions.DefaultSlots(ThreadsPerTrial),
    };

    public ConfigurationOptions RedisOptions() => ParseRedis(Redis);

    /// <summary>Accepts <c>host:port</c>, <c>redis://host:port</c> or a full StackExchange.Redis configuration string.</summary>
    public static ConfigurationOptions ParseRedis(string redis)
    {
        var text = redis.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) ? redis["redis://".Length..].TrimEnd('/') : redis;
        var options = ConfigurationOptions.Parse(text);
        options.AbortOnConnectFail = false;
        return options;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"redis {Redis}, cluster {ClusterId}/{ServiceId}, silo port {SiloPort}, gateway port {GatewayPort}, advertised {AdvertisedAddress}{(ListenOnAnyAddress ? " (listening on all)" : "")}, checkpoints {Checkpoints}");
}
