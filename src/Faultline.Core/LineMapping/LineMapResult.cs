namespace Faultline.Core.LineMapping;

/// <summary>Where a line of an old version of a file is now.</summary>
/// <param name="Line">1-based line in the new text, or <see langword="null"/> when the file no longer exists.</param>
/// <param name="Changed">The line itself was edited or deleted; <see cref="Line"/> is then the nearest position.</param>
public readonly record struct LineMapResult(int? Line, bool Changed)
{
    public static LineMapResult Dropped { get; } = new(null, Changed: true);

    public bool IsDropped => Line is null;
}
