using SweepRunner.Core.Search;
using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using Xunit;
using static SweepRunner.Tests.Specs.SpecText;

namespace SweepRunner.Tests.Specs;

public class TrialPlannerTests
{
    private static SweepSpec Quickstart() => SpecParser.Load(Path.Combine(RepoRoot(), "sweeps/quickstart.yaml")).Spec;

    private static string RandomSpec(long seed, int count, string parameterLine, int repeats = 1) => Lines(
        "name: r",
        "dataset: {name: mnist}",
        "method: random",
        $"count: {count}",
        $"seed: {seed}",
        $"repeats: {repeats}",
        "parameters:",
        parameterLine);

    [Fact]
    public void Grid_is_the_product_of_values_in_spec_order_first_parameter_slowest()
    {
        var trials = TrialPlanner.Plan(Quickstart());

        Assert.Equal(6, TrialPlanner.Count(Quickstart()));
        Assert.Equal(
            ["ae/2", "ae/16", "dae/2", "dae/16", "vae/2", "vae/16"],
            trials.Select(t => t.Parameters["model"] + "/" + t.Parameters["latent_dim"]));
        Assert.Equal(["t0001", "t0002", "t0003", "t0004", "t0005", "t0006"], trials.Select(t => t.TrialId));
        Assert.Equal(Enumerable.Range(0, 6), trials.Select(t => t.Index));
    }

    [Fact]
    public void Trials_carry_the_configuration_and_shared_settings()
    {
        var spec = Quickstart();
        var trial = TrialPlanner.Plan(spec)[4];
        var config = trial.Config;

        Assert.Equal((ModelKind.Vae, 2, 1.0, 0.3, 128, 5), (config.Model, config.LatentDim, config.KlWeight, config.Noise, config.BatchSize, config.Epochs));
        Assert.Equal([500, 120], config.Hidden);
        Assert.Equal((spec.Seed, 1, spec.Dataset), (config.DataSeed, config.Threads, config.Dataset));
        Assert.Equal(
            ["model", "latent_dim", "hidden", "kl_weight", "noise", "learning_rate", "batch_size", "epochs"],
            trial.Parameters.Keys);
        Assert.Equal(("[500, 120]", "1", "0.3"), (trial.Parameters["hidden"], trial.Parameters["kl_weight"], trial.Parameters["noise"]));
        Assert.Equal(ParamValue.Of(config.LearningRate).ToString(), trial.Parameters["learning_rate"]);
    }

    [Fact]
    public void Parameters_left_out_keep_the_trial_config_defaults()
    {
        var config = TrialPlanner.Plan(Parse(WithParameter("  epochs: {value: 9}"))).Single().Config;
        var defaults = new TrialConfig { Dataset = config.Dataset };

        Assert.Equal(9, config.Epochs);
        Assert.Equal((defaults.Model, defaults.LatentDim, defaults.LearningRate, defaults.BatchSize, defaults.KlWeight, defaults.Noise),
                     (config.Model, config.LatentDim, config.LearningRate, config.BatchSize, config.KlWeight, config.Noise));
        Assert.Equal(defaults.Hidden, config.Hidden);
    }

    [Fact]
    public void Grid_draws_distribution_parameters_once_per_grid_point_within_bounds()
    {
        var rates = TrialPlanner.Plan(Quickstart()).Select(t => t.Config.LearningRate).ToList();

        Assert.All(rates, rate => Assert.InRange(rate, 0.0001, 0.01));
        Assert.Equal(rates.Count, rates.Distinct().Count());
    }

    [Fact]
    public void Same_spec_gives_the_same_plan_and_another_seed_another_plan()
    {
        const string parameter = "  learning_rate: {distribution: log_uniform, min: 0.0001, max: 0.1}";
        var first = TrialPlanner.Plan(Parse(RandomSpec(5, 20, parameter)));
        var again = TrialPlanner.Plan(Parse(RandomSpec(5, 20, parameter)));
        var other = TrialPlanner.Plan(Parse(RandomSpec(6, 20, parameter)));

        Assert.Equal(first.Select(t => (t.Config.LearningRate, t.Config.Seed)), again.Select(t => (t.Config.LearningRate, t.Config.Seed)));
        Assert.NotEqual(first.Select(t => t.Config.LearningRate), other.Select(t => t.Config.LearningRate));
        Assert.NotEqual(first.Select(t => t.Config.Seed), other.Select(t => t.Config.Seed));
    }

    [Fact]
    public void Seed_derivation_is_pinned_so_plans_stay_the_same_across_processes_and_versions()
    {
        // Golden values: if the mixing changes, a resumed or re-run sweep would silently train other configurations.
        Assert.Equal(SeedMixer.Derive(7, 2, 0, 0), TrialPlanner.Plan(Quickstart())[0].Config.Seed);
        Assert.Equal(99619383022751178L, SeedMixer.Derive(7, 2, 0, 0));
        Assert.Equal(0xE220A8397B1DCDAFUL, new SeededRandom(0).NextBits());
    }

    [Fact]
    public void Log_uniform_stays_within_bounds_and_spreads_evenly_over_decades()
    {
        var rates = TrialPlanner.Plan(Parse(RandomSpec(1, 2000, "  learning_rate: {distribution: log_uniform, min: 0.0001, max: 0.01}")))
                                .Select(t => t.Config.LearningRate).ToList();

        Assert.All(rates, rate => Assert.InRange(rate, 0.0001, 0.01));
        // Log-uniform puts half the draws below the geometric midpoint 1e-3; a plain uniform would put ~9% there.
        Assert.InRange(rates.Count(rate => rate < 0.001) / (double)rates.Count, 0.45, 0.55);
    }

    [Fact]
    public void Int_uniform_draws_integers_with_both_bounds_included()
    {
        var dims = TrialPlanner.Plan(Parse(RandomSpec(3, 400, "  latent_dim: {distribution: int_uniform, min: 2, max: 5}")))
                               .Select(t => t.Config.LatentDim).ToList();

        Assert.Equal([2, 3, 4, 5], dims.Distinct().Order());
    }

    [Fact]
    public void Uniform_draws_reals_within_bounds()
    {
        var weights = TrialPlanner.Plan(Parse(RandomSpec(4, 300, "  kl_weight: {distribution: uniform, min: 0.5, max: 2}")))
                                  .Select(t => t.Config.KlWeight).ToList();

        Assert.All(weights, w => Assert.InRange(w, 0.5, 2));
        Assert.Contains(weights, w => w != Math.Floor(w));
    }

    [Fact]
    public void Random_values_are_drawn_from_the_list()
    {
        var models = TrialPlanner.Plan(Parse(RandomSpec(8, 60, "  model: {values: [ae, dae, vae]}")))
                                 .Select(t => t.Config.Model).ToList();

        Assert.Equal([ModelKind.Ae, ModelKind.Dae, ModelKind.Vae], models.Distinct().Order());
    }

    [Fact]
    public void Repeats_run_each_configuration_with_distinct_seeds()
    {
        var spec = Parse(RandomSpec(2, 4, "  learning_rate: {distribution: uniform, min: 0.001, max: 0.01}", repeats: 3));
        var trials = TrialPlanner.Plan(spec);

        Assert.Equal(12, TrialPlanner.Count(spec));
        Assert.Equal(12, trials.Count);
        Assert.Equal(12, trials.Select(t => t.Config.Seed).Distinct().Count());
        foreach (var configuration in trials.Chunk(3))
        {
            Assert.Single(configuration.Select(t => t.Config.LearningRate).Distinct());
            Assert.Equal([0, 1, 2], configuration.Select(t => t.Repeat));
            Assert.Equal(["0", "1", "2"], configuration.Select(t => t.Parameters["repeat"]));
        }
    }

    [Fact]
    public void Trial_ids_widen_past_four_digits()
    {
        var trials = TrialPlanner.Plan(Parse(RandomSpec(0, 10_000, "  epochs: {value: 1}")));

        Assert.Equal(("t00001", "t10000"), (trials[0].TrialId, trials[^1].TrialId));
    }

    [Fact]
    public void Too_large_grid_is_rejected_without_expanding()
    {
        // 1000^6 x 3 configurations: expanding even a fraction would take minutes and gigabytes.
        var values = "{values: [" + string.Join(", ", Enumerable.Range(1, 1000)) + "]}";
        var yaml = Lines(
            "name: huge",
            "dataset: {name: mnist}",
            "parameters:",
            $"  latent_dim: {values}",
            $"  batch_size: {values}",
            $"  epochs: {values}",
            $"  noise: {values}",
            $"  kl_weight: {values}",
            $"  learning_rate: {values}",
            $"  model: {{value: ae}}",
            $"  hidden: {{values: [[1], [2], [3]]}}");

        var error = Assert.Single(ErrorsOf(yaml));
        Assert.Equal(("parameters", 4, 3), (error.Key, error.Line, error.Column));
        Assert.Contains("more than the limit of 100,000", error.Message);
    }

    [Fact]
    public void Grid_just_over_the_limit_is_rejected_and_repeats_count()
    {
        var spec = Parse(Lines("name: t", "dataset: {name: mnist}", "parameters:",
                               "  latent_dim: {values: [" + string.Join(", ", Enumerable.Range(1, 50_001)) + "]}"));
        Assert.Equal(50_001, TrialPlanner.Count(spec));
        Assert.Equal(100_002, TrialPlanner.Count(spec with { Repeats = 2 }));
        Assert.Throws<ArgumentException>(() => TrialPlanner.Plan(spec with { Repeats = 2 }));
    }

    [Fact]
    public void Too_many_random_trials_are_reported_on_count()
    {
        var error = Assert.Single(ErrorsOf(RandomSpec(0, 200_000, "  epochs: {value: 1}")));
        Assert.Equal(("count", 4, 8), (error.Key, error.Line, error.Column));
    }

    [Fact]
    public void Numbers_are_shown_compactly()
    {
        Assert.Equal(["0.00123", "1.5e-5", "128", "0.3", "[500, 120]", "vae"],
                     new[] { ParamValue.Of(0.00123), ParamValue.Of(1.5e-5), ParamValue.Of(128), ParamValue.Of(0.3), ParamValue.Of([500, 120]), ParamValue.Of("vae") }
                         .Select(v => v.ToString()));
    }
}
