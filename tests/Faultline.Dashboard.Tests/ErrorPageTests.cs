using System.Text.RegularExpressions;
using Faultline.Testing;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace Faultline.Dashboard.Tests;

/// <summary>The error pages a browser can reach: 404 (signed in or out), 500 when the database is gone; API routes keep problem+json.</summary>
public sealed class ErrorPageTests(TestPostgres postgres, BrowserFixture browser)
{
    [Fact]
    public async Task UnknownPages_AreHtml404_ApiRoutesStayProblemJson_AndSignOutWorks()
    {
        await using var server = await DashboardServer.StartLocalAsync(postgres);
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var page = await context.NewPageAsync();

        var missing = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, missing!.Status);
        Assert.StartsWith("text/html", missing.Headers["content-type"], StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "30-not-found-signed-out");

        var api = await page.GotoAsync("/api/v1/incidents/inc_01J00000000000000000000000");
        Assert.Equal(401, api!.Status);
        Assert.DoesNotContain("text/html", api.Headers.GetValueOrDefault("content-type") ?? "", StringComparison.Ordinal);

        var deepLink = await page.GotoAsync("/projects/proj_aaaaaaaaaaaa");
        Assert.Equal(200, deepLink!.Status);
        await Expect(page).ToHaveURLAsync(new Regex(@"/sign-in\?return_url=%2Fprojects%2Fproj_aaaaaaaaaaaa$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue as local user" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/projects/proj_aaaaaaaaaaaa$"));
        Assert.Equal(404, (await page.ReloadAsync())!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Your projects" })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "31-not-found-signed-in");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in$"));
        await page.GotoAsync("/projects");
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in"));
    }

    [Fact]
    public async Task DatabaseGone_ShowsTheServerErrorPageWithATraceId()
    {
        var connectionString = await postgres.CreateDatabaseAsync("dashgone");
        await using var server = await DashboardServer.StartAsync(connectionString, gitHub: null);
        await using var context = await browser.NewContextAsync(server.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue as local user" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects" })).ToBeVisibleAsync();

        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // Connections the drop broke may first read as an outage (503); a new one finds no database (500).
        var statuses = new List<int>();
        for (var attempt = 0; attempt < 5 && !statuses.Contains(500); attempt++)
        {
            var response = await page.GotoAsync("/projects");
            statuses.Add(response!.Status);
            Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
            await Screenshots.TakeAsync(page, $"32-server-error-{response.Status}");
        }

        Assert.Contains(500, statuses);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Something went wrong on our side" })).ToBeVisibleAsync();
        await Expect(page.Locator(".error-page code")).ToHaveTextAsync(new Regex("^[0-9a-f]{32}$"));
        Assert.DoesNotContain("does not exist", await page.ContentAsync(), StringComparison.Ordinal);
    }
}
