using SweepRunner.Core.Specs;
using SweepRunner.Core.Trials;
using Xunit;
using static SweepRunner.Tests.Specs.SpecText;

namespace SweepRunner.Tests.Specs;

public class SpecFileTests
{
    public static TheoryData<string> ShippedSpecs => new()
    {
        "sweeps/quickstart.yaml",
        "sweeps/examples/random-search.yaml",
        "sweeps/examples/mnist.yaml",
        "sweeps/examples/idx-folder.yaml",
    };

    [Theory]
    [MemberData(nameof(ShippedSpecs))]
    public void Shipped_specs_parse(string relativePath)
    {
        var document = SpecParser.Load(Path.Combine(RepoRoot(), relativePath));
        Assert.NotEmpty(document.Spec.Name);
        Assert.NotEmpty(document.Spec.Parameters);
        Assert.Contains("parameters:", document.Yaml);
    }

    [Fact]
    public void Quickstart_reads_every_field()
    {
        var spec = SpecParser.Load(Path.Combine(RepoRoot(), "sweeps/quickstart.yaml")).Spec;

        Assert.Equal("quickstart", spec.Name);
        Assert.Equal(new DatasetSpec { Name = "fashion-mnist", TrainLimit = 6000, TestLimit = 1000, Validation = 0.1 }, spec.Dataset);
        Assert.Equal(SearchMethod.Grid, spec.Method);
        Assert.Equal(7, spec.Seed);
        Assert.Equal(1, spec.Repeats);
        Assert.Equal(new MetricSpec("val_loss", Goal.Minimize), spec.Metric);
        Assert.Equal(new ResourceSpec { MaxConcurrentTrials = 2, ThreadsPerTrial = 1 }, spec.Resources);
        Assert.Equal(2, spec.MaxFailures);
        // Fewer generated samples than the default 10,000 keep the quickstart to a few minutes.
        Assert.Equal(new EvaluationSpec { Samples = 2000 }, spec.Evaluation);
        Assert.Equal(
            ["model", "latent_dim", "hidden", "kl_weight", "noise", "learning_rate", "batch_size", "epochs"],
            spec.Parameters.Select(p => p.Name));

        var model = spec.Parameters[0];
        Assert.Equal(ParameterKind.Choice, model.Kind);
        Assert.Equal(["ae", "dae", "vae"], model.Values.Select(v => v.Text));
        Assert.Equal([500, 120], spec.Parameters[2].Values.Single().List!);
        var learningRate = spec.Parameters[5];
        Assert.Equal((ParameterKind.Distribution, DistributionKind.LogUniform, 0.0001, 0.01),
                     (learningRate.Kind, learningRate.Distribution!.Value, learningRate.Min, learningRate.Max));
    }

    [Fact]
    public void Omitted_keys_take_their_defaults()
    {
        var spec = Parse(Lines(Base));

        Assert.Equal(SearchMethod.Grid, spec.Method);
        Assert.Equal(0, spec.Seed);
        Assert.Equal(1, spec.Repeats);
        Assert.Equal(new MetricSpec("val_loss", Goal.Minimize), spec.Metric);
        Assert.Equal((2, 1), (spec.Resources.MaxConcurrentTrials, spec.Resources.ThreadsPerTrial));
        Assert.Equal(2, spec.MaxFailures);
        Assert.Equal(0.1, spec.Dataset.Validation);
        Assert.False(spec.Dataset.Download);
    }

    [Fact]
    public void Idx_example_keeps_its_path_and_mnist_example_its_download_flag()
    {
        var idx = SpecParser.Load(Path.Combine(RepoRoot(), "sweeps/examples/idx-folder.yaml")).Spec.Dataset;
        Assert.Equal(("idx", "/usr/share/datasets/fashion-mnist"), (idx.Name, idx.Path));

        var mnist = SpecParser.Load(Path.Combine(RepoRoot(), "sweeps/examples/mnist.yaml")).Spec.Dataset;
        Assert.Equal(("mnist", true), (mnist.Name, mnist.Download));
    }

    [Fact]
    public void Position_of_a_key_path_points_at_its_value_or_nearest_parent()
    {
        var document = SpecParser.Parse(Lines(
            "name: t",
            "dataset:",
            "  name: idx",
            "  path: /data/idx",
            "parameters:",
            "  hidden: {value: [500, 120]}"), "inline.yaml");

        Assert.Equal(new SpecPosition(4, 9), document.PositionOf("dataset.path"));
        Assert.Equal(new SpecPosition(6, 25), document.PositionOf("parameters.hidden.value[1]"));
        // Not written in the file: the dataset mapping, which starts at its first key.
        Assert.Equal(new SpecPosition(3, 3), document.PositionOf("dataset.download"));
        Assert.Equal(new SpecPosition(1, 1), document.PositionOf("no.such.key"));

        var error = document.ErrorAt("dataset.path", "folder not found");
        Assert.Equal(new SpecError("inline.yaml", 4, 9, "dataset.path", "folder not found"), error);
    }
}
