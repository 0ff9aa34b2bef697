using System.Text;
using SweepRunner.Core.Trials;
using SweepRunner.Training.Models;
using SweepRunner.Training.Optimisation;

namespace SweepRunner.Training;

/// <summary>
/// The state of a trial after <see cref="Epoch"/> epochs, serialised: model weights, Adam state, elapsed seconds and
/// the epoch history. Random state needs no saving: every epoch reseeds its shuffle and noise from (seed, epoch).
/// </summary>
public sealed record TrialCheckpoint(int Epoch, byte[] Data);

/// <summary>The checkpoint byte format: a header, the history, then TorchSharp's own module and optimizer formats.</summary>
internal static class CheckpointFormat
{
    private const string Magic = "SweepRunner.TrialCheckpoint";
    private const int Version = 2;

    public sealed record Progress(int EpochsDone, double Seconds, List<EpochReport> History);

    public static byte[] Write(TrialConfig config, Progress progress, AutoencoderModel model, FusedAdam optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(Fingerprint(config));
            writer.Write(progress.EpochsDone);
            writer.Write(progress.Seconds);
            writer.Write(progress.History.Count);
            foreach (var report in progress.History)
            {
                writer.Write(report.Epoch);
                writer.Write(report.Seconds);
                writer.Write(report.Metrics.Count);
                foreach (var (name, value) in report.Metrics)
                {
                    writer.Write(name);
                    writer.Write(value);
                }
            }
            model.save(writer);
            optimizer.Save(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>Loads the model and optimizer state in place and returns the progress.</summary>
    /// <exception cref="InvalidDataException">Not a checkpoint, or one made for another configuration.</exception>
    public static Progress Read(byte[] data, TrialConfig config, AutoencoderModel model, FusedAdam optimizer)
    {
        using var reader = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
        try
        {
            if (reader.ReadString() != Magic || reader.ReadInt32() != Version)
                throw new InvalidDataException("checkpoint: not a SweepRunner trial checkpoint of this version.");
            string fingerprint = reader.ReadString();
            if (fingerprint != Fingerprint(config))
                throw new InvalidDataException(
                    $"checkpoint: made for configuration '{fingerprint}', cannot resume '{Fingerprint(config)}'.");
            int epochsDone = reader.ReadInt32();
            double seconds = reader.ReadDouble();
            var history = new List<EpochReport>();
            for (int count = reader.ReadInt32(), i = 0; i < count; i++)
            {
                int epoch = reader.ReadInt32();
                double reportSeconds = reader.ReadDouble();
                var metrics = new Dictionary<string, double>();
                for (int metricCount = reader.ReadInt32(), m = 0; m < metricCount; m++)
                    metrics[reader.ReadString()] = reader.ReadDouble();
                history.Add(new EpochReport { Epoch = epoch, Seconds = reportSeconds, Metrics = metrics });
            }
            model.load(reader);
            optimizer.Load(reader);
            return new Progress(epochsDone, seconds, history);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("checkpoint: truncated.", e);
        }
    }

    /// <summary>What must match for a checkpoint to be resumable: everything that shapes the model or its training.</summary>
    private static string Fingerprint(TrialConfig config) =>
        FormattableString.Invariant(
            $"{config.Model} k={config.LatentDim} hidden=[{string.Join(",", config.Hidden)}] beta={config.KlWeight} noise={config.Noise} lr={config.LearningRate} batch={config.BatchSize} seed={config.Seed}");
}
