using System.Text.RegularExpressions;
using Faultline.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Faultline.Dashboard.Tests;

/// <summary>
/// The newcomer's path in local mode, with JavaScript off (so every step is a plain link or form):
/// sign in, create a project, send a test incident, see it, open it, resolve and reopen it; then a
/// second user, signed in with GitHub on the same database, finds none of it.
/// </summary>
public sealed partial class LocalWalkTests(TestPostgres postgres, BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Walk_LocalUser_CreatesProjectSendsTestIncidentResolvesIt_AndAnotherUserGets404()
    {
        output.WriteLine($"Chromium {browser.Browser.Version} at {BrowserFixture.ExecutablePath}");
        await using var server = await DashboardServer.StartLocalAsync(postgres);
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var page = await context.NewPageAsync();
        var repository = "acme/shop-" + Guid.NewGuid().ToString("N")[..8];

        // The root sends a stranger to sign in.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Faultline" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with GitHub" })).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "01-sign-in-local");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue as local user" }).ClickAsync();

        // No projects yet: the empty list says what to do.
        await Expect(page).ToHaveURLAsync(new Regex("/projects$"));
        await Expect(page.GetByText("No projects yet.")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "02-projects-empty");
        await page.GetByRole(AriaRole.Link, new() { Name = "Create your first project" }).ClickAsync();

        // Local mode: no GitHub to list repositories from, so the name is typed.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New project" })).ToBeVisibleAsync();
        await page.GetByLabel("Repository (owner/name)").FillAsync("-acme/shop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("owner/name");
        await Screenshots.TakeAsync(page, "03-new-project-invalid");
        await page.GetByLabel("Repository (owner/name)").FillAsync(repository);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();

        // The project page: the secrets stay hidden until revealed.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = repository, Exact = true })).ToBeVisibleAsync();
        var projectUrl = page.Url;
        var projectId = ProjectIdPattern().Match(projectUrl).Value;
        await Expect(page.Locator("#dsn")).Not.ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "04-project-new");
        await page.GetByText("Show DSN").ClickAsync();
        await Expect(page.Locator("#dsn")).ToHaveTextAsync(new Regex(@"^http://fl_ingest_[A-Za-z0-9_]+@127\.0\.0\.1:\d+/\d+$"));
        await page.GetByText("Next.js on Vercel (@sentry/nextjs)").ClickAsync();
        await Expect(page.Locator("#snippet-nextjs")).ToContainTextAsync("process.env.VERCEL_GIT_COMMIT_SHA");
        await Screenshots.TakeAsync(page, "05-project-revealed");

        // Send a test incident: it goes through ingest and shows up in the list.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send a test incident" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Test incident stored");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "FaultlineTestError" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("src/app/api/checkout/route.ts:42");
        await Screenshots.TakeAsync(page, "06-incidents-grouped");
        await page.GetByRole(AriaRole.Link, new() { Name = "Every incident" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "FaultlineTestError" })).ToHaveCountAsync(1);
        await Screenshots.TakeAsync(page, "07-incidents-all");

        // Open it: stack with the app's frames highlighted and linked, metadata, Resolve.
        await page.GetByRole(AriaRole.Link).Filter(new() { HasText = "FaultlineTestError" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(TestIncidentMessage);
        var incidentUrl = page.Url;
        await Expect(page.Locator("ol.frames li.in-app")).ToHaveCountAsync(2);
        await Expect(page.Locator("ol.frames li").First).ToContainTextAsync("sendTestIncident");
        await Expect(page.Locator("ol.frames li").Last).ToContainTextAsync("node_modules");
        var editorLink = page.GetByRole(AriaRole.Link, new() { Name = "Open in VS Code" }).First;
        await Expect(editorLink).ToHaveAttributeAsync("href", new Regex(@"^vscode://faultline-dev\.faultline/open\?incident=inc_[0-9A-Z]{26}&path=src%2Fapp%2Fapi%2Fcheckout%2Froute\.ts&line=42$"));
        await Expect(page.Locator("pre code")).ToContainTextAsync("\"source\": \"dashboard test button\"");
        await Screenshots.TakeAsync(page, "08-incident-open");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(page.Locator(".badge.resolved")).ToHaveTextAsync("resolved");
        await Expect(page.GetByText("Resolved", new() { Exact = true })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "09-incident-resolved");

        // Resolved: gone from the default (open) list, there under "resolved".
        await page.GotoAsync($"/projects/{projectId}/incidents");
        await Expect(page.GetByText("No incidents match.")).ToBeVisibleAsync();
        await page.GetByLabel("Status").SelectOptionAsync("resolved");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "FaultlineTestError" })).ToHaveCountAsync(1);
        await Screenshots.TakeAsync(page, "10-incidents-resolved-filter");

        // The list and project page count it.
        await page.GotoAsync("/projects");
        var projectRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = repository });
        await Expect(projectRow).ToContainTextAsync("just now");
        await Expect(projectRow.GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("0");
        await Screenshots.TakeAsync(page, "11-projects");
        await page.GotoAsync(projectUrl);
        await Expect(page.Locator(".card").Nth(1)).ToContainTextAsync("1");
        await Expect(page.Locator(".card").Nth(3)).ToContainTextAsync("just now");
        await Screenshots.TakeAsync(page, "12-project-after");

        // Reopen works too.
        await page.GotoAsync(incidentUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
        await Expect(page.Locator(".badge.open")).ToHaveTextAsync("open");

        // Someone else (GitHub mode, same database) gets the 404 page for all of it.
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var other = await DashboardServer.StartAsync(server.ConnectionString, gitHub);
        await using var otherContext = await browser.NewContextAsync(other.BaseAddress);
        var otherPage = await otherContext.NewPageAsync();
        gitHub.SignedInUser = gitHub.AddUser("mallory");
        await otherPage.GotoAsync("/sign-in");
        await Screenshots.TakeAsync(otherPage, "13-sign-in-github");
        await otherPage.GetByRole(AriaRole.Link, new() { Name = "Sign in with GitHub" }).ClickAsync();
        await Expect(otherPage.GetByText("Signed in as")).ToContainTextAsync("mallory");
        foreach (var path in new[] { new Uri(incidentUrl).PathAndQuery, new Uri(projectUrl).PathAndQuery, $"/projects/{projectId}/incidents" })
        {
            var response = await otherPage.GotoAsync(path);
            Assert.Equal(404, response!.Status);
            await Expect(otherPage.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
            await Expect(otherPage.GetByText(TestIncidentMessage)).ToHaveCountAsync(0);
        }

        await Screenshots.TakeAsync(otherPage, "14-not-found-other-user");
        var forged = await otherPage.APIRequest.PostAsync(new Uri(incidentUrl).AbsolutePath + "/resolve");
        Assert.Equal(400, forged.Status); // no antiforgery token: refused before anything is looked up
    }

    private const string TestIncidentMessage = "This is a test incident from the Faultline dashboard";

    [GeneratedRegex("proj_[a-z2-7]{12}")]
    private static partial Regex ProjectIdPattern();
}
