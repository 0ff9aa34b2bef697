using StackExchange.Redis;

namespace SweepRunner.Workers.Checkpoints;

/// <summary>Checkpoints in Redis, which every silo of a cluster already reaches. A SET replaces a value atomically.</summary>
public sealed class RedisCheckpointStore(IConnectionMultiplexer redis) : ICheckpointStore
{
    private const string Prefix = "sweeprunner:checkpoint:";

    public byte[]? Load(string key) => redis.GetDatabase().StringGet(Prefix + key);

    public void Save(string key, byte[] checkpoint) => redis.GetDatabase().StringSet(Prefix + key, checkpoint);

    public void Delete(string key) => redis.GetDatabase().KeyDelete(Prefix + key);
}
