using SweepRunner.Core.Specs;
using Xunit;

namespace SweepRunner.Tests.Specs;

/// <summary>Small inline specs for the tests: a valid base with one line swapped or added.</summary>
internal static class SpecText
{
    /// <summary>Line 1 name, line 2 dataset, line 3 parameters, line 4 the one parameter.</summary>
    public static readonly string[] Base =
    [
        "name: t",
        "dataset: {name: fashion-mnist}",
        "parameters:",
        "  latent_dim: {values: [2, 16]}",
    ];

    public static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    public static string WithDataset(string datasetLine) => Lines([Base[0], datasetLine, Base[2], Base[3]]);

    public static string WithParameter(string parameterLine) => Lines([Base[0], Base[1], Base[2], parameterLine]);

    /// <summary>The base spec with lines appended from line 5 on.</summary>
    public static string WithTop(params string[] extra) => Lines([.. Base, .. extra]);

    public static IReadOnlyList<SpecError> ErrorsOf(string yaml) =>
        Assert.Throws<SpecException>(() => SpecParser.Parse(yaml, "inline.yaml")).Errors;

    public static SweepSpec Parse(string yaml) => SpecParser.Parse(yaml, "inline.yaml").Spec;

    /// <summary>The folder holding SweepRunner.sln, found upwards from the test binaries.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SweepRunner.sln"))) return dir.FullName;
        throw new InvalidOperationException("SweepRunner.sln not found above " + AppContext.BaseDirectory);
    }
}
