using System.Diagnostics;

namespace SweepRunner.Bench;

/// <summary>Starting this harness (or another .NET program) again as a child, and reading a process's peak memory.</summary>
internal static class ChildProcess
{
    /// <summary>This harness with <paramref name="arguments"/>, whether it runs from its apphost or through `dotnet`.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable runs the harness");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>This process's peak resident set (VmHWM in /proc/self/status), in bytes.</summary>
    public static long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
        throw new InvalidOperationException("/proc/self/status has no VmHWM line");
    }
}
