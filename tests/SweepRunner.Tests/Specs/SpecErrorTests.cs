using SweepRunner.Core.Specs;
using Xunit;
using static SweepRunner.Tests.Specs.SpecText;

namespace SweepRunner.Tests.Specs;

public class SpecErrorTests
{
    /// <summary>Spec text, then the expected error's key, line, column and a fragment of its message.</summary>
    public static TheoryData<string, string, int, int, string> SingleProblems => new()
    {
        // Structure and types.
        { WithTop("name: again"), "name", 5, 1, "duplicate key 'name'" },
        { WithParameter("  learning_rat: {value: 0.01}"), "parameters.learning_rat", 4, 3, "did you mean 'learning_rate'?" },
        { WithTop("resorces: {threads_per_trial: 1}"), "resorces", 5, 1, "did you mean 'resources'?" },
        { WithParameter("  latent_dim: {values: [two, 16]}"), "parameters.latent_dim.values[0]", 4, 25, "expected a number, got 'two'" },
        { WithParameter("  latent_dim: {values: [2, \"16\"]}"), "parameters.latent_dim.values[1]", 4, 28, "quoted" },
        { WithParameter("  latent_dim: 16"), "parameters.latent_dim", 4, 15, "expected a mapping" },
        { WithDataset("dataset: mnist"), "dataset", 2, 10, "expected a mapping" },
        { WithParameter("  epochs: {value: 2.5}"), "parameters.epochs.value", 4, 19, "expected an integer, got 2.5" },
        { WithTop("seed: 1.5"), "seed", 5, 7, "expected an integer" },
        { WithDataset("dataset: {name: mnist, download: maybe}"), "dataset.download", 2, 34, "true or false" },
        { WithParameter("  latent_dim: {value: 2, values: [2, 16]}"), "parameters.latent_dim.values", 4, 26, "only one of" },
        { WithParameter("  latent_dim: {}"), "parameters.latent_dim", 4, 15, "needs one of" },
        { WithParameter("  noise: {value: 0.1, min: 0}"), "parameters.noise.min", 4, 23, "only goes with 'distribution'" },
        // Missing required keys: reported where the enclosing mapping starts.
        { Lines(Base[1], Base[2], Base[3]), "name", 1, 1, "missing required key 'name'" },
        { Lines(Base[0], Base[2], Base[3]), "dataset", 1, 1, "missing required key 'dataset'" },
        { Lines(Base[0], Base[1]), "parameters", 1, 1, "missing required key 'parameters'" },
        { WithDataset("dataset: {path: /tmp}"), "dataset.name", 2, 10, "missing required key 'name'" },
        { WithTop("method: random"), "count", 1, 1, "needs 'count'" },
        { WithParameter("  learning_rate: {distribution: uniform, max: 0.1}"), "parameters.learning_rate.min", 4, 18, "missing required key 'min'" },
        // Impossible values.
        { WithParameter("  latent_dim: {value: 0}"), "parameters.latent_dim.value", 4, 23, "latent_dim must be an integer ≥ 1" },
        { WithParameter("  learning_rate: {value: 0}"), "parameters.learning_rate.value", 4, 26, "learning_rate must be a number > 0" },
        { WithParameter("  batch_size: {value: 0}"), "parameters.batch_size.value", 4, 23, "batch_size must be an integer ≥ 1" },
        { WithParameter("  epochs: {value: 0}"), "parameters.epochs.value", 4, 19, "epochs must be an integer ≥ 1" },
        { WithParameter("  hidden: {values: [500, 120]}"), "parameters.hidden.values", 4, 20, "itself a list" },
        { WithParameter("  hidden: {value: []}"), "parameters.hidden.value", 4, 19, "non-empty list" },
        { WithParameter("  hidden: {value: [500, 0]}"), "parameters.hidden.value", 4, 19, "integers ≥ 1" },
        { WithParameter("  kl_weight: {value: -1}"), "parameters.kl_weight.value", 4, 22, "kl_weight must be a number ≥ 0" },
        { WithParameter("  noise: {value: -0.1}"), "parameters.noise.value", 4, 18, "noise must be a number ≥ 0" },
        { WithParameter("  latent_dim: {values: []}"), "parameters.latent_dim.values", 4, 24, "'values' is empty" },
        { WithParameter("  learning_rate: {distribution: uniform, min: 0.1, max: 0.01}"), "parameters.learning_rate.min", 4, 47, "greater than max" },
        { WithParameter("  learning_rate: {distribution: log_uniform, min: 0, max: 0.01}"), "parameters.learning_rate.min", 4, 51, "log_uniform needs min > 0" },
        { WithParameter("  learning_rate: {distribution: uniform, min: 0, max: 0.01}"), "parameters.learning_rate.min", 4, 47, "learning_rate must be a number > 0" },
        { WithParameter("  latent_dim: {distribution: int_uniform, min: 1.5, max: 8}"), "parameters.latent_dim.min", 4, 48, "integer bounds" },
        { WithParameter("  learning_rate: {distribution: int_uniform, min: 1, max: 3}"), "parameters.learning_rate.distribution", 4, 33, "real number" },
        { WithParameter("  model: {distribution: uniform, min: 0, max: 1}"), "parameters.model.distribution", 4, 25, "cannot be drawn" },
        { WithParameter("  hidden: {distribution: uniform, min: 1, max: 9}"), "parameters.hidden.distribution", 4, 26, "cannot be drawn" },
        { WithParameter("  latent_dim: {distribution: normal, min: 1, max: 9}"), "parameters.latent_dim.distribution", 4, 30, "unknown distribution 'normal'" },
        { WithParameter("  model: {values: [ae, gan]}"), "parameters.model.values[1]", 4, 24, "model must be one of ae, dae, vae, pca, sleep, got gan" },
        { WithDataset("dataset: {name: cifar}"), "dataset.name", 2, 17, "unknown dataset 'cifar'" },
        { WithDataset("dataset: {name: idx}"), "dataset.path", 2, 10, "needs 'path'" },
        { WithDataset("dataset: {name: mnist, validation: 1}"), "dataset.validation", 2, 36, "[0, 1)" },
        { WithDataset("dataset: {name: mnist, validation: -0.1}"), "dataset.validation", 2, 36, "[0, 1)" },
        { WithDataset("dataset: {name: mnist, train_limit: 0}"), "dataset.train_limit", 2, 37, "at least 1" },
        { WithDataset("dataset: {name: mnist, test_limit: 0}"), "dataset.test_limit", 2, 36, "at least 1" },
        { WithTop("repeats: 0"), "repeats", 5, 10, "at least 1" },
        { WithTop("method: random", "count: 0"), "count", 6, 8, "at least 1" },
        { WithTop("max_failures: 0"), "max_failures", 5, 15, "at least 1" },
        { WithTop("resources: {max_concurrent_trials: 0}"), "resources.max_concurrent_trials", 5, 36, "at least 1" },
        { WithTop("resources: {threads_per_trial: 0}"), "resources.threads_per_trial", 5, 32, "at least 1" },
        { WithTop("method: bayes"), "method", 5, 9, "unknown method 'bayes'" },
        { WithTop("metric: {goal: down}"), "metric.goal", 5, 16, "unknown goal 'down'" },
        { WithTop("metric: {name: val_los}"), "metric.name", 5, 16, "did you mean 'val_loss'?" },
        { WithTop("metric: {name: accuracy}"), "metric.name", 5, 16, "unknown metric 'accuracy'" },
        // Documents that are not a spec at all.
        { "", "", 1, 1, "empty" },
        { "# nothing but a comment\n", "", 1, 1, "empty" },
        { "- name: t\n- dataset: mnist\n", "", 1, 1, "must be a mapping" },
        { Lines([.. Base, "---", .. Base]), "", 6, 1, "one YAML document" },
        { Lines(Base[0], "dataset: {name: mnist]", Base[2], Base[3]), "", 2, 22, "YAML syntax error" },
        { Lines(Base[0], "  dataset: {name: mnist}", Base[2], Base[3]), "", 2, 10, "YAML syntax error" },
        { Lines(Base[0], "dataset: {name: mnist", Base[2], Base[3]), "", 2, 15, "YAML syntax error" },
    };

    [Theory]
    [MemberData(nameof(SingleProblems))]
    public void Each_problem_is_reported_with_its_key_and_position(string yaml, string key, int line, int column, string fragment)
    {
        var error = Assert.Single(ErrorsOf(yaml));
        Assert.Equal("inline.yaml", error.File);
        Assert.Equal(key, error.Key);
        Assert.Contains(fragment, error.Message);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void All_problems_are_reported_at_once_in_file_order()
    {
        var errors = ErrorsOf(Lines(
            "name: t",
            "dataset: {name: mnist, validation: 2}",
            "method: random",
            "parameters:",
            "  model: {values: [ae, gan]}",
            "  epochs: {value: 0}",
            "  dropout: {value: 0.5}"));

        Assert.Equal(
            ["count", "dataset.validation", "parameters.model.values[1]", "parameters.epochs.value", "parameters.dropout"],
            errors.Select(e => e.Key));
        Assert.Equal(errors.OrderBy(e => e.Line).ThenBy(e => e.Column), errors);
    }

    [Fact]
    public void Every_duplicate_key_is_reported_with_its_path()
    {
        var errors = ErrorsOf(Lines(
            "name: t",
            "dataset: {name: mnist, name: idx}",
            "parameters:",
            "  epochs: {value: 1}",
            "  epochs: {value: 2}"));

        Assert.Equal(["dataset.name", "parameters.epochs"], errors.Select(e => e.Key));
        Assert.All(errors, e => Assert.Contains("duplicate key", e.Message));
        Assert.Equal((5, 3), (errors[1].Line, errors[1].Column));
    }

    [Fact]
    public void Error_text_names_file_line_column_and_key()
    {
        var exception = Assert.Throws<SpecException>(() => SpecParser.Parse(WithTop("repeats: 0"), "sweeps/x.yaml"));
        Assert.StartsWith("sweeps/x.yaml:5:10: repeats: must be at least 1", exception.Message);
    }

    [Fact]
    public void A_missing_spec_file_is_a_clear_error()
    {
        var path = Path.Combine(Path.GetTempPath(), "sweeprunner-no-such-dir", "missing.yaml");
        var error = Assert.Single(Assert.Throws<SpecException>(() => SpecParser.Load(path)).Errors);
        Assert.Equal(path, error.File);
        Assert.Contains("spec file not found", error.Message);
        Assert.StartsWith(path + ": spec file not found", error.ToString());
    }
}
