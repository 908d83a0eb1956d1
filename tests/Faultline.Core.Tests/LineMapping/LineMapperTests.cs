using Faultline.Core.LineMapping;

namespace Faultline.Core.Tests.LineMapping;

public sealed class LineMapperTests
{
    // A small "file" whose lines are distinctive, as source code is.
    private static readonly string[] Original =
    [
        "import { db } from './db';",             // 1
        "",                                        // 2
        "export async function checkout(req) {",   // 3
        "  const user = await db.user(req.id);",   // 4
        "  const cart = user.cart.id;",            // 5  <- the line that threw
        "  return total(cart);",                   // 6
        "}",                                       // 7
    ];

    private static string Text(params string[] lines) => string.Join('\n', lines) + "\n";

    private static string[] With(Func<List<string>, List<string>> edit) => [.. edit([.. Original])];

    public static TheoryData<string, string[], int, int?, bool> Cases() => new()
    {
        { "unchanged", Original, 5, 5, false },
        { "one line inserted above", With(l => { l.Insert(1, "import { log } from './log';"); return l; }), 5, 6, false },
        { "three lines inserted above", With(l => { l.InsertRange(3, ["  log('a');", "  log('b');", "  log('c');"]); return l; }), 5, 8, false },
        { "inserted below", With(l => { l.Insert(6, "  // done"); return l; }), 5, 5, false },
        { "inserted at the end", With(l => { l.Add("export const x = 1;"); return l; }), 5, 5, false },
        { "deleted above", With(l => { l.RemoveAt(1); return l; }), 5, 4, false },
        { "two deleted above", With(l => { l.RemoveRange(0, 2); return l; }), 5, 3, false },
        { "deleted below", With(l => { l.RemoveAt(5); return l; }), 5, 5, false },
        { "inserted above and deleted below", With(l => { l.RemoveAt(5); l.Insert(0, "'use strict';"); return l; }), 5, 6, false },
        { "the line itself edited", With(l => { l[4] = "  const cart = user?.cart?.id;"; return l; }), 5, 5, true },
        { "the line edited and lines inserted above", With(l => { l[4] = "  const cart = user?.cart?.id;"; l.Insert(0, "'use strict';"); return l; }), 5, 6, true },
        { "the line deleted: nearest is the line that followed", With(l => { l.RemoveAt(4); return l; }), 5, 5, true },
        { "the last line deleted: clamped to the end", With(l => { l.RemoveAt(6); return l; }), 7, 6, true },
        { "a region replaced by fewer lines", With(l => { l.RemoveRange(3, 3); l.Insert(3, "  return total(await cartOf(req));"); return l; }), 5, 4, true },
        { "a line above edited", With(l => { l[0] = "import { db } from '../db';"; return l; }), 5, 5, false },
        { "indentation changed", With(l => { l[4] = "    const cart = user.cart.id;"; return l; }), 5, 5, false },
        { "moved down unchanged", With(l => { var x = l[4]; l.RemoveAt(4); l.Insert(5, x); return l; }), 5, 6, false },
        { "moved into another function", With(l => { var x = l[4]; l.RemoveAt(4); l.AddRange(["", "function cartId(user) {", x, "}"]); return l; }), 5, 9, false },
        { "a short line moved is not followed", With(l => { l.RemoveAt(6); l.Insert(2, "}"); return l; }), 7, 7, true },
        { "everything replaced", ["completely", "different", "content"], 5, 3, true },
        { "emptied", [], 5, 1, true },
        { "line beyond the old end", Original, 40, 7, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Map_AfterEdit_FollowsTheLine(string name, string[] now, int line, int? expectedLine, bool expectedChanged)
    {
        var result = LineMapper.Map(Text(Original), now.Length == 0 ? "" : Text(now), line);

        Assert.True(
            result == new LineMapResult(expectedLine, expectedChanged),
            $"{name}: expected line {expectedLine} (changed {expectedChanged}), got {result.Line} (changed {result.Changed})");
    }

    [Fact]
    public void Map_FileDeleted_IsDropped()
    {
        var result = LineMapper.Map(Text(Original), null, 5);

        Assert.True(result.IsDropped);
        Assert.Null(result.Line);
    }

    [Theory]
    [InlineData("\n", "\r\n")]
    [InlineData("\r\n", "\n")]
    [InlineData("\r\n", "\r\n")]
    [InlineData("\r", "\n")]
    public void Map_LineEndingsDiffer_MapsLineForLine(string oldEnding, string newEnding)
    {
        var oldText = string.Join(oldEnding, Original) + oldEnding;
        var newText = string.Join(newEnding, Original) + newEnding;

        for (var line = 1; line <= Original.Length; line++)
        {
            Assert.Equal(new LineMapResult(line, false), LineMapper.Map(oldText, newText, line));
        }
    }

    [Fact]
    public void Map_LineEndingsDifferAndLineInsertedAbove_Shifts()
    {
        var oldText = string.Join("\r\n", Original);
        var newText = "'use strict';\n" + string.Join("\n", Original);

        Assert.Equal(new LineMapResult(6, false), LineMapper.Map(oldText, newText, 5));
    }

    [Fact]
    public void Map_FinalNewlineAddedOrRemoved_DoesNotMoveLines()
    {
        var withNewline = Text(Original);
        var without = string.Join('\n', Original);

        Assert.Equal(new LineMapResult(7, false), LineMapper.Map(withNewline, without, 7));
        Assert.Equal(new LineMapResult(7, false), LineMapper.Map(without, withNewline, 7));
    }

    [Theory]
    [InlineData("", "", 1, 1, true)] // no such line in the old text: nothing to vouch for
    [InlineData("", "a\nb\n", 1, 1, true)]
    [InlineData("only line", "", 1, 1, true)]
    [InlineData("only line", "only line", 1, 1, false)]
    [InlineData("only line\n", "new first\nonly line\n", 1, 2, false)]
    public void Map_EmptyOrTinyFiles_StaysWithinTheFile(string oldText, string newText, int line, int expectedLine, bool expectedChanged)
    {
        Assert.Equal(new LineMapResult(expectedLine, expectedChanged), LineMapper.Map(oldText, newText, line));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Map_LineNumberNotPositive_ClampsToFirstLine(int line)
    {
        Assert.Equal(new LineMapResult(1, true), LineMapper.Map(Text(Original), Text(Original), line));
    }

    [Fact]
    public void LineMap_ManyLinesOfALargeFile_MapsEachThroughTheSameDiff()
    {
        var old = Enumerable.Range(1, 20_000).Select(i => $"statement number {i};").ToList();
        var now = new List<string>(old);
        now.Insert(10_000, "inserted in the middle();");
        now.RemoveAt(100);
        now[15_000] = "edited line();";

        var map = LineMap.Create(string.Join('\n', old), string.Join('\n', now));

        Assert.Equal(new LineMapResult(50, false), map.Map(50));
        Assert.Equal(new LineMapResult(101, true), map.Map(101));
        Assert.Equal(new LineMapResult(5_000, false), map.Map(5_001));
        Assert.Equal(new LineMapResult(10_001, false), map.Map(10_001));
        Assert.Equal(new LineMapResult(15_001, true), map.Map(15_001));
        Assert.Equal(new LineMapResult(20_000, false), map.Map(20_000));
        Assert.Equal(20_000, map.NewLineCount);
    }
}
