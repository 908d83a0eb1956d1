using DiffPlex;
using DiffPlex.Chunkers;
using DiffPlex.Model;

namespace Faultline.Core.LineMapping;

/// <summary>
/// Moves line numbers of one version of a file to another through a line diff (DiffPlex's Myers diff).
/// Build it once per pair of texts, then map as many lines as needed: each <see cref="Map"/> is a
/// binary search over the diff's blocks. Pure: no I/O.
/// </summary>
/// <remarks>
/// Lines are split on <c>\r\n</c>, <c>\r</c> and <c>\n</c> alike and compared ignoring leading and
/// trailing whitespace, so a file whose line endings or indentation changed maps line for line.
/// A line inside a changed region keeps its relative position in the replacement (clamped to it), or
/// the position of the line that now follows a deleted region. A line that was moved elsewhere
/// unchanged is followed when its text is distinctive (unique in both versions, not just a brace).
/// </remarks>
public sealed class LineMap
{
    private const int MinimumMovedLineLength = 8;

    private readonly DiffResult? diff;
    private readonly int[] blockEnds;
    private readonly int oldLineCount;
    private Dictionary<string, int>? movedLines;

    private LineMap(DiffResult? diff, int oldLineCount, int newLineCount)
    {
        this.diff = diff;
        this.oldLineCount = oldLineCount;
        NewLineCount = newLineCount;
        blockEnds = diff is null ? [] : [.. diff.DiffBlocks.Select(b => b.DeleteStartA + b.DeleteCountA)];
    }

    /// <summary>Lines in the new text (a final line break does not start another line); 0 when the file is gone.</summary>
    public int NewLineCount { get; }

    /// <summary>Whether the new text exists (the file was not deleted).</summary>
    public bool Exists => diff is not null;

    /// <param name="oldText">The file as it was (at the incident's commit).</param>
    /// <param name="newText">The file as it is now, or <see langword="null"/> when it was deleted.</param>
    public static LineMap Create(string oldText, string? newText)
    {
        ArgumentNullException.ThrowIfNull(oldText);
        if (newText is null)
        {
            return new LineMap(null, CountLines(oldText), 0);
        }

        // Without the final line break, the empty "line" after it cannot pair with an empty line of the other text.
        var result = Differ.Instance.CreateDiffs(
            WithoutFinalLineBreak(oldText), WithoutFinalLineBreak(newText), ignoreWhiteSpace: true, ignoreCase: false, LineChunker.Instance);
        return new LineMap(result, result.PiecesOld.Count, CountLines(newText));
    }

    /// <summary>Maps a 1-based line of the old text to the new text.</summary>
    public LineMapResult Map(int line)
    {
        if (diff is null)
        {
            return LineMapResult.Dropped;
        }

        if (line < 1 || line > oldLineCount)
        {
            // The location does not exist in the old text: nothing to follow, keep it within the file.
            return new LineMapResult(Clamp(line), Changed: true);
        }

        var index = line - 1;
        var blocks = diff.DiffBlocks;
        var blockIndex = FirstBlockEndingAfter(index);
        if (blockIndex == blocks.Count)
        {
            // After every change: shifted by the net insertions.
            var last = blocks.Count == 0 ? null : blocks[^1];
            var shift = last is null ? 0 : last.InsertStartB + last.InsertCountB - (last.DeleteStartA + last.DeleteCountA);
            return new LineMapResult(Clamp(index + shift + 1), Changed: false);
        }

        var block = blocks[blockIndex];
        if (index < block.DeleteStartA)
        {
            // Unchanged line before this block: same distance before the block's new position.
            return new LineMapResult(Clamp(block.InsertStartB - (block.DeleteStartA - index) + 1), Changed: false);
        }

        if (FindMoved(diff.PiecesOld[index]) is { } moved)
        {
            return new LineMapResult(moved + 1, Changed: false);
        }

        var nearest = block.InsertCountB > 0
            ? block.InsertStartB + Math.Min(index - block.DeleteStartA, block.InsertCountB - 1)
            : block.InsertStartB;
        return new LineMapResult(Clamp(nearest + 1), Changed: true);
    }

    private int FirstBlockEndingAfter(int index)
    {
        int low = 0, high = blockEnds.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (blockEnds[middle] <= index)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private int Clamp(int line) => Math.Clamp(line, 1, Math.Max(1, NewLineCount));

    private int? FindMoved(string oldLine)
    {
        var key = oldLine.Trim();
        if (key.Length < MinimumMovedLineLength)
        {
            return null;
        }

        movedLines ??= BuildMovedLines();
        return movedLines.TryGetValue(key, out var newIndex) && newIndex >= 0 ? newIndex : null;
    }

    /// <summary>Inserted lines whose text occurs exactly once in each version: trimmed text → new index (-1 when ambiguous).</summary>
    private Dictionary<string, int> BuildMovedLines()
    {
        var oldCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var piece in diff!.PiecesOld)
        {
            var key = piece.Trim();
            oldCounts[key] = oldCounts.GetValueOrDefault(key) + 1;
        }

        var inserted = new Dictionary<string, int>(StringComparer.Ordinal);
        var newCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var piece in diff.PiecesNew)
        {
            var key = piece.Trim();
            newCounts[key] = newCounts.GetValueOrDefault(key) + 1;
        }

        foreach (var block in diff.DiffBlocks)
        {
            for (var i = block.InsertStartB; i < block.InsertStartB + block.InsertCountB; i++)
            {
                var key = diff.PiecesNew[i].Trim();
                var unique = oldCounts.GetValueOrDefault(key) == 1 && newCounts.GetValueOrDefault(key) == 1;
                inserted[key] = unique ? i : -1;
            }
        }

        return inserted;
    }

    private static string WithoutFinalLineBreak(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
        : text.EndsWith('\n') || text.EndsWith('\r') ? text[..^1]
        : text;

    private static int CountLines(string text)
    {
        if (text.Length == 0)
        {
            return 1;
        }

        var count = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                count++;
            }
        }

        var last = text[^1];
        return last is '\n' or '\r' ? count - 1 : count;
    }
}
