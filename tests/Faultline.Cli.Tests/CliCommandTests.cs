using System.Text.Json;
using Faultline.Client;
using Faultline.Contracts;
using Faultline.Testing;

namespace Faultline.Cli.Tests;

/// <summary>Each command run as a process against the server on a loopback port; output and exit code checked.</summary>
public sealed class CliCommandTests(TestPostgres postgres) : IAsyncLifetime
{
    private readonly CliProcess cli = new();
    private CliTestServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await CliTestServer.StartAsync(postgres.ConnectionString);
        cli.Environment["FAULTLINE_SERVER"] = server.Url;
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
        Assert.Contains("as octocat", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(server.AccessToken, result.Output + result.Error, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.CredentialsPath));
        var saved = JsonSerializer.Deserialize(await File.ReadAllTextAsync(cli.CredentialsPath, TestContext.Current.CancellationToken), ClientJsonContext.Default.StoredCredentials)!;
        Assert.Equal((server.Url, server.AccessToken), (saved.Server, saved.AccessToken));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(cli.CredentialsPath)!));
    }

    [Fact]
    public async Task Login_WithDeviceFlow_PrintsCodeAndUrlAndWaitsForApproval()
    {
        server.Mode = "github";

        var result = await cli.RunAsync("login", "--server", server.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("https://github.com/login/device", result.Output, StringComparison.Ordinal);
        Assert.Contains("ABCD-1234", result.Output, StringComparison.Ordinal);
        Assert.Contains("Waiting", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(cli.CredentialsPath));
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
        new CredentialStore(cli.CredentialsPath).Save(new StoredCredentials(server.Url, "fl_at_expired", $"rt-{server.UserId:N}", DateTimeOffset.UtcNow.AddMinutes(-5)));

        var result = await cli.RunAsync("projects", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, server.RefreshCount);
        var saved = new CredentialStore(cli.CredentialsPath).Load()!;
        Assert.Equal(server.AccessToken, saved.AccessToken);
        Assert.True(saved.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(50));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.CredentialsPath));
    }

    [Fact]
    public async Task Commands_WhenServerRejectsToken_RefreshOnceAndRetry()
    {
        new CredentialStore(cli.CredentialsPath).Save(new StoredCredentials(server.Url, "fl_at_revoked", $"rt-{server.UserId:N}", DateTimeOffset.UtcNow.AddMinutes(30)));

        var result = await cli.RunAsync("projects", "list", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, server.RefreshCount);
    }

    [Fact]
    public async Task Commands_WithSessionSavedForAnotherServer_NeverSendItAndExit3()
    {
        new CredentialStore(cli.CredentialsPath).Save(new StoredCredentials("http://127.0.0.1:9", server.AccessToken, null, DateTimeOffset.UtcNow.AddMinutes(30)));

        var result = await cli.RunAsync("projects", "list", "--server", server.Url);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"Not signed in to {server.Url}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultlineToken_OverridesSavedCredentials()
    {
        new CredentialStore(cli.CredentialsPath).Save(new StoredCredentials(server.Url, "fl_at_wrong", null, DateTimeOffset.UtcNow.AddMinutes(30)));
        cli.Environment["FAULTLINE_TOKEN"] = server.AccessToken;

        var result = await cli.RunAsync("projects", "list", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(0, server.RefreshCount);
    }

    [Fact]
    public async Task Logout_RevokesTheSessionAndDeletesCredentials()
    {
        await cli.RunAsync("login");

        var result = await cli.RunAsync("logout");
        var after = await cli.RunAsync("projects", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, server.RevokeCount);
        Assert.False(File.Exists(cli.CredentialsPath));
        Assert.Equal(3, after.ExitCode);
    }
}
