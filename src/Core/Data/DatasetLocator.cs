using SweepRunner.Core.Specs;

namespace SweepRunner.Core.Data;

/// <summary>A problem with the data a spec names; <see cref="Key"/> is the spec key to fix (e.g. <c>dataset.path</c>).</summary>
public sealed record DatasetProblem(string Key, string Message)
{
    public override string ToString() => $"{Key}: {Message}";
}

/// <summary>The four IDX files of a data set, each the <c>.gz</c> or the raw file found in <see cref="Folder"/>.</summary>
public sealed record DatasetFiles(string Folder, string TrainImages, string TrainLabels, string TestImages, string TestLabels);

/// <summary>Finds a spec's data set on disk and checks it before anything trains.</summary>
public static class DatasetLocator
{
    public const string FashionMnist = "fashion-mnist";
    public const string Mnist = "mnist";
    public const string Idx = "idx";

    public const string TrainImagesName = "train-images-idx3-ubyte";
    public const string TrainLabelsName = "train-labels-idx1-ubyte";
    public const string TestImagesName = "t10k-images-idx3-ubyte";
    public const string TestLabelsName = "t10k-labels-idx1-ubyte";

    /// <summary>The four base names, in the order of <see cref="DatasetFiles"/>, with what each must hold.</summary>
    public static readonly IReadOnlyList<(string Name, IdxKind Kind)> Files =
    [
        (TrainImagesName, IdxKind.Images), (TrainLabelsName, IdxKind.Labels),
        (TestImagesName, IdxKind.Images), (TestLabelsName, IdxKind.Labels),
    ];

    /// <summary>Where the Debian package dataset-fashion-mnist installs the data.</summary>
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Environment variable naming a folder that holds an <c>mnist</c> subfolder.</summary>
    public const string DataRootVariable = "SWEEPRUNNER_DATA";

    /// <summary>The folder a spec's data lives in: <see cref="DatasetSpec.Path"/> if given, else the data set's default.</summary>
    /// <exception cref="ArgumentException">Unknown data set name, or <c>idx</c> without a path.</exception>
    public static string ResolveFolder(DatasetSpec spec)
    {
        if (!string.IsNullOrWhiteSpace(spec.Path))
            return Path.GetFullPath(ExpandHome(spec.Path));
        return spec.Name switch
        {
            FashionMnist => FashionMnistFolder,
            Mnist => Path.Combine(Environment.GetEnvironmentVariable(DataRootVariable) is { Length: > 0 } root
                ? ExpandHome(root)
                : Path.Combine(HomeFolder(), ".cache", "sweeprunner"), Mnist),
            Idx => throw new ArgumentException($"data set '{Idx}' needs a path to the folder holding its IDX files."),
            _ => throw new ArgumentException(UnknownName(spec.Name)),
        };
    }

    /// <summary>The file for one base name: <c>name.gz</c> if present, else the raw <c>name</c>, else null.</summary>
    public static string? FindFile(string folder, string baseName)
    {
        string compressed = Path.Combine(folder, baseName + ".gz");
        if (File.Exists(compressed))
            return compressed;
        string raw = Path.Combine(folder, baseName);
        return File.Exists(raw) ? raw : null;
    }

    /// <summary>Finds the four files.</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message says which and how to get it.</exception>
    public static DatasetFiles Locate(DatasetSpec spec)
    {
        string folder = ResolveFolder(spec);
        var paths = Files.Select(file => FindFile(folder, file.Name)
            ?? throw new FileNotFoundException(MissingFileMessage(spec, folder, file.Name), Path.Combine(folder, file.Name + ".gz"))).ToArray();
        return new DatasetFiles(folder, paths[0], paths[1], paths[2], paths[3]);
    }

    /// <summary>True when the spec lets missing MNIST files be downloaded rather than reported.</summary>
    public static bool CanDownload(DatasetSpec spec) => spec.Name == Mnist && spec.Download;

    /// <summary>
    /// Every problem that would stop the data set loading: unknown name, missing folder or files (unless
    /// they may be downloaded), bad headers, image/label count mismatch, differing image sizes, truncated
    /// data, and limits or validation share that leave nothing to train on. Reads each file once, streaming.
    /// </summary>
    public static IReadOnlyList<DatasetProblem> Check(DatasetSpec spec)
    {
        var problems = new List<DatasetProblem>();
        if (spec.Name is not (FashionMnist or Mnist or Idx))
        {
            problems.Add(new("dataset.name", UnknownName(spec.Name)));
            return problems;
        }
        if (spec.Name != Mnist && spec.Download)
            problems.Add(new("dataset.download", $"only '{Mnist}' can be downloaded; put the '{spec.Name}' files in place instead."));
        CheckSettings(spec, problems);

        string folder;
        try
        {
            folder = ResolveFolder(spec);
        }
        catch (ArgumentException e)
        {
            problems.Add(new("dataset.path", e.Message));
            return problems;
        }
        if (!Directory.Exists(folder))
        {
            if (!CanDownload(spec))
                problems.Add(new("dataset.path", $"folder {folder} does not exist. {HowToGet(spec, folder)}"));
            return problems;
        }

        var headers = new IdxHeader?[Files.Count];
        for (int i = 0; i < Files.Count; i++)
        {
            var (name, kind) = Files[i];
            string? path = FindFile(folder, name);
            if (path is null)
            {
                if (!CanDownload(spec))
                    problems.Add(new("dataset.path", MissingFileMessage(spec, folder, name)));
                continue;
            }
            try
            {
                headers[i] = IdxFile.Verify(path, kind);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                problems.Add(new("dataset.path", e.Message));
            }
        }

        var (trainImages, trainLabels, testImages, testLabels) = (headers[0], headers[1], headers[2], headers[3]);
        CheckCounts(trainImages, trainLabels, folder, "training", problems);
        CheckCounts(testImages, testLabels, folder, "test", problems);
        if (trainImages is not null && testImages is not null
            && (trainImages.Rows, trainImages.Cols) != (testImages.Rows, testImages.Cols))
            problems.Add(new("dataset.path",
                $"{folder}: training images are {trainImages.Rows}×{trainImages.Cols} but test images are {testImages.Rows}×{testImages.Cols}."));
        if (trainImages is not null)
            CheckSplit(spec, trainImages.Count, problems);
        if (testImages is not null && spec.TestLimit > testImages.Count)
            problems.Add(new("dataset.test_limit", $"test_limit {spec.TestLimit} exceeds the {testImages.Count} test images in {folder}."));
        return problems;
    }

    /// <summary>The message for a missing file, with how to get it for this data set.</summary>
    public static string MissingFileMessage(DatasetSpec spec, string folder, string baseName) =>
        $"{Path.Combine(folder, baseName)}(.gz) is missing. {HowToGet(spec, folder)}";

    private static string HowToGet(DatasetSpec spec, string folder) => spec.Name switch
    {
        FashionMnist when string.IsNullOrWhiteSpace(spec.Path) => "Install the Debian package dataset-fashion-mnist.",
        Mnist => $"Set download: true or put the files in {folder}.",
        _ => $"Put the four IDX files ({string.Join(", ", Files.Select(f => f.Name))}, .gz or raw) in {folder}.",
    };

    private static void CheckSettings(DatasetSpec spec, List<DatasetProblem> problems)
    {
        if (spec.TrainLimit is <= 0)
            problems.Add(new("dataset.train_limit", $"train_limit must be positive, not {spec.TrainLimit}."));
        if (spec.TestLimit is <= 0)
            problems.Add(new("dataset.test_limit", $"test_limit must be positive, not {spec.TestLimit}."));
        if (!(spec.Validation > 0 && spec.Validation < 1))
            problems.Add(new("dataset.validation", $"validation is the share held out of the training set: more than 0 and less than 1, not {spec.Validation}."));
    }

    private static void CheckCounts(IdxHeader? images, IdxHeader? labels, string folder, string split, List<DatasetProblem> problems)
    {
        if (images is not null && labels is not null && images.Count != labels.Count)
            problems.Add(new("dataset.path", $"{folder}: {images.Count} {split} images but {labels.Count} {split} labels."));
    }

    private static void CheckSplit(DatasetSpec spec, int available, List<DatasetProblem> problems)
    {
        if (spec.TrainLimit > available)
        {
            problems.Add(new("dataset.train_limit", $"train_limit {spec.TrainLimit} exceeds the {available} training images."));
            return;
        }
        if (!(spec.Validation > 0 && spec.Validation < 1) || spec.TrainLimit is <= 0)
            return;
        var (train, validation) = SplitSizes(spec.TrainLimit ?? available, spec.Validation);
        if (train == 0 || validation == 0)
            problems.Add(new("dataset.validation",
                $"a validation share of {spec.Validation} of {spec.TrainLimit ?? available} images leaves {train} to train on and {validation} to validate with; both must be at least 1."));
    }

    /// <summary>How many of <paramref name="total"/> training images are kept for training and held out for validation.</summary>
    public static (int Train, int Validation) SplitSizes(int total, double validationShare)
    {
        int validation = (int)Math.Round(total * validationShare, MidpointRounding.AwayFromZero);
        return (total - validation, validation);
    }

    private static string UnknownName(string name) =>
        $"unknown data set '{name}'; expected '{FashionMnist}', '{Mnist}' or '{Idx}' (with a path).";

    private static string HomeFolder() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? HomeFolder() + path[1..] : path;
}
