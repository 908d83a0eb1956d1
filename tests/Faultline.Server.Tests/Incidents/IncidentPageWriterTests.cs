using System.Buffers;
using System.Text;
using System.Text.Json;
using Faultline.Server.Incidents;

namespace Faultline.Server.Tests.Incidents;

/// <summary>The list's own escaping of UTF-8 text: whatever the text, a JSON parser reads back exactly that text.</summary>
public sealed class IncidentPageWriterTests
{
    public static TheoryData<string> Texts => new()
    {
        "",
        "plain text with nothing to escape",
        "TypeError: x\n    at f (webpack-internal:///(rsc)/./src/a.ts:1:2)\n    at g (node:internal/x:3:4)\n",
        "\"quoted\" and \\back\\slashed\\",
        "\r\n\t\b\f",
        "\\",
        "\"",
        "ends with a newline\n",
        "\nstarts with a newline",
        "ü 🚀 日本語 <script> & + ' \u2028 \u007f",
        "\u0000\u0001\u001f nul and friends",
        string.Concat(Enumerable.Repeat("line\twith tab\n", 5000)),
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Reads_back_as_the_same_text(string text) =>
        Assert.Equal(text, RoundTrip(text));

    [Fact]
    public void Every_character_below_128_reads_back()
    {
        var text = new string([.. Enumerable.Range(0, 128).Select(c => (char)c)]);

        Assert.Equal(text, RoundTrip(text));
        Assert.Equal(text + text, RoundTrip(text + text));
    }

    [Fact]
    public void Escapes_control_characters_the_short_way_where_JSON_has_one()
    {
        var json = Write("a\nb\u0001c\"d\\e");

        Assert.Equal("""{"v":"a\nb\u0001c\"d\\e"}""", json);
    }

    private static string? RoundTrip(string text)
    {
        using var document = JsonDocument.Parse(Write(text));
        return document.RootElement.GetProperty("v").GetString();
    }

    private static string Write(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, IncidentPageResult.WriterOptions))
        {
            writer.WriteStartObject();
            IncidentPageResult.WriteString(writer, JsonEncodedText.Encode("v"), Encoding.UTF8.GetBytes(text));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
