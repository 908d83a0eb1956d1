using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Faultline.Core.Identifiers;
using Faultline.Testing;
using Npgsql;

namespace Faultline.Server.Tests.Projects;

public sealed class ProjectTests(TestPostgres postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_InLocalMode_Returns201WithIngestKeyDsnAndUsageRow()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var client = (await TestAccounts.SignInAsync(factory)).CreateClient(factory);
        var repository = UniqueRepository();

        var response = await client.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = repository }, Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var project = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var projectId = project.GetProperty("project_id").GetString()!;
        var number = project.GetProperty("project_number").GetInt32();
        var key = project.GetProperty("ingest_api_key").GetString()!;
        Assert.True(PublicIds.IsProjectId(projectId));
        Assert.True(number > 0);
        Assert.True(SecretToken.IsWellFormed(key, SecretToken.IngestKeyPrefix));
        Assert.Equal($"http://{key}@localhost/{number}", project.GetProperty("dsn").GetString());
        Assert.Equal(repository, project.GetProperty("repo_full_name").GetString());
        Assert.Equal(repository.Split('/')[1], project.GetProperty("repo_name").GetString());
        Assert.Equal("vercel", project.GetProperty("platform").GetString());
        Assert.EndsWith("Z", project.GetProperty("created_at").GetString(), StringComparison.Ordinal);
        Assert.Equal($"/api/v1/projects/{projectId}", response.Headers.Location?.OriginalString);

        var usage = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/usage", Cancel);
        var ingest = Assert.Single(usage.GetProperty("usage").EnumerateArray());
        Assert.Equal("ingest", ingest.GetProperty("key_type").GetString());
        Assert.Equal(0, ingest.GetProperty("usage_count").GetInt64());
        Assert.Equal(JsonValueKind.Null, ingest.GetProperty("last_used_at").ValueKind);

        var fetched = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}", Cancel);
        Assert.Equal(key, fetched.GetProperty("ingest_api_key").GetString());
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/projects", Cancel);
        Assert.Equal(projectId, Assert.Single(list.GetProperty("projects").EnumerateArray()).GetProperty("project_id").GetString());
    }

    [Fact]
    public async Task Create_WithPublicUrl_BuildsDsnFromIt()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString, new Dictionary<string, string?> { ["Faultline:PublicUrl"] = "https://errors.example.com/faultline/" });
        var client = (await TestAccounts.SignInAsync(factory)).CreateClient(factory);

        var project = await (await client.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = UniqueRepository() }, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var expected = $"https://{project.GetProperty("ingest_api_key").GetString()}@errors.example.com/faultline/{project.GetProperty("project_number").GetInt32()}";
        Assert.Equal(expected, project.GetProperty("dsn").GetString());
    }

    [Fact]
    public async Task Create_ForRepositoryThatHasProject_Answers409_EvenInOtherCaseOrForOtherUser()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var alice = (await TestAccounts.SignInAsync(factory)).CreateClient(factory);
        var bob = (await TestAccounts.SignInAsync(factory)).CreateClient(factory);
        var repository = UniqueRepository();
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = repository }, Cancel)).StatusCode);

        foreach (var (client, name) in new[] { (alice, repository), (bob, repository), (bob, repository.ToUpperInvariant()) })
        {
            var response = await client.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = name }, Cancel);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-slash")]
    [InlineData("a/b/c")]
    [InlineData("-owner/repo")]
    [InlineData("owner-/repo")]
    [InlineData("own--er/repo")]
    [InlineData("under_score/repo")]
    [InlineData("0123456789012345678901234567890123456789/repo")] // 40-character owner
    [InlineData("owner/.")]
    [InlineData("owner/..")]
    [InlineData("owner/re po")]
    [InlineData("owner/repo?x")]
    [InlineData("owner/")]
    public async Task Create_WithInvalidRepositoryName_Answers400WithFieldError(string? name)
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var client = (await TestAccounts.SignInAsync(factory)).CreateClient(factory);

        var response = await client.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = name }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty("repo_full_name", out _));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a-b-c/x.y_z-1")]
    [InlineData("012345678901234567890123456789012345678/repo.")] // 39-character owner
    [InlineData("Owner/.github")]
    public async Task Create_WithValidUnusualName_Answers201(string prefix)
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var client = (await TestAccounts.SignInAsync(factory)).CreateClient(factory);
        var name = prefix + Guid.NewGuid().ToString("N")[..6];

        var response = await client.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = name }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithGitHub_NeedsPushOrAdmin_Else403()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings);
        var user = gitHub.AddUser();
        var client = (await TestAccounts.SignInAsync(factory, gitHub, user)).CreateClient(factory);
        var (readOnly, pushable, administered, unknown) = (UniqueRepository(), UniqueRepository(), UniqueRepository(), UniqueRepository());
        gitHub.Grant(user, readOnly, push: false);
        gitHub.Grant(user, pushable, push: true);
        gitHub.Grant(user, administered, push: false, admin: true);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = readOnly }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = unknown }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = pushable }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = administered }, Cancel)).StatusCode);

        // A session without a GitHub token cannot vouch for anything.
        var tokenless = (await TestAccounts.SignInAsync(factory)).CreateClient(factory);
        Assert.Equal(HttpStatusCode.Forbidden, (await tokenless.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = UniqueRepository() }, Cancel)).StatusCode);
    }

    [Fact]
    public async Task CreatedProject_StoresGitHubTokenOnlyEncrypted()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings);
        var user = gitHub.AddUser();
        var account = await TestAccounts.SignInAsync(factory, gitHub, user);

        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        var stored = await connection.QuerySingleAsync<string>("SELECT github_token_protected FROM sessions WHERE user_id = @UserId", new { account.UserId });
        Assert.DoesNotContain("gho_", stored, StringComparison.Ordinal);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM data_protection_keys") > 0);
    }

    [Fact]
    public async Task CodeMappings_PutValidatesThenReplaces_AndGetListsMostSpecificFirst()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var account = await TestAccounts.SignInAsync(factory);
        var client = account.CreateClient(factory);
        var project = await TestData.CreateProjectAsync(postgres.ConnectionString, account.UserId);
        var url = $"/api/v1/projects/{project.ProjectId}/code-mappings";

        Assert.Empty((await client.GetFromJsonAsync<JsonElement>(url, Cancel)).GetProperty("code_mappings").EnumerateArray());

        var invalid = await client.PutAsJsonAsync(url, new
        {
            code_mappings = new object[]
            {
                new { stack_root = "", source_root = "src/" },
                new { stack_root = "/srv/", source_root = "../outside" },
                new { stack_root = "/app/", source_root = "/abs" },
            },
        }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("code_mappings[0].stack_root", out _));
        Assert.True(errors.TryGetProperty("code_mappings[1].source_root", out _));
        Assert.True(errors.TryGetProperty("code_mappings[2].source_root", out _));

        var put = await client.PutAsJsonAsync(url, new
        {
            code_mappings = new[]
            {
                new { stack_root = "/srv/", source_root = "" },
                new { stack_root = "/srv/app/api/", source_root = "services/api/" },
                new { stack_root = "/srv/app/", source_root = "services/" },
            },
        }, Cancel);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var roots = (await client.GetFromJsonAsync<JsonElement>(url, Cancel)).GetProperty("code_mappings").EnumerateArray()
            .Select(m => m.GetProperty("stack_root").GetString()).ToList();
        Assert.Equal(["/srv/app/api/", "/srv/app/", "/srv/"], roots);

        await client.PutAsJsonAsync(url, new { code_mappings = new[] { new { stack_root = "/var/task/", source_root = "" } } }, Cancel);
        Assert.Single((await client.GetFromJsonAsync<JsonElement>(url, Cancel)).GetProperty("code_mappings").EnumerateArray());
    }

    [Fact]
    public async Task Me_ReturnsCallerOnly()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var account = await TestAccounts.SignInAsync(factory);
        var me = await account.CreateClient(factory).GetFromJsonAsync<JsonElement>("/api/v1/me", Cancel);
        Assert.Equal(account.Login, me.GetProperty("github_login").GetString());
    }

    internal static string UniqueRepository() => $"owner{Guid.NewGuid():N}"[..20] + "/repo-" + Guid.NewGuid().ToString("N")[..8];
}
