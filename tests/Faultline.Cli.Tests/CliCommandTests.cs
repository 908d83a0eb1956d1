using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Faultline.Client;
using Faultline.Contracts;
using Faultline.Testing;

namespace Faultline.Cli.Tests;

/// <summary>
/// Each command run as a process against the real server on a loopback port (local mode, and GitHub
/// mode with the fake GitHub for the device flow); output and exit code checked.
/// </summary>
public sealed partial class CliCommandTests(TestPostgres postgres) : IAsyncLifetime
{
    private readonly CliProcess cli = new();
    private CliTestServer server = null!;

    public ValueTask InitializeAsync()
    {
        server = CliTestServer.Start(postgres.ConnectionString);
        cli.Environment["FAULTLINE_SERVER"] = server.Url;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        cli.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Login_InLocalMode_SavesCredentialsWithMode0600()
    {
        var result = await cli.RunAsync("login");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Signed in to {server.Url} as {Environment.UserName}.", result.Output, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.CredentialsPath));
        var saved = JsonSerializer.Deserialize(await File.ReadAllTextAsync(cli.CredentialsPath, TestContext.Current.CancellationToken), ClientJsonContext.Default.StoredCredentials)!;
        Assert.Equal(server.Url, saved.Server);
        Assert.StartsWith("fl_at_", saved.AccessToken, StringComparison.Ordinal);
        Assert.DoesNotContain(saved.AccessToken, result.Output + result.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await server.MeStatusAsync(saved.AccessToken));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(cli.CredentialsPath)!));
    }

    [Fact]
    public async Task Login_WithDeviceFlow_PrintsCodeAndUrlAndWaitsForApproval()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var gitHubServer = CliTestServer.Start(postgres.ConnectionString, gitHub.Settings, fakeTime: false);
        var user = gitHub.AddUser();

        using var login = cli.Start("login", "--server", gitHubServer.Url);
        var code = await login.ReadUntilAsync(UserCodeLine());
        gitHub.Device(code.Groups[1].Value).Approve(user);
        var result = await login.WaitAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"To sign in, open {gitHub.WebUrl}/login/device", result.Output, StringComparison.Ordinal);
        Assert.Contains($"Signed in to {gitHubServer.Url} as {user.Login}.", result.Output, StringComparison.Ordinal);
        Assert.Contains("Waiting", result.Error, StringComparison.Ordinal);
        var saved = new CredentialStore(cli.CredentialsPath).Load()!;
        Assert.Equal(HttpStatusCode.OK, await gitHubServer.MeStatusAsync(saved.AccessToken));
    }

    [Fact]
    public async Task ProjectsCreate_PrintsIdDsnAndIngestKey_AndListShowsIt()
    {
        await cli.RunAsync("login");
        var repository = $"acme-{Guid.NewGuid():N}"[..15] + "/shop";

        var created = await cli.RunAsync("projects", "create", repository);
        var list = await cli.RunAsync("projects", "list", "--json");

        Assert.Equal(0, created.ExitCode);
        Assert.Matches(@"project_id:\s+proj_[a-z2-7]{12}", created.Output);
        Assert.Matches(@"dsn:\s+http://fl_ingest_\w+@127\.0\.0\.1:\d+/\d+", created.Output);
        Assert.Matches(@"ingest_api_key:\s+fl_ingest_\w+", created.Output);
        var projects = JsonSerializer.Deserialize(list.Output, ClientJsonContext.Default.ProjectList)!;
        Assert.Contains(projects.Projects, p => p.RepoFullName == repository);
    }

    [Fact]
    public async Task Incidents_Piped_PrintsPlainTextWithoutEscapeCodes_AndJsonParses()
    {
        await cli.RunAsync("login");
        var (project, incidentId) = await server.CreateProjectWithIncidentAsync();

        var plain = await cli.RunAsync("incidents", "--repo", project.RepositoryFullName);
        var json = await cli.RunAsync("incidents", "--repo", project.RepositoryFullName, "--json");
        var filtered = await cli.RunAsync("incidents", "--repo", project.RepositoryFullName, "--file", "src/elsewhere.ts", "--json");

        Assert.Equal(0, plain.ExitCode);
        Assert.StartsWith("INCIDENT", plain.Output, StringComparison.Ordinal);
        Assert.Contains($"{incidentId}  open", plain.Output, StringComparison.Ordinal);
        Assert.Contains("src/app.ts:12", plain.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', plain.Output);
        var page = JsonSerializer.Deserialize(json.Output, IncidentsJsonContext.Default.IncidentPage)!;
        Assert.Equal(incidentId, Assert.Single(page.Incidents).IncidentId);
        Assert.Empty(JsonSerializer.Deserialize(filtered.Output, IncidentsJsonContext.Default.IncidentPage)!.Incidents);
    }

    [Fact]
    public async Task Incidents_WithoutRepo_UsesTheCheckoutsOriginRemote()
    {
        await cli.RunAsync("login");
        var (project, incidentId) = await server.CreateProjectWithIncidentAsync();
        using var checkout = await GitCheckout.CreateAsync($"git@github.com:{project.RepositoryFullName}.git");
        cli.WorkingDirectory = checkout.Path;

        var result = await cli.RunAsync("incidents", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(incidentId, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowResolveReopen_ChangeAndPrintTheIncident()
    {
        await cli.RunAsync("login");
        var (_, incidentId) = await server.CreateProjectWithIncidentAsync();

        var show = await cli.RunAsync("show", incidentId);
        var resolve = await cli.RunAsync("resolve", incidentId, "--json");
        var reopen = await cli.RunAsync("reopen", incidentId);

        Assert.Equal(0, show.ExitCode);
        Assert.Contains("at f (src/app.ts:12:5)", show.Output, StringComparison.Ordinal);
        Assert.Equal("resolved", JsonSerializer.Deserialize(resolve.Output, IncidentsJsonContext.Default.Incident)!.Status);
        Assert.Equal((0, $"Reopened {incidentId} (TypeError: boom)."), (reopen.ExitCode, reopen.Output.Trim()));
    }

    [Fact]
    public async Task Show_UnknownIncident_SaysNotFoundAndExits1()
    {
        await cli.RunAsync("login");

        var result = await cli.RunAsync("show", "inc_01KAAAAAAAAAAAAAAAAAAAAAAA");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("inc_01KAAAAAAAAAAAAAAAAAAAAAAA was not found", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("incidents", "--repo", "o/r")]
    [InlineData("projects", "list")]
    [InlineData("show", "inc_01KAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Commands_WhenNotSignedIn_NameFaultlineLoginAndExit3(params string[] args)
    {
        var result = await cli.RunAsync(args);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("faultline login", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_WhenServerUnreachable_PrintOneLineNamingTheUrlAndExit1()
    {
        cli.Environment["FAULTLINE_TOKEN"] = "anything";

        var result = await cli.RunAsync("incidents", "--repo", "o/r", "--server", "http://127.0.0.1:1");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("faultline: Cannot reach the Faultline server at http://127.0.0.1:1: connection refused", result.Error.TrimEnd());
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("incidents", "--status", "closed")]
    [InlineData("incidents", "--limit", "0")]
    [InlineData("incidents", "--repo", "not-a-repo")]
    [InlineData("show", "12")]
    [InlineData("projects")]
    [InlineData("frobnicate")]
    public async Task Commands_WithUsageErrors_Exit2(params string[] args)
    {
        var result = await cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.Error);
    }

    [Fact]
    public async Task Commands_WithExpiredAccessToken_RefreshSilentlyAndSaveTheNewPair()
    {
        await cli.RunAsync("login");
        var store = new CredentialStore(cli.CredentialsPath);
        var before = store.Load()!;
        store.Save(before with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-5) });

        var result = await cli.RunAsync("projects", "list");

        Assert.Equal(0, result.ExitCode);
        var saved = store.Load()!;
        Assert.NotEqual((before.AccessToken, before.RefreshToken), (saved.AccessToken, saved.RefreshToken));
        Assert.Equal(2, await server.RefreshTokenCountAsync(saved.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await server.MeStatusAsync(before.AccessToken));
        Assert.True(saved.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(50));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.CredentialsPath));
    }

    [Fact]
    public async Task Commands_WhenServerRejectsToken_RefreshOnceAndRetry()
    {
        await cli.RunAsync("login");
        var before = new CredentialStore(cli.CredentialsPath).Load()!;
        server.Time.Advance(TimeSpan.FromMinutes(61)); // expired on the server's clock, not yet by the CLI's account

        var result = await cli.RunAsync("projects", "list", "--json");

        Assert.Equal(0, result.ExitCode);
        var saved = new CredentialStore(cli.CredentialsPath).Load()!;
        Assert.NotEqual(before.AccessToken, saved.AccessToken);
        Assert.Equal(2, await server.RefreshTokenCountAsync(saved.AccessToken));
    }

    [Fact]
    public async Task Commands_WithSessionSavedForAnotherServer_NeverSendItAndExit3()
    {
        var account = await TestAccounts.SignInAsync(server);
        new CredentialStore(cli.CredentialsPath).Save(new StoredCredentials("http://127.0.0.1:9", account.AccessToken, null, DateTimeOffset.UtcNow.AddMinutes(30)));

        var result = await cli.RunAsync("projects", "list", "--server", server.Url);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"Not signed in to {server.Url}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultlineToken_OverridesSavedCredentials()
    {
        var account = await TestAccounts.SignInAsync(server);
        var project = await TestData.CreateProjectAsync(server.Database, account.UserId);
        new CredentialStore(cli.CredentialsPath).Save(new StoredCredentials(server.Url, "fl_at_wrong", "fl_rt_wrong", DateTimeOffset.UtcNow.AddMinutes(-30)));
        var saved = await File.ReadAllTextAsync(cli.CredentialsPath, TestContext.Current.CancellationToken);
        cli.Environment["FAULTLINE_TOKEN"] = account.AccessToken;

        var result = await cli.RunAsync("projects", "list", "--json");

        Assert.Equal(0, result.ExitCode);
        var projects = JsonSerializer.Deserialize(result.Output, ClientJsonContext.Default.ProjectList)!;
        Assert.Equal(project.ProjectId, Assert.Single(projects.Projects).ProjectId);
        Assert.Equal(saved, await File.ReadAllTextAsync(cli.CredentialsPath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Logout_RevokesTheSessionAndDeletesCredentials()
    {
        await cli.RunAsync("login");
        var saved = new CredentialStore(cli.CredentialsPath).Load()!;

        var result = await cli.RunAsync("logout");
        var after = await cli.RunAsync("projects", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Signed out of {server.Url}.", result.Output.Trim());
        Assert.Empty(result.Error);
        Assert.Equal(HttpStatusCode.Unauthorized, await server.MeStatusAsync(saved.AccessToken));
        Assert.False(File.Exists(cli.CredentialsPath));
        Assert.Equal(3, after.ExitCode);
    }

    [GeneratedRegex(@"enter the code ([A-Z]{4}-[0-9]{4})")]
    private static partial Regex UserCodeLine();
}
