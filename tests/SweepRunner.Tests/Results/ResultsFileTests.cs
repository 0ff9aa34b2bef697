using SweepRunner.Core.Results;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using Xunit;

namespace SweepRunner.Tests.Results;

public sealed class ResultsFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("sweeprunner-results-").FullName, "results.jsonl");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    private static TrialResultLine Line(string id, int index, double loss) => new()
    {
        TrialId = id,
        Index = index,
        Status = TrialStatus.Completed,
        Parameters = new() { ["model"] = "ae" },
        Metrics = new() { ["val_loss"] = loss, ["val_kl"] = double.NaN },
        Config = new TrialConfig { Dataset = new DatasetSpec { Name = "fashion-mnist" } },
    };

    [Fact]
    public void Lines_round_trip_with_snake_case_keys_and_non_finite_numbers()
    {
        ResultsFile.Append(_path, [Line("t0001", 0, 1.5), Line("t0002", 1, 2.5)]);
        var text = File.ReadAllText(_path);
        Assert.Contains("\"trial_id\":\"t0001\"", text);
        Assert.Contains("\"status\":\"completed\"", text);
        var read = ResultsFile.Read(_path);
        Assert.Equal(["t0001", "t0002"], read.Select(r => r.TrialId));
        Assert.Equal(2.5, read[1].Metrics["val_loss"]);
        Assert.True(double.IsNaN(read[1].Metrics["val_kl"]));
    }

    [Fact]
    public void A_torn_last_line_is_skipped_on_read_and_removed_before_appending_again()
    {
        ResultsFile.Append(_path, [Line("t0001", 0, 1.5)]);
        File.AppendAllText(_path, "{\"trial_id\":\"t0002\",\"ind");   // the process died here

        Assert.Equal(["t0001"], ResultsFile.Read(_path).Select(r => r.TrialId));
        ResultsFile.RepairTail(_path);
        ResultsFile.Append(_path, [Line("t0002", 1, 2.5)]);

        Assert.Equal(["t0001", "t0002"], ResultsFile.Read(_path).Select(r => r.TrialId));
        Assert.Equal(2, File.ReadAllLines(_path).Length);
    }

    [Fact]
    public void A_torn_line_in_the_middle_is_an_error_naming_the_line()
    {
        File.WriteAllText(_path, "{\"trial_id\":\"t0001\",\"in\n");
        ResultsFile.Append(_path, [Line("t0002", 1, 2.5)]);
        var error = Assert.Throws<InvalidDataException>(() => ResultsFile.Read(_path));
        Assert.Contains("results.jsonl:1", error.Message);
    }
}
