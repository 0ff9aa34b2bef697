namespace SweepRunner.Core.Specs;

/// <summary>The values <c>dataset.name</c> may take.</summary>
public static class DatasetNames
{
    public const string FashionMnist = "fashion-mnist";
    public const string Mnist = "mnist";
    /// <summary>Any folder of IDX files; needs <c>dataset.path</c>.</summary>
    public const string Idx = "idx";

    public static readonly IReadOnlyList<string> All = [FashionMnist, Mnist, Idx];
}
