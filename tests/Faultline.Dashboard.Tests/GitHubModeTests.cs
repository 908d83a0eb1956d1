using System.Text.RegularExpressions;
using Dapper;
using Faultline.Testing;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace Faultline.Dashboard.Tests;

/// <summary>
/// GitHub mode (the fake GitHub over real HTTP) with JavaScript on: signing in, picking a repository
/// from the ones GitHub lets the user push to, the 403 and 409 of "New project", the copy button, and
/// a project with a week of incidents (chart, counts, filters, keyset pages).
/// </summary>
public sealed class GitHubModeTests(TestPostgres postgres, BrowserFixture browser, ITestOutputHelper output)
{
    private const string CommitSha = "4f9c2e1a7b3d5f60812934a5b6c7d8e9f0a1b2c3";

    [Fact]
    public async Task NewProject_PicksFromPushableRepositories_RefusesOthers_AndShowsAWeekOfIncidents()
    {
        output.WriteLine($"Chromium {browser.Browser.Version}");
        await using var gitHub = await FakeGitHub.StartAsync();
        var octo = gitHub.AddUser("octo");
        gitHub.Grant(octo, "octo-org/api");
        gitHub.Grant(octo, "octo-org/web", push: false, admin: true);
        gitHub.Grant(octo, "octo-org/docs", push: false);
        gitHub.SignedInUser = octo;
        await using var server = await DashboardServer.StartAsync(await postgres.CreateDatabaseAsync("dashgh"), gitHub);
        await using var context = await browser.NewContextAsync(server.BaseAddress, javaScript: true);
        var page = await context.NewPageAsync();

        // A deep link while signed out comes back after signing in with GitHub.
        await page.GotoAsync("/projects/new");
        await Expect(page).ToHaveURLAsync(new Regex(@"/sign-in\?return_url=%2Fprojects%2Fnew$"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Continue as local user" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with GitHub" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/projects/new$"));

        // Only the repositories octo may push to (or administers), with a filter that is a GET form.
        var repositories = page.GetByRole(AriaRole.List, new() { Name = "Repositories you can push to" });
        await Expect(repositories.GetByRole(AriaRole.Button)).ToHaveCountAsync(2);
        await Expect(repositories.GetByRole(AriaRole.Button, new() { Name = "octo-org/api" })).ToBeVisibleAsync();
        await Expect(repositories.GetByRole(AriaRole.Button, new() { Name = "octo-org/web" })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "20-new-project-github");
        await page.GetByLabel("Filter").FillAsync("WEB");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("filter=WEB"));
        await Expect(repositories.GetByRole(AriaRole.Button)).ToHaveTextAsync(["octo-org/web"]);
        await Screenshots.TakeAsync(page, "21-new-project-filtered");
        await repositories.GetByRole(AriaRole.Button, new() { Name = "octo-org/web" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "octo-org/web" })).ToBeVisibleAsync();
        var projectUrl = page.Url;
        var projectId = projectUrl[(projectUrl.LastIndexOf('/') + 1)..];

        // Reveal and copy the DSN (the copy button exists only with JavaScript).
        await page.GetByText("Show DSN").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy DSN" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy DSN" })).ToHaveTextAsync("Copied");
        var copied = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        Assert.Equal(await page.Locator("#dsn").InnerTextAsync(), copied);
        Assert.Matches(@"^http://fl_ingest_\w+@127\.0\.0\.1:\d+/\d+$", copied);

        // A week of incidents: the chart, the counts and the median.
        await InsertWeekAsync(server.ConnectionString, projectId);
        await page.ReloadAsync();
        await Expect(page.Locator(".card").Nth(0)).ToContainTextAsync("40");
        await Expect(page.Locator(".card").Nth(1)).ToContainTextAsync("20");
        await Expect(page.Locator(".card").Nth(2)).ToContainTextAsync("45 min");
        await Expect(page.Locator("svg.chart rect.bar")).ToHaveCountAsync(60);
        await Screenshots.TakeAsync(page, "22-project-with-week");

        // Grouped: seven fingerprints. Every incident of every status: 50, then "Older →" for the rest.
        await page.GotoAsync($"/projects/{projectId}/incidents?status=all");
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(7);
        await Screenshots.TakeAsync(page, "23-incidents-groups-week");
        await page.GetByRole(AriaRole.Link, new() { Name = "Every incident" }).ClickAsync();
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(50);
        await Screenshots.TakeAsync(page, "24-incidents-all-page1");
        await page.GetByRole(AriaRole.Link, new() { Name = "Older →" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("cursor="));
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(10);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Older →" })).ToHaveCountAsync(0);

        // Filters: environment, file, and a bad cursor (400 with the reason, not an exception).
        await page.GotoAsync($"/projects/{projectId}/incidents?view=all&status=all&environment=preview");
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(12);
        await page.GotoAsync($"/projects/{projectId}/incidents?view=all&status=all&file_path=src/lib/other.ts");
        await Expect(page.GetByText("No incidents match.")).ToBeVisibleAsync();
        var bad = await page.GotoAsync($"/projects/{projectId}/incidents?cursor=not-a-cursor");
        Assert.Equal(400, bad!.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("cursor");

        // An incident with a real commit links it and the line on GitHub.
        await page.GotoAsync($"/projects/{projectId}/incidents?view=all");
        await page.Locator("tbody tr a").First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = CommitSha })).ToHaveAttributeAsync("href", $"{gitHub.WebUrl}/octo-org/web/commit/{CommitSha}");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "View on GitHub" }).First)
            .ToHaveAttributeAsync("href", new Regex($@"^{Regex.Escape(gitHub.WebUrl)}/octo-org/web/blob/{CommitSha}/src/app/page\.tsx#L1\d$"));
        await Screenshots.TakeAsync(page, "25-incident-with-commit");

        // Typed names: one GitHub does not let octo push to is a 403 page; one that has a project, a 409.
        await page.GotoAsync("/projects/new");
        await page.GetByLabel("Repository (owner/name)").FillAsync("octo-org/docs");
        var forbidden = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync(), r => r.Url.EndsWith("/projects", StringComparison.Ordinal));
        Assert.Equal(403, forbidden.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this" })).ToBeVisibleAsync();
        await Expect(page.GetByText("GitHub does not show push or admin access to octo-org/docs")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "26-forbidden");
        await page.GotoAsync("/projects/new");
        await page.GetByLabel("Repository (owner/name)").FillAsync("octo-org/web");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("octo-org/web already has a project.");
        await Screenshots.TakeAsync(page, "27-new-project-conflict");
    }

    /// <summary>60 incidents over the last ~6 days, 7 fingerprints; every 3rd resolved 45 minutes after it happened; every 5th in preview.</summary>
    private static async Task InsertWeekAsync(string connectionString, string projectId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO incidents (incident_id, project_id, error_message, error_type, stack_trace, file_path, line_number, column_number,
                                   commit_sha, environment, status, occurred_at, resolved_at, fingerprint, metadata)
            SELECT 'inc_' || upper(substr(md5(random()::text || n), 1, 26)), p.id,
                   'Cannot read properties of undefined (reading ''id'') in handler ' || (n % 7), 'TypeError',
                   'TypeError: Cannot read properties of undefined' || chr(10) || '    at Page (/vercel/path0/src/app/page.tsx:' || (10 + n % 7) || ':5)',
                   'src/app/page.tsx', 10 + n % 7, 5, @CommitSha,
                   CASE WHEN n % 5 = 0 THEN 'preview' ELSE 'production' END,
                   CASE WHEN n % 3 = 0 THEN 'resolved' ELSE 'open' END,
                   now() - n * interval '137 minutes',
                   CASE WHEN n % 3 = 0 THEN now() - n * interval '137 minutes' + interval '45 minutes' END,
                   'fp-' || (n % 7), '{"runtime": "nodejs", "region": "iad1"}'::jsonb
            FROM projects p, generate_series(1, 60) AS n
            WHERE p.project_id = @ProjectId
            """,
            new { ProjectId = projectId, CommitSha });
    }
}
