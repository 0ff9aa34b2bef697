namespace SweepRunner.Core.Grains;

/// <summary>
/// One per silo (key: the silo's address), placed on that silo: tells coordinators how many training slots
/// the silo has and how many are taken, so trials go where there is room.
/// </summary>
public interface ISiloSlotsGrain : IGrainWithStringKey
{
    Task<SiloSlots> Get();
}

[GenerateSerializer, Immutable]
public sealed record SiloSlots(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] int Slots,
    [property: Id(2)] int Busy,
    [property: Id(3)] int Queued)
{
    public int Free => Math.Max(0, Slots - Busy - Queued);
}
