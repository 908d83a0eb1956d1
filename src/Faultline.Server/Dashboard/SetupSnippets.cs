namespace Faultline.Server.Dashboard;

/// <summary>One way to send errors to a project: a heading, what to run, and the code to add.</summary>
public sealed record SetupSnippet(string Id, string Title, string Install, string Code);

/// <summary>
/// The project page's setup instructions, with the project's own DSN and key filled in. Each ends
/// with the commit as the release, because Faultline links every incident to the commit it came from.
/// </summary>
internal static class SetupSnippets
{
    public static IReadOnlyList<SetupSnippet> For(string dsn, string ingestKey, string serverUrl) =>
    [
        new("nextjs", "Next.js on Vercel (@sentry/nextjs)", "npm install @sentry/nextjs", $$"""
            // instrumentation-client.ts, sentry.server.config.ts and sentry.edge.config.ts
            import * as Sentry from "@sentry/nextjs";

            Sentry.init({
              dsn: "{{dsn}}",
              // Vercel sets the deployed commit; Faultline links each incident to it.
              release: process.env.VERCEL_GIT_COMMIT_SHA ?? process.env.NEXT_PUBLIC_VERCEL_GIT_COMMIT_SHA,
              environment: process.env.VERCEL_ENV, // "production" or "preview"
            });
            """),
        new("dotnet", ".NET (Sentry.AspNetCore)", "dotnet add package Sentry.AspNetCore", $$"""
            // Program.cs
            builder.WebHost.UseSentry(options =>
            {
                options.Dsn = "{{dsn}}";
                // The deployed commit (a 40-hex SHA), e.g. set by your CI.
                options.Release = Environment.GetEnvironmentVariable("GIT_COMMIT_SHA");
                options.Environment = "production";
            });
            """),
        new("python", "Python (sentry-sdk)", "pip install sentry-sdk", $$"""
            import os
            import sentry_sdk

            sentry_sdk.init(
                dsn="{{dsn}}",
                release=os.environ.get("GIT_COMMIT_SHA"),  # the deployed commit
                environment="production",
            )
            """),
        new("curl", "Native API (curl)", "# no SDK needed", $$"""
            curl -X POST {{serverUrl}}/api/v1/incidents \
              -H "Authorization: Bearer {{ingestKey}}" \
              -H "Content-Type: application/json" \
              -d '{"error_message": "Something broke", "error_type": "Error", "commit_sha": "'"$(git rev-parse HEAD)"'", "environment": "production"}'
            """),
    ];
}
