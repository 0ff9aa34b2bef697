using SweepRunner.Client.Cli;
using SweepRunner.Client.Output;

namespace SweepRunner.Tests.Cli;

/// <summary>Runs the `sweeprunner` command line in this process with plain progress, capturing what it prints.</summary>
internal static class InProcessCli
{
    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await new SweepRunnerCli(output, errors, shown => new PlainProgressView(output, shown)).InvokeAsync(args);
        return (code, output.ToString(), errors.ToString());
    }
}
