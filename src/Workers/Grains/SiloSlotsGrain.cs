using SweepRunner.Core.Grains;
using SweepRunner.Workers.Execution;

namespace SweepRunner.Workers.Grains;

/// <summary>Answers for the training slots of the silo it lives on (it is placed there by a placement hint).</summary>
public sealed class SiloSlotsGrain(TrainingSlots slots, ILocalSiloDetails local) : Grain, ISiloSlotsGrain
{
    public Task<SiloSlots> Get() => Task.FromResult(new SiloSlots(local.SiloAddress, slots.Count, slots.Busy, slots.Queued));
}
