namespace SweepRunner.Workers.Checkpoints;

/// <summary>
/// Where trials keep their latest checkpoint (model and optimizer state after an epoch) so that another attempt,
/// on this silo or another, resumes instead of starting over. Called from training-slot threads, so synchronous.
/// </summary>
public interface ICheckpointStore
{
    byte[]? Load(string key);
    /// <summary>Replaces the key's checkpoint atomically: a reader sees the old one or the new one, never a mix.</summary>
    void Save(string key, byte[] checkpoint);
    void Delete(string key);
}
