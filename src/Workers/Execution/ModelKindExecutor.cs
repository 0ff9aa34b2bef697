using SweepRunner.Core.Trials;

namespace SweepRunner.Workers.Execution;

/// <summary>The silo's executor: sleep trials go to the <see cref="SleepTrialExecutor"/>, every model that trains to TorchSharp.</summary>
public sealed class ModelKindExecutor(TorchTrialExecutor torch, SleepTrialExecutor sleep) : ITrialExecutor
{
    public TrialOutcome Execute(TrialRun run, CancellationToken cancellation) =>
        run.Config.Model == ModelKind.Sleep ? sleep.Execute(run, cancellation) : torch.Execute(run, cancellation);
}
