namespace Faultline.Core.LineMapping;

/// <summary>Moves one line of a file's old text to its new text. See <see cref="LineMap"/> to map many lines of one file.</summary>
public static class LineMapper
{
    /// <param name="oldText">The file at the incident's commit.</param>
    /// <param name="newText">The file now (editor buffer or working tree), or <see langword="null"/> when deleted.</param>
    /// <param name="line">1-based line in <paramref name="oldText"/>.</param>
    public static LineMapResult Map(string oldText, string? newText, int line) => LineMap.Create(oldText, newText).Map(line);
}
