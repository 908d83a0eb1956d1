using System.Net.Http.Headers;
using System.Text;
using Faultline.Testing;

namespace Faultline.Reliability.Tests.Support;

/// <summary>Realistic bodies: a Node error as the native API and the Sentry protocol carry it.</summary>
internal static class Payloads
{
    public const string Sha = "0123456789abcdef0123456789abcdef01234567";

    private const string Stack = """
        TypeError: Cannot read properties of undefined (reading 'id')
            at getUser (/var/task/apps/web/src/users/repository.ts:42:17)
            at async loadSession (/var/task/apps/web/src/auth/session.ts:118:22)
            at async handler (/var/task/apps/web/src/app/api/checkout/route.ts:31:5)
            at async /var/task/node_modules/next/dist/server/future/route-modules/app-route/module.js:6:63251
            at async eT.execute (/var/task/node_modules/next/dist/server/future/route-modules/app-route/module.js:6:53964)
            at async eT.handle (/var/task/node_modules/next/dist/server/future/route-modules/app-route/module.js:6:65062)
            at async doRender (/var/task/node_modules/next/dist/server/base-server.js:1333:42)
            at async cacheEntry.responseCache.get.routeKind (/var/task/node_modules/next/dist/server/base-server.js:1555:28)
            at async NextNodeServer.renderToResponseWithComponentsImpl (/var/task/node_modules/next/dist/server/base-server.js:1463:28)
            at async NextNodeServer.renderPageComponent (/var/task/node_modules/next/dist/server/base-server.js:1856:24)
            at async NextNodeServer.renderToResponseImpl (/var/task/node_modules/next/dist/server/base-server.js:1894:32)
            at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
        """;

    private static readonly string EscapedStack = System.Text.Json.JsonEncodedText.Encode(Stack.ReplaceLineEndings("\n")).ToString();

    /// <summary>One native incident (about 1.5 KB) with the given event id.</summary>
    public static byte[] NativeIncident(Guid eventId, string message = "Cannot read properties of undefined (reading 'id')") =>
        Encoding.UTF8.GetBytes(
            $$"""{"event_id":"{{eventId:D}}","error_message":"{{message}}","error_type":"TypeError","stack_trace":"{{EscapedStack}}","commit_sha":"{{Sha}}","environment":"production","deployment_id":"dpl_reliability"}""");

    /// <summary>A POST of a native body to <paramref name="server"/> with the project's ingest key.</summary>
    public static HttpRequestMessage NativeRequest(Uri server, TestProject project, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/api/v1/incidents")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", project.IngestKey);
        return request;
    }

    /// <summary>A minimal Sentry event (the body of <c>/store/</c> or an envelope's event item).</summary>
    public static string SentryEvent(Guid eventId) =>
        $$$"""{"event_id":"{{{eventId:N}}}","platform":"node","release":"web@{{{Sha}}}","exception":{"values":[{"type":"TypeError","value":"boom","stacktrace":{"frames":[{"filename":"app:///src/app.js","abs_path":"/var/task/src/app.js","lineno":7,"colno":3,"function":"run","in_app":true}]}}]}}""";

    /// <summary>An envelope with one event item carrying its length.</summary>
    public static string SentryEnvelope(Guid eventId)
    {
        var item = SentryEvent(eventId);
        return $$"""{"event_id":"{{eventId:N}}","sent_at":"2026-01-01T00:00:00Z"}""" + "\n"
            + $$"""{"type":"event","length":{{Encoding.UTF8.GetByteCount(item)}}}""" + "\n" + item + "\n";
    }
}
