namespace SweepRunner.Core.Specs;

/// <summary>Where in a spec file a problem is, and what it is.</summary>
public sealed record SpecError(string File, int Line, int Column, string Key, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Key}: {Message}";
}

/// <summary>A spec (or the data it names) that cannot be run. Carries every problem found, not just the first.</summary>
public sealed class SpecException(IReadOnlyList<SpecError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;

    public SpecException(SpecError error) : this([error]) { }
}
