using System.Globalization;
using System.Text;

namespace Faultline.Reliability.Tests.Support;

/// <summary>The kinds aimed at the protocol rather than the body: framing, keys, URLs, encodings, query routes.</summary>
internal sealed partial class HostileInputs
{
    private IEnumerable<HostileRequest> HeaderInjection()
    {
        var body = NativeWith();
        string[] paths = [NativePath, StorePath, EnvelopePath, $"/api/v1/repos/{project.RepositoryFullName}/incidents"];
        string[] templates =
        [
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\rX-Injected: 1\r\nContent-Type: application/json\r\nContent-Length: {2}\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\nX-Injected: 1\r\nContent-Type: application/json\r\nContent-Length: {2}\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nX-Sentry-Auth: Sentry sentry_key={1}\r\n injected-fold: 1\r\nContent-Type: application/json\r\nContent-Length: {2}\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\0\r\nContent-Type: application/json\r\nContent-Length: {2}\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization : Bearer {1}\r\nContent-Type: application/json\r\nContent-Length: {2}\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\nContent-Type: application/json\r\nContent-Length: {2}\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\r\nContent-Type: application/json\r\nContent-Length: {2}\r\nContent-Length: 3\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\r\nContent-Type: application/json\r\nContent-Length: {2}\r\nTransfer-Encoding: chunked\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{3}\r\n0\r\n\r\n",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n{3}\r\n0\r\n\r\n",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\r\nContent-Type: application/json\r\nContent-Length: 1e3\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nHost: y\r\nAuthorization: Bearer {1}\r\nContent-Type: application/json\r\nContent-Length: {2}\r\n\r\n{3}",
            "POST {0}\r HTTP/1.1\r\nHost: x\r\nContent-Length: {2}\r\n\r\n{3}",
            "POST {0} HTTP/1.1\nHost: x\nAuthorization: Bearer {1}\nContent-Type: application/json\nContent-Length: {2}\n\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nX-Sentry-Auth: Sentry sentry_key={1}\r\r\nContent-Type: application/json\r\nContent-Length: {2}\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\r\nContent-Type: application/json\u0085\r\nContent-Length: {2}\r\n\r\n{3}",
            "POST {0}?q=%0d%0aX-Injected:%201 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}%0d%0a\r\nContent-Length: {2}\r\n\r\n{3}",
            "POST {0} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {1}\r\nContent-Type: application/json\r\nContent-Length: {2}\r\n\r\n{3}\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
        ];
        foreach (var path in paths)
        {
            foreach (var template in templates)
            {
                // The query routes are GET routes: a POST there is a 405, which is not what this kind tests.
                var isQuery = path.Contains("/repos/", StringComparison.Ordinal) || path.StartsWith("/api/v1/incidents/", StringComparison.Ordinal);
                var framed = isQuery && template.StartsWith("POST ", StringComparison.Ordinal) ? "GET " + template[5..] : template;
                var text = string.Format(CultureInfo.InvariantCulture, framed, path, project.IngestKey, Encoding.UTF8.GetByteCount(body), body);
                yield return new HostileRequest("RAW", path) { Raw = Encoding.Latin1.GetBytes(text) };
            }
        }
    }

    private IEnumerable<HostileRequest> BadEnvelopes()
    {
        var item = Sentry();
        var length = Encoding.UTF8.GetByteCount(item);
        var header = $"{{\"event_id\":\"{Guid.NewGuid():N}\"}}\n";
        foreach (var envelope in (string[])
        [
            header + $"{{\"type\":\"event\",\"length\":-1}}\n{item}\n",
            header + $"{{\"type\":\"event\",\"length\":10000000000}}\n{item}\n",
            header + $"{{\"type\":\"event\",\"length\":\"abc\"}}\n{item}\n",
            header + $"{{\"type\":\"event\",\"length\":{length + 100}}}\n{item}\n",
            header + $"{{\"type\":\"event\",\"length\":0}}\n{item}\n",
            header + $"{{\"type\":\"event\",\"length\":{length / 2}}}\n{item}\n",
            header + $"{{\"type\":\"event\",\"length\":1.5}}\n{item}\n",
            header + $"{{\"type\":\"event\",\"length\":1e400}}\n{item}\n",
            header + $"{{\"type\":\"event\",\"length\":null}}\n{item}\n",
            header + $"{{\"type\":\"event\",\"length\":{length}}}",
            header + $"{{\"type\":\"event\"}}",
            header + $"not json\n{item}\n",
            header + $"[\"event\"]\n{item}\n",
            header + $"{{\"type\":7}}\n{item}\n",
            header + $"{{\"length\":{length}}}\n{item}\n",
            header + $"{{\"type\":\"event\",\"length\":{length}}}\n{item}garbage-after-item\n",
            header + $"{{\"type\":\"event\",\"length\":2}}\n{{}}\n{{\"type\":\"event\",\"length\":2}}\n{{}}\n",
            "", "\n", "\n\n\n", "[]\n", "null\n", "{}", "{\"dsn\":123}\n", "{\"dsn\":\"not a url\"}\n", "{\"dsn\":\"http://@host/1\"}\n",
            "{\"event_id\":\"not-an-id\"}\n" + $"{{\"type\":\"event\",\"length\":{length}}}\n{item}\n",
            "{\"event_id\":12}\n" + $"{{\"type\":\"event\",\"length\":{length}}}\n{item}\n",
            header.TrimEnd('\n'),
        ])
        {
            yield return ToEnvelope(Utf8(envelope));
        }
    }

    private IEnumerable<HostileRequest> BadKeys()
    {
        var native = Utf8(NativeWith());
        var sentry = Utf8(Sentry());
        foreach (var value in (string?[])[null, "Bearer ", "Bearer x", "Bearer " + new string('k', 10_000), "Bearer fl_ingest_ünïcode", "Bearer " + other.IngestKey,
            "Basic dXNlcjpwYXNz", "bearer " + project.IngestKey.ToUpperInvariant(), "Bearer " + project.IngestKey[..^1], "Bearer " + project.IngestKey + "x",
            "Bearer  " + project.IngestKey + " trailing", "Token " + project.IngestKey, "Bearer %00", "Bearer ' OR '1'='1"])
        {
            yield return new HostileRequest("POST", NativePath, native) { Headers = value is null ? [] : [("Authorization", value)] };
        }

        foreach (var value in (string[])["", " ", "x", other.IngestKey, new string('k', 10_000), "' OR 1=1 --"])
        {
            yield return new HostileRequest("POST", NativePath, native) { Headers = [("X-Faultline-Key", value)] };
        }

        foreach (var value in (string[])["Sentry", "Sentry ", "Sentry sentry_key", "Sentry sentry_key=", "Sentry sentry_key=,", "garbage", "Sentry sentry_key=x",
            $"Sentry sentry_key={other.IngestKey}", "Sentry sentry_key=" + new string('k', 10_000), "Sentry ,,,,=,=,", "Sentry sentry_key==="])
        {
            yield return new HostileRequest("POST", StorePath, sentry) { Headers = [("X-Sentry-Auth", value)] };
            yield return new HostileRequest("POST", EnvelopePath, Envelope(sentry)) { Headers = [("X-Sentry-Auth", value)] };
        }

        foreach (var query in (string[])["?sentry_key=", "?sentry_key=x", "?sentry_key=" + other.IngestKey, "?sentry_key=%00", "?sentry_key=%ZZ", "?sentry_key=a&sentry_key=b"])
        {
            yield return new HostileRequest("POST", StorePath + query, sentry);
        }

        foreach (var dsn in (string[])["\"http://x@h/1\"", $"\"http://{other.IngestKey}@h/{project.ProjectNumber}\"", "\"http://%ZZ@h/1\"", "\"::::\"", "[]", "{\"a\":1}"])
        {
            yield return ToEnvelope(Utf8($"{{\"dsn\":{dsn}}}\n{{\"type\":\"event\"}}\n{Sentry()}\n")) with { Headers = [] };
        }
    }

    private IEnumerable<HostileRequest> SentryNoAuth()
    {
        foreach (var body in (string[])[Sentry(), "{}", "", "not json", NativeWith()])
        {
            yield return new HostileRequest("POST", StorePath, Utf8(body));
            yield return new HostileRequest("POST", EnvelopePath, Envelope(Utf8(body)), "application/x-sentry-envelope");
            yield return new HostileRequest("POST", EnvelopePath, Utf8(body), null);
            yield return new HostileRequest("POST", StorePath, Utf8(body)) { Headers = [("Authorization", "Bearer " + project.IngestKey)] };
        }
    }

    private IEnumerable<HostileRequest> BadProjectPart()
    {
        var sentry = Utf8(Sentry());
        foreach (var part in (string[])["0", "-1", "99999999999999999999", "abc", "%00", "proj_aaaaaaaaaaaa", other.ProjectId, "1.5", "%2e%2e", " 1", "1 ",
            (other.ProjectNumber).ToString(CultureInfo.InvariantCulture), "+1", "0x1", new string('9', 2_000)])
        {
            yield return new HostileRequest("POST", $"/api/{part}/store/", sentry) { Headers = [("X-Sentry-Auth", SentryAuth)] };
            yield return new HostileRequest("POST", $"/api/{part}/envelope/", Envelope(sentry)) { Headers = [("X-Sentry-Auth", SentryAuth)] };
        }
    }

    private IEnumerable<HostileRequest> BadEncodings()
    {
        var native = Utf8(NativeWith());
        var sentry = Utf8(Sentry());
        foreach (var encoding in (string[])["compress", "zstd", "gzip, gzip", "identity, gzip", "GZIP", "x-gzip", "br", "deflate", "gzip;q=1", "*", "chunked"])
        {
            yield return ToNative(native) with { ContentEncoding = encoding };
            yield return ToStore(sentry) with { ContentEncoding = encoding };
            yield return ToEnvelope(Envelope(sentry)) with { ContentEncoding = encoding };
        }
    }

    private IEnumerable<HostileRequest> BadEventIdsAndBatches()
    {
        foreach (var id in (string[])["\"abc\"", "\"\"", "1234", "\"{00000000-0000-0000-0000-000000000000}\"", $"\"{new string('a', 33)}\"",
            $"\"{new string('a', 31)}\"", $"\"{Guid.NewGuid():N}\"".ToUpperInvariant(), "\"00000000-0000-0000-0000-000000000000\"", "\"zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz\"", "\"../../etc/passwd\""])
        {
            yield return ToNative(Utf8(Native("event_id", id)));
            yield return ToStore(Utf8(Sentry(("@ID@", id))));
            yield return ToEnvelope(Utf8($"{{\"event_id\":{id}}}\n{{\"type\":\"event\"}}\n{Sentry(("@ID@", id))}\n"));
        }

        var same = $"\"{Guid.NewGuid():N}\"";
        yield return ToNative(Utf8("{\"incidents\":[" + string.Join(",", Enumerable.Repeat(Native("event_id", same), 100)) + "]}"));
        yield return ToNative(Utf8("{\"incidents\":[" + NativeWith() + "," + Native("line_number", "\"x\"") + "]}"));
        yield return ToEnvelope(Utf8($"{{}}\n" + string.Concat(Enumerable.Repeat($"{{\"type\":\"event\"}}\n{Sentry(("@ID@", same))}\n", 50))));
    }

    private IEnumerable<HostileRequest> QueryRoutes()
    {
        var repository = project.RepositoryFullName;
        string[] paths =
        [
            $"/api/v1/repos/{repository}/incidents", $"/api/v1/repos/{repository}/incident-groups", "/api/v1/incidents/inc_01JZZZZZZZZZZZZZZZZZZZZZZZ",
            $"/api/v1/repos/{repository}/incidents?limit=-1", $"/api/v1/repos/{repository}/incidents?limit=1000000000000", $"/api/v1/repos/{repository}/incidents?limit=abc",
            $"/api/v1/repos/{repository}/incidents?cursor=%00%FF", $"/api/v1/repos/{repository}/incidents?cursor=" + new string('A', 3_000),
            $"/api/v1/repos/{repository}/incidents?status=%27%3B%20DROP%20TABLE%20incidents%3B--", $"/api/v1/repos/{repository}/incidents?since=tomorrow",
            $"/api/v1/repos/{repository}/incident-groups?environment=%00&commit_sha=xyz&file_path=../../etc/passwd", "/api/v1/repos/%2e%2e/%2e%2e/incidents",
            "/api/v1/repos/a%2Fb/c/incidents", "/api/v1/repos/%F0%9F%92%A5/%ED%A0%80/incidents", $"/api/v1/repos/{new string('o', 2_000)}/r/incidents",
            "/api/v1/incidents/%00", "/api/v1/incidents/..%2F..%2Fetc%2Fpasswd", "/api/v1/incidents/inc_%FF%FE", $"/api/v1/incidents/{new string('i', 3_000)}",
        ];
        foreach (var path in paths)
        {
            yield return new HostileRequest("GET", path);
            yield return new HostileRequest("GET", path) { Headers = [("Authorization", "Bearer fl_at_garbage"), ("If-None-Match", "\"\u00ff\"garbage")] };
            yield return new HostileRequest("GET", path) { Headers = [("Authorization", "Bearer " + project.IngestKey)] };
        }
    }
}
