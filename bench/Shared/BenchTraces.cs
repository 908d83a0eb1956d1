namespace Faultline.Bench;

/// <summary>Traces shared by the benchmarks (linked into each bench project).</summary>
internal static class BenchTraces
{
    /// <summary>The typical 1.5 KB, 16-line Next.js server trace the ingest targets are measured with.</summary>
    public const string Node =
        """
        TypeError: Cannot read properties of undefined (reading 'id')
            at getSessionUser (webpack-internal:///(rsc)/./src/lib/auth/session.ts:58:32)
            at async loadCheckout (webpack-internal:///(rsc)/./src/app/checkout/loader.ts:21:18)
            at async CheckoutPage (webpack-internal:///(rsc)/./src/app/checkout/page.tsx:14:20)
            at async Promise.all (index 0)
            at async renderToHTMLOrFlight (/var/task/node_modules/next/dist/server/app-render/app-render.js:1224:33)
            at async doRender (/var/task/node_modules/next/dist/server/base-server.js:1420:30)
            at async cacheEntry.responseCache.get.routeKind (/var/task/node_modules/next/dist/server/base-server.js:1581:28)
            at async NextNodeServer.renderToResponseWithComponentsImpl (/var/task/node_modules/next/dist/server/base-server.js:1489:28)
            at async NextNodeServer.renderPageComponent (/var/task/node_modules/next/dist/server/base-server.js:1911:24)
            at async NextNodeServer.renderToResponseImpl (/var/task/node_modules/next/dist/server/base-server.js:1949:32)
            at async NextNodeServer.pipeImpl (/var/task/node_modules/next/dist/server/base-server.js:916:25)
            at async NextNodeServer.handleCatchallRenderRequest (/var/task/node_modules/next/dist/server/next-server.js:272:17)
            at async NextNodeServer.handleRequestImpl (/var/task/node_modules/next/dist/server/base-server.js:812:17)
            at async invokeRender (/var/task/node_modules/next/dist/server/lib/router-server.js:174:21)
            at async handleRequest (/var/task/node_modules/next/dist/server/lib/router-server.js:353:24)
        """;
}
