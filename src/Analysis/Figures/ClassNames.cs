namespace SweepRunner.Analysis.Figures;

/// <summary>Legend text for the labels of the known data sets.</summary>
public static class ClassNames
{
    public static readonly IReadOnlyList<string> FashionMnist =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Names for <c>fashion-mnist</c>; null (so label numbers are shown) for digits and unknown sets.</summary>
    public static IReadOnlyList<string>? For(string datasetName) =>
        datasetName.Equals("fashion-mnist", StringComparison.OrdinalIgnoreCase) ? FashionMnist : null;
}
