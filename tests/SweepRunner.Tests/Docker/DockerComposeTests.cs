using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace SweepRunner.Tests.Docker;

/// <summary>
/// No Docker engine runs here, so the compose file is checked the way the engine would read it:
/// `docker compose config` (the plugin scripts/setup.sh --dev installs) must accept it, with the services we promise.
/// </summary>
public sealed class DockerComposeTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SweepRunner.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("no SweepRunner.sln above the test binaries");
    }

    [Fact]
    public async Task The_compose_file_is_valid_and_runs_redis_three_silos_and_a_client()
    {
        var root = RepositoryRoot();
        using var process = Process.Start(new ProcessStartInfo("docker", ["compose", "-f", Path.Combine(root, "docker", "docker-compose.yml"), "config", "--format", "json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var json = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"docker compose config failed: {errors}");

        var services = JsonDocument.Parse(json).RootElement.GetProperty("services");
        Assert.Equal(["client", "redis", "silo1", "silo2", "silo3"], services.EnumerateObject().Select(s => s.Name).Order());
        foreach (var silo in new[] { "silo1", "silo2", "silo3" })
        {
            var command = services.GetProperty(silo).GetProperty("command").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Equal("silo", command[0]);
            Assert.Equal("redis:6379", command[command.IndexOf("--redis") + 1]);
            Assert.Equal(silo, command[command.IndexOf("--advertised-address") + 1]);
        }
        var client = services.GetProperty("client").GetProperty("command").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(["run", "sweeps/quickstart.yaml", "--cluster", "redis://redis:6379"], client.Take(4));
        Assert.True(File.Exists(Path.Combine(root, "docker", "Dockerfile")));
    }
}
