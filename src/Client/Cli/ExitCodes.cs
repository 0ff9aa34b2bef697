namespace SweepRunner.Client.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Anything that is not the user's input: a crash, an interrupted run, a sweep where no trial completed.</summary>
    public const int Failure = 1;
    /// <summary>A spec, data set, folder or option that cannot be used. Nothing has been written.</summary>
    public const int InvalidInput = 2;
}
