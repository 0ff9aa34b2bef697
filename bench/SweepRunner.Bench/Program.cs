using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SweepRunner.Bench;

// sweeprunner-bench [--quick] [--out FILE]: every figure of issue 5, a table on stdout and the figures as JSON.
// The harness re-runs itself with --child-sleep-sweep for the orchestration figures (see SweepBench).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args is ["--child-sleep-sweep", var childFolder, var childTrials, var childSeconds, var childSlots])
    return await SweepBench.RunSleepSweepChildAsync(childFolder, int.Parse(childTrials), double.Parse(childSeconds, CultureInfo.InvariantCulture), int.Parse(childSlots));

bool quick = args.Contains("--quick");
int outIndex = Array.IndexOf(args, "--out");
var unknown = args.Where((a, i) => a != "--quick" && a != "--out" && !(outIndex >= 0 && i == outIndex + 1)).ToList();
if (unknown.Count > 0 || (outIndex >= 0 && outIndex + 1 >= args.Length))
{
    Console.Error.WriteLine("usage: sweeprunner-bench [--quick] [--out FILE.json]");
    return 2;
}
var root = RepositoryRoot();
var outFile = outIndex >= 0 ? Path.GetFullPath(args[outIndex + 1])
    : Path.Combine(root, "runs", "bench", $"bench-{DateTime.Now:yyyyMMdd-HHmmss}{(quick ? "-quick" : "")}.json");
var work = Path.Combine(Path.GetTempPath(), $"sweeprunner-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
var settings = new BenchSettings(quick, root, work);
// The allocator setting silos make before training (see NativeAllocator); the reference loop gets it too.
SweepRunner.Training.NativeAllocator.KeepTemporariesOnHeap();
void Progress(string message) => Console.Error.WriteLine($"  {DateTime.Now:HH:mm:ss} {message}");

try
{
    var figures = new List<Figure>();
    // Other work on the machine distorts every figure, the parallel ones most: say how busy it was.
    string loadAtStart = Figure.LoadAverage();
    Progress("matrix products");
    double gemm1 = GemmBench.Gflops(threads: 1, quick);
    double gemmAll = GemmBench.Gflops(threads: Environment.ProcessorCount, quick);
    figures.Add(new("matmul_gflops_1_thread", gemm1, "GFLOP/s", null, "fp32 1024³ product, 1 thread (the reference)"));
    figures.Add(new("matmul_gflops_all_cores", gemmAll, "GFLOP/s", null, $"same, {Environment.ProcessorCount} threads"));

    figures.Add(new("matmul_scaling", gemmAll / (Environment.ProcessorCount * gemm1), "", null,
        "all-cores rate over cores × 1-thread rate: the machine's own ceiling for running work in parallel"));

    Progress("trainer against the reference loop (1 thread)");
    var trainer = TrainerBench.Run(settings, Progress);
    double layerGemm = trainer.LayerMatmulGflops;
    figures.Add(new("layer_matmul_gflops", layerGemm, "GFLOP/s", null,
        "the seed AE's matrix products of one batch of 128 alone, 1 thread, counted as 6 × multiply-adds; measured beside each trainer epoch"));
    figures.Add(new("trainer_efficiency", trainer.TrainerGflops / gemm1, "", new(">=", 0.70),
        $"{trainer.TrainerGflops:F1} GFLOP/s, one epoch of {trainer.TrainingImages} images in {trainer.TrainerEpochSeconds:F2} s"));
    figures.Add(new("trainer_vs_layer_matmul", trainer.TrainerGflops / layerGemm, "", null,
        "share of the trainer's time its matrix products alone would take"));
    figures.Add(new("trainer_speedup", trainer.Speedup, "x", new(">=", 1.55),
        $"reference loop {trainer.ReferenceEpochSeconds:F2} s per epoch"));
    figures.Add(new("loss_difference", trainer.LossDifference, "", new("<=", TrainerBench.LossTolerance),
        $"train {trainer.TrainerLoss:F4} vs {trainer.ReferenceLoss:F4}, val {trainer.TrainerValidationLoss:F4} vs {trainer.ReferenceValidationLoss:F4} (relative)"));
    figures.Add(new("checkpoint_cost", trainer.CheckpointSecondsPerEpoch / trainer.TrainerEpochSeconds, "", new("<=", 0.05),
        $"{trainer.CheckpointSecondsPerEpoch * 1000:F1} ms per epoch ({trainer.CheckpointBytes / 1e6:F1} MB, serialised and stored with fsync)"));
    const int TrialEpochs = 5;
    double evaluation = (TrialEpochs * trainer.ValidationSecondsPerEpoch + trainer.TestSeconds) / (TrialEpochs * trainer.TrainerEpochSeconds);
    figures.Add(new("metrics_cost", evaluation, "", new("<=", 0.05),
        $"{TrialEpochs}-epoch trial: validation {trainer.ValidationSecondsPerEpoch * 1000:F0} ms per epoch, test {trainer.TestSeconds * 1000:F0} ms"));

    Progress("sweep of real trials on every core");
    var sweep = await SweepBench.EfficiencyAsync(settings, Progress);
    figures.Add(new("sweep_efficiency", sweep.Efficiency, "", new(">=", 0.95),
        $"{sweep.Trials} trials in {sweep.SweepSeconds:F2} s on {sweep.Cores} slots; one alone {sweep.SingleTrialSeconds:F2} s"));

    Progress($"{settings.SleepTrials} sleep trials of {settings.SleepSeconds} s on 2 slots");
    var sleep = SweepBench.SleepSweepInChild(settings, "sleep", settings.SleepTrials, settings.SleepSeconds, slots: 2);
    double ideal = sleep.Trials * settings.SleepSeconds / 2;
    figures.Add(new("orchestration_overhead", sleep.Seconds / ideal - 1, "", new("<=", 0.02),
        $"{sleep.Completed}/{sleep.Trials} trials in {sleep.Seconds:F2} s, ideal {ideal:F1} s"));

    Progress($"{settings.ZeroLengthTrials} zero-length trials on 2 slots");
    var zero = SweepBench.SleepSweepInChild(settings, "zero", settings.ZeroLengthTrials, 0, slots: 2);
    figures.Add(new("zero_trial_ms", zero.Seconds * 1000 / zero.Trials, "ms", new("<=", 5),
        $"{zero.Completed}/{zero.Trials} trials in {zero.Seconds:F1} s"));
    figures.Add(new("coordinator_peak_mb", zero.PeakResidentBytes / 1e6, "MB", new("<", 300),
        "peak resident memory of the process hosting silo and coordinator"));

    Progress("`sweeprunner run` to the first epoch");
    double startup = StartupBench.MedianSeconds(settings, Progress);
    figures.Add(new("first_epoch_seconds", startup, "s", new("<=", 3), "built binaries, warm file cache, median"));

    Console.WriteLine();
    Console.WriteLine(Figure.Table(figures));
    Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
    var json = Figure.Json(figures, quick);
    json["load_average_at_start"] = loadAtStart;
    json["load_average_at_end"] = Figure.LoadAverage();
    Console.WriteLine($"load average (1, 5, 15 min) at start {loadAtStart}, at end {json["load_average_at_end"]}");
    File.WriteAllText(outFile, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"figures: {outFile}");
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static string RepositoryRoot()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "SweepRunner.sln"))) return folder.FullName;
    throw new InvalidOperationException($"no SweepRunner.sln above {AppContext.BaseDirectory}: run the harness from the repository");
}
