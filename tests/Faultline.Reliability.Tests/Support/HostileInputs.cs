using System.IO.Compression;
using System.Text;
using Faultline.Testing;

namespace Faultline.Reliability.Tests.Support;

/// <summary>
/// Generates malformed requests, kind by kind (the ingest issue's list of bad inputs and more),
/// aimed at the native route, both Sentry routes and the query routes. Deterministic: a fixed seed.
/// </summary>
internal sealed partial class HostileInputs(TestProject project, TestProject other)
{
    private const string Sha = Payloads.Sha;
    private static readonly string[] NativeFields =
        ["event_id", "error_message", "error_type", "stack_trace", "frames", "file_path", "line_number", "column_number",
         "commit_sha", "deployment_id", "environment", "occurred_at", "fingerprint", "metadata"];

    private static readonly string[] WrongValues = ["1", "-1.5", "true", "null", "[]", "{}", "\"text\"", "[[[\"x\"]]]", "{\"a\":{\"b\":[1,{}]}}"];

    private static readonly string[] SentryTokens = ["@ID@", "@TS@", "@RELEASE@", "@ENV@", "@TYPE@", "@VALUE@", "@FRAMES@", "@LINE@", "@FILE@", "@INAPP@", "@FP@", "@TAGS@"];

    private readonly Random random = new(20261125);

    private string NativePath => "/api/v1/incidents";

    private string StorePath => $"/api/{project.ProjectNumber}/store/";

    private string EnvelopePath => $"/api/{project.ProjectNumber}/envelope/";

    private string SentryAuth => $"Sentry sentry_key={project.IngestKey}, sentry_version=7, sentry_client=reliability/1.0";

    public IEnumerable<(string Kind, List<HostileRequest> Requests)> Kinds()
    {
        yield return ("invalid JSON", [.. InvalidJson().SelectMany(Everywhere)]);
        yield return ("invalid UTF-8", [.. InvalidUtf8().SelectMany(Everywhere)]);
        yield return ("nesting deeper than 64", [.. Nesting().SelectMany(Everywhere)]);
        yield return ("wrong content type", [.. WrongContentType()]);
        yield return ("missing required fields", [.. MissingFields().SelectMany(Everywhere)]);
        yield return ("wrong JSON type for each field", [.. WrongTypes()]);
        yield return ("huge numbers", [.. HugeNumbers().SelectMany(Everywhere)]);
        yield return ("control characters", [.. ControlCharacters().SelectMany(Everywhere)]);
        yield return ("NUL characters", [.. Nul().SelectMany(Everywhere)]);
        yield return ("invalid surrogates", [.. Surrogates().SelectMany(Everywhere)]);
        yield return ("over-long fields", [.. OverLong().SelectMany(Everywhere)]);
        yield return ("100,000 frames", [.. ManyFrames()]);
        yield return ("far-future and far-past timestamps", [.. Timestamps().SelectMany(Everywhere)]);
        yield return ("truncated or corrupt compression", [.. TruncatedCompression()]);
        yield return ("compression bombs", [.. Bombs()]);
        yield return ("body over 1 MiB", [.. TooLarge()]);
        yield return ("header injection and framing (raw HTTP/1.1)", [.. HeaderInjection()]);
        yield return ("10,000 items in one envelope", [.. ManyItems()]);
        yield return ("bad envelope framing", [.. BadEnvelopes()]);
        yield return ("missing or invalid keys", [.. BadKeys()]);
        yield return ("Sentry without auth", [.. SentryNoAuth()]);
        yield return ("bad project in the Sentry URL", [.. BadProjectPart()]);
        yield return ("unsupported or lying Content-Encoding", [.. BadEncodings()]);
        yield return ("invalid event ids and batches", [.. BadEventIdsAndBatches()]);
        yield return ("query routes", [.. QueryRoutes()]);
    }

    // ---- bodies -------------------------------------------------------------------------------

    private static string Native(string field, string rawValue) => NativeWith((field, rawValue));

    private static string NativeWith(params (string Field, string RawValue)[] overrides)
    {
        var fields = new Dictionary<string, string>
        {
            ["error_message"] = "\"boom\"",
            ["error_type"] = "\"TypeError\"",
            ["stack_trace"] = "\"TypeError: boom\\n    at run (/var/task/src/app.js:7:3)\"",
            ["commit_sha"] = $"\"{Sha}\"",
        };
        foreach (var (field, value) in overrides)
        {
            fields[field] = value;
        }

        return "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
    }

    /// <summary>A Sentry event with some parts replaced by raw JSON text.</summary>
    private static string Sentry(params (string Token, string RawValue)[] overrides)
    {
        var text = """
            {"event_id":@ID@,"timestamp":@TS@,"platform":"node","release":@RELEASE@,"environment":@ENV@,"fingerprint":@FP@,"tags":@TAGS@,
             "exception":{"values":[{"type":@TYPE@,"value":@VALUE@,"stacktrace":{"frames":@FRAMES@}}]}}
            """;
        var values = new Dictionary<string, string>
        {
            ["@ID@"] = $"\"{Guid.NewGuid():N}\"", ["@TS@"] = "1764064800.5", ["@RELEASE@"] = $"\"web@{Sha}\"", ["@ENV@"] = "\"production\"",
            ["@TYPE@"] = "\"TypeError\"", ["@VALUE@"] = "\"boom\"", ["@FP@"] = "[\"{{ default }}\"]", ["@TAGS@"] = "{\"a\":\"b\"}",
            ["@FRAMES@"] = "[{\"filename\":@FILE@,\"abs_path\":@FILE@,\"lineno\":@LINE@,\"colno\":3,\"function\":\"run\",\"in_app\":@INAPP@}]",
            ["@LINE@"] = "7", ["@FILE@"] = "\"/var/task/src/app.js\"", ["@INAPP@"] = "true",
        };
        foreach (var (token, value) in overrides)
        {
            values[token] = value;
        }

        foreach (var token in SentryTokens)
        {
            text = text.Replace(token, values[token], StringComparison.Ordinal);
        }

        return text.ReplaceLineEndings(string.Empty);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Envelope(byte[] item, bool withLength = true) =>
        [.. Utf8($"{{\"event_id\":\"{Guid.NewGuid():N}\"}}\n" + (withLength ? $"{{\"type\":\"event\",\"length\":{item.Length}}}\n" : "{\"type\":\"event\"}\n")), .. item, .. "\n"u8];

    private HostileRequest ToNative(byte[] body, string? contentType = "application/json") =>
        new("POST", NativePath, body, contentType) { Headers = [("Authorization", "Bearer " + project.IngestKey)] };

    private HostileRequest ToStore(byte[] body, string? contentType = "application/json") =>
        new("POST", StorePath, body, contentType) { Headers = [("X-Sentry-Auth", SentryAuth)] };

    private HostileRequest ToEnvelope(byte[] body, string? contentType = "application/x-sentry-envelope") =>
        new("POST", EnvelopePath, body, contentType) { Headers = [("X-Sentry-Auth", SentryAuth)] };

    /// <summary>The same hostile document to all three ingest routes (as an envelope item with and without length).</summary>
    private IEnumerable<HostileRequest> Everywhere(byte[] document) =>
        [ToNative(document), ToStore(document), ToEnvelope(Envelope(document)), ToEnvelope(Envelope(document, withLength: false))];

    private IEnumerable<HostileRequest> Everywhere(string document) => Everywhere(Utf8(document));

    private static byte[] Compress(byte[] data, string encoding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Fastest),
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest),
            _ => new BrotliStream(output, CompressionLevel.Fastest),
        })
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }

    // ---- kinds --------------------------------------------------------------------------------

    private IEnumerable<byte[]> InvalidJson()
    {
        foreach (var text in (string[])["{", "}", "[", "{\"error_message\":}", "[1,2", "nul", "{'error_message':'x'}", "{\"error_message\":\"x\",}",
            "{}x", "{\"a\":1}{\"b\":2}", "\"unterminated", "{\"a\" 1}", "", " \n\t ", "\uFEFF{}", "{\"error_message\":\"x\"", "NaN", "Infinity",
            "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "/* c */ {}", "{\"a\":1 // c\n}"])
        {
            yield return Utf8(text);
        }

        for (var i = 0; i < 5; i++)
        {
            var bytes = new byte[random.Next(1, 2000)];
            random.NextBytes(bytes);
            yield return bytes;
        }
    }

    private static IEnumerable<byte[]> InvalidUtf8()
    {
        byte[][] bad = [[0xC3, 0x28], [0xFF], [0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF0, 0x28, 0x8C, 0xBC], [0xFE, 0xFF]];
        foreach (var bytes in bad)
        {
            yield return [.. "{\"error_message\":\"a"u8, .. bytes, .. Utf8($"b\",\"commit_sha\":\"{Sha}\"}}")];
            yield return [.. "{\""u8, .. bytes, .. Utf8($"\":1,\"error_message\":\"x\",\"commit_sha\":\"{Sha}\"}}")];
        }
    }

    private static IEnumerable<string> Nesting()
    {
        foreach (var depth in (int[])[65, 66, 100, 1_000, 100_000])
        {
            yield return Native("metadata", new string('[', depth) + new string(']', depth));
            yield return Native("metadata", string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));
            yield return new string('[', depth) + new string(']', depth);
        }
    }

    private IEnumerable<HostileRequest> WrongContentType()
    {
        var body = Utf8(NativeWith());
        foreach (var type in (string?[])[null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "image/png", "application/jsonx", "json", "application/json; charset=utf-16", "*/*", "application/octet-stream", "text/json",
            "application/problem+json", "application/json;;;", "application/x-sentry-envelope"])
        {
            yield return ToNative(body, type);
            yield return ToStore(Utf8(Sentry()), type);
            yield return ToEnvelope(Envelope(Utf8(Sentry())), type);
        }
    }

    private static IEnumerable<string> MissingFields()
    {
        var valid = NativeWith();
        return
        [
            "{}", "[]", "null", "1", "\"x\"", "true", "{\"error_message\":\"x\"}", $"{{\"commit_sha\":\"{Sha}\"}}", "{\"incidents\":[]}",
            "{\"incidents\":[{}]}", "{\"incidents\":null}", "{\"incidents\":{}}", "{\"incidents\":[null]}", $"{{\"incidents\":[{valid},{{}}]}}",
            $"{{\"incidents\":[{string.Join(",", Enumerable.Repeat(valid, 101))}]}}", "{\"exception\":{}}", "{\"exception\":{\"values\":[]}}",
            "{\"exception\":{\"values\":[{}]}}", "{\"message\":\"no release\"}", Sentry(("@RELEASE@", "null")), Sentry(("@RELEASE@", "\"1.0.0\"")),
        ];
    }

    private IEnumerable<HostileRequest> WrongTypes()
    {
        foreach (var field in NativeFields)
        {
            foreach (var value in WrongValues)
            {
                yield return ToNative(Utf8(Native(field, value)));
            }
        }

        foreach (var token in SentryTokens)
        {
            foreach (var value in WrongValues)
            {
                var sentry = Utf8(Sentry((token, value)));
                yield return ToStore(sentry);
                yield return ToEnvelope(Envelope(sentry));
            }
        }
    }

    private static IEnumerable<string> HugeNumbers()
    {
        foreach (var number in (string[])["1e308", "-1e308", "1e400", "99999999999999999999999999", "2147483648", "-2147483649", "1e-320", "-0", "4.9e-324", "123456789012345678901234567890.5"])
        {
            yield return NativeWith(("line_number", number), ("column_number", number));
            yield return Native("occurred_at", number);
            yield return Sentry(("@LINE@", number), ("@TS@", number));
        }
    }

    private static IEnumerable<string> ControlCharacters()
    {
        for (var c = 1; c < 32; c += 2)
        {
            var escaped = $"\\u{c:x4}";
            yield return NativeWith(("error_message", $"\"a{escaped}b\""), ("file_path", $"\"src/{escaped}.ts\""), ("environment", $"\"prod{escaped}\""));
            yield return Sentry(("@TYPE@", $"\"T{escaped}\""), ("@FILE@", $"\"/var/task/{escaped}.js\""), ("@ENV@", $"\"{escaped}\""));
        }

        // Raw (unescaped) control characters inside strings are invalid JSON.
        yield return NativeWith(("error_message", "\"a\u0001b\""));
        yield return NativeWith(("error_message", "\"\u007f\u0085\u2028\u2029\""), ("metadata", "{\"\\u0007\":\"\\u001b[31m\"}"));
    }

    private static IEnumerable<byte[]> Nul()
    {
        foreach (var field in (string[])["error_message", "error_type", "stack_trace", "file_path", "deployment_id", "environment", "fingerprint"])
        {
            yield return Utf8(Native(field, "\"a\\u0000b\\u0000\""));
        }

        yield return Utf8(Native("metadata", "{\"k\\u0000\":\"v\\u0000\",\"n\":[\"\\u0000\"]}"));
        yield return Utf8(Sentry(("@TYPE@", "\"\\u0000\""), ("@VALUE@", "\"x\\u0000y\""), ("@FILE@", "\"/var/task/\\u0000.js\""), ("@TAGS@", "{\"\\u0000\":\"\\u0000\"}")));
        yield return [.. Utf8(NativeWith()), 0];
        yield return [0, .. Utf8(NativeWith())];
        yield return [.. "{\"error_message\":\"a"u8, 0, .. Utf8($"\",\"commit_sha\":\"{Sha}\"}}")];
    }

    private static IEnumerable<string> Surrogates()
    {
        foreach (var bad in (string[])["\\ud800", "\\udc00", "\\ud800\\ud800", "\\udfff\\ud800", "x\\ud83d", "\\ud83dx", "\\udbff"])
        {
            yield return NativeWith(("error_message", $"\"{bad}\""), ("stack_trace", $"\"Error: {bad}\\n    at f (/var/task/{bad}.js:1:1)\""));
            yield return NativeWith(("file_path", $"\"src/{bad}.ts\""), ("fingerprint", $"[\"{bad}\"]"), ("metadata", $"{{\"{bad}\":\"{bad}\"}}"));
            yield return Sentry(("@VALUE@", $"\"{bad}\""), ("@FILE@", $"\"/var/task/{bad}.js\""), ("@TAGS@", $"{{\"{bad}\":\"{bad}\"}}"));
        }
    }

    private static IEnumerable<string> OverLong()
    {
        var huge = new string('x', 900_000);
        var big = new string('y', 100_000);
        yield return Native("error_message", $"\"{huge}\"");
        yield return Native("stack_trace", $"\"Error: x\\n{string.Concat(Enumerable.Repeat("    at f (/var/task/src/a.js:1:1)\\n", 25_000))}\"");
        foreach (var field in (string[])["error_type", "file_path", "commit_sha", "deployment_id", "environment", "event_id"])
        {
            yield return Native(field, $"\"{big}\"");
        }

        yield return Native("fingerprint", "[" + string.Join(",", Enumerable.Repeat("\"part\"", 20_000)) + "]");
        yield return Native("metadata", "{" + string.Join(",", Enumerable.Range(0, 40_000).Select(i => $"\"k{i}\":{i}")) + "}");
        yield return Sentry(("@VALUE@", $"\"{huge}\""));
        yield return Sentry(("@TYPE@", $"\"{big}\""), ("@FILE@", $"\"/var/task/{big}.js\""), ("@RELEASE@", $"\"{big}@{Sha}\""), ("@ENV@", $"\"{big}\""));
        yield return Sentry(("@TAGS@", "{" + string.Join(",", Enumerable.Range(0, 40_000).Select(i => $"\"t{i}\":\"v\"")) + "}"));
    }

    private IEnumerable<HostileRequest> ManyFrames()
    {
        var nativeFrames = "[" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"{{\"file\":\"/var/task/src/f{i % 97}.js\",\"line\":{i},\"column\":1,\"function\":\"f{i}\",\"in_app\":true}}")) + "]";
        var sentryFrames = "[" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"{{\"filename\":\"f{i % 97}.js\",\"abs_path\":\"/var/task/f{i % 97}.js\",\"lineno\":{i},\"in_app\":{(i % 2 == 0 ? "true" : "false")}}}")) + "]";
        var stack = "\"Error: deep\\n" + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"    at f{i} (/var/task/src/f.js:{i}:1)\\n")) + "\"";
        foreach (var encoding in (string[])["gzip", "br"])
        {
            yield return ToNative(Compress(Utf8(Native("frames", nativeFrames)), encoding)) with { ContentEncoding = encoding };
            yield return ToNative(Compress(Utf8(Native("stack_trace", stack)), encoding)) with { ContentEncoding = encoding };
            yield return ToStore(Compress(Utf8(Sentry(("@FRAMES@", sentryFrames))), encoding)) with { ContentEncoding = encoding };
            yield return ToEnvelope(Compress(Envelope(Utf8(Sentry(("@FRAMES@", sentryFrames)))), encoding)) with { ContentEncoding = encoding };
        }
    }

    private static IEnumerable<string> Timestamps()
    {
        foreach (var value in (string[])["\"9999-12-31T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"", "\"1970-01-01T00:00:00Z\"", "\"2026-13-45T99:99:99Z\"", "\"\"",
            "\"now\"", "\"+275760-09-13T00:00:00Z\"", "\"2026-01-01T00:00:00+25:00\"", "\"1900-01-01\"", "\"2100-01-01T00:00:00.123456789Z\""])
        {
            yield return Native("occurred_at", value);
            yield return Sentry(("@TS@", value));
        }

        foreach (var seconds in (string[])["1e15", "-1e10", "253402300800", "0", "-62135596801", "1e19", "32503680000.999"])
        {
            yield return Sentry(("@TS@", seconds));
        }
    }

    private IEnumerable<HostileRequest> TruncatedCompression()
    {
        var native = Utf8(NativeWith());
        var sentry = Utf8(Sentry());
        foreach (var encoding in (string[])["gzip", "deflate", "br"])
        {
            var nativeCompressed = Compress(native, encoding);
            var sentryCompressed = Compress(sentry, encoding);
            foreach (var cut in (int[])[1, 2, 5, 10, nativeCompressed.Length / 2, nativeCompressed.Length - 4, nativeCompressed.Length - 1])
            {
                yield return ToNative(nativeCompressed[..Math.Min(cut, nativeCompressed.Length - 1)]) with { ContentEncoding = encoding };
                yield return ToStore(sentryCompressed[..Math.Min(cut, sentryCompressed.Length - 1)]) with { ContentEncoding = encoding };
            }

            var corrupt = (byte[])nativeCompressed.Clone();
            corrupt[corrupt.Length / 2] ^= 0xFF;
            corrupt[^2] ^= 0xFF;
            yield return ToNative(corrupt) with { ContentEncoding = encoding };
            yield return ToEnvelope(corrupt) with { ContentEncoding = encoding };
        }
    }

    private IEnumerable<HostileRequest> Bombs()
    {
        var zeros = new byte[64 * 1024 * 1024];
        var brackets = Utf8(new string('[', 12 * 1024 * 1024));
        foreach (var encoding in (string[])["gzip", "deflate", "br"])
        {
            var bomb = Compress(zeros, encoding);
            var nesting = Compress(brackets, encoding);
            yield return ToNative(bomb) with { ContentEncoding = encoding };
            yield return ToStore(bomb) with { ContentEncoding = encoding };
            yield return ToEnvelope(bomb) with { ContentEncoding = encoding };
            yield return ToEnvelope(bomb) with { ContentEncoding = encoding, Chunked = true };
            yield return ToNative(nesting) with { ContentEncoding = encoding };
            yield return ToStore(nesting) with { ContentEncoding = encoding, Chunked = true };
        }

        // A gzip inside a gzip: only one layer is undone, the rest is not JSON.
        var twice = Compress(Compress(zeros, "gzip"), "gzip");
        yield return ToNative(twice) with { ContentEncoding = "gzip" };
    }

    private IEnumerable<HostileRequest> TooLarge()
    {
        foreach (var size in (int[])[1024 * 1024 + 1, 2 * 1024 * 1024, 8 * 1024 * 1024])
        {
            var body = Utf8(Native("error_message", $"\"{new string('x', size)}\""));
            foreach (var chunked in (bool[])[false, true])
            {
                yield return ToNative(body) with { Chunked = chunked };
                yield return ToStore(body) with { Chunked = chunked };
                yield return ToEnvelope(Envelope(body)) with { Chunked = chunked };
            }
        }
    }

    private IEnumerable<HostileRequest> ManyItems()
    {
        string Many(Func<int, string> item) => $"{{\"event_id\":\"{Guid.NewGuid():N}\"}}\n" + string.Concat(Enumerable.Range(0, 10_000).Select(item));
        yield return ToEnvelope(Utf8(Many(_ => "{\"type\":\"client_report\",\"length\":2}\n{}\n")));
        yield return ToEnvelope(Utf8(Many(_ => "{\"type\":\"session\"}\n{\"sid\":\"x\",\"status\":\"ok\"}\n")));
        yield return ToEnvelope(Utf8(Many(_ => "{\"type\":\"attachment\",\"length\":0}\n\n")));
        yield return ToEnvelope(Utf8(Many(_ => "\n")));
        yield return ToEnvelope(Utf8(Many(_ => "{\"type\":\"event\"}\n{}\n")));
        yield return ToEnvelope(Utf8(Many(i => $"{{\"type\":\"event\",\"length\":2}}\n{{}}\n")));
        yield return ToEnvelope(Utf8(Many(i => $"{{\"type\":\"x{i}\"}}\n[{i}]\n")));
        yield return ToEnvelope(Compress(Utf8(Many(_ => "{\"type\":\"client_report\",\"length\":2}\n{}\n")), "gzip")) with { ContentEncoding = "gzip" };
        yield return ToNative(Utf8("{\"incidents\":[" + string.Join(",", Enumerable.Repeat("{}", 10_000)) + "]}"));
        yield return ToNative(Utf8("{\"incidents\":[" + string.Join(",", Enumerable.Repeat(NativeWith(), 10_000)) + "]}"));
    }
}
