namespace SweepRunner.Core.Specs;

/// <summary>Where in a spec file a problem is, and what it is.</summary>
public sealed record SpecError(string File, int Line, int Column, string Key, string Message)
{
    /// <summary><c>file:line:column: key: message</c>; the position is left out when there is none (line 0), the key when empty.</summary>
    public override string ToString() =>
        (Line > 0 ? $"{File}:{Line}:{Column}: " : $"{File}: ") + (Key.Length > 0 ? $"{Key}: " : "") + Message;
}

/// <summary>A spec (or the data it names) that cannot be run. Carries every problem found, not just the first.</summary>
public sealed class SpecException(IReadOnlyList<SpecError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;

    public SpecException(SpecError error) : this([error]) { }
}
