using Microsoft.Extensions.Hosting;
using SweepRunner.Workers.Hosting;

// A cluster silo on its own, configured by appsettings.json, SweepRunner__* environment variables and flags
// (`--redis host:port --slots 2 ...`; `sweeprunner silo --help` lists them).
var settings = ClusterSilo.ReadSettings(args);
using var host = ClusterSilo.Build(settings);
await host.RunAsync();
