using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Faultline.Contracts;
using Faultline.Testing;
using Faultline.Testing.Incidents;

namespace Faultline.Server.Tests.Incidents;

public sealed class IncidentEndpointTests(TestPostgres postgres) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 4, 5, 123, TimeSpan.Zero);
    private readonly FaultlineFactory factory = new(postgres.ConnectionString);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Fact]
    public async Task ListIncidents_ByDefault_ReturnsOpenNewestFirstWithMillisecondTimestamps()
    {
        var (project, client) = await CreateOwnerAsync();
        var older = await TestIncidents.InsertAsync(postgres.ConnectionString, project.Id, Now.AddMinutes(-5));
        var newer = await TestIncidents.InsertAsync(postgres.ConnectionString, project.Id, Now);
        await TestIncidents.InsertAsync(postgres.ConnectionString, project.Id, Now.AddMinutes(-1), status: "resolved");

        var response = await client.GetAsync($"/api/v1/repos/{project.RepositoryFullName}/incidents", Cancel);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var incidents = json.GetProperty("incidents").EnumerateArray().ToList();
        Assert.Equal([newer, older], incidents.Select(i => i.GetProperty("incident_id").GetString()));
        Assert.Equal("2026-11-25T10:04:05.123Z", incidents[0].GetProperty("occurred_at").GetString());
        Assert.Equal(project.ProjectId, incidents[0].GetProperty("project_id").GetString());
        Assert.Equal("node", incidents[0].GetProperty("metadata").GetProperty("runtime").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("next_cursor").ValueKind);
    }

    [Theory]
    [InlineData("status=resolved", "resolved")]
    [InlineData("status=all", "open-prod,preview,resolved,other-file,other-commit")]
    [InlineData("environment=preview", "preview")]
    [InlineData("file_path=src/other.ts", "other-file")]
    [InlineData("commit_sha=FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "other-commit")]
    [InlineData("since=2026-11-25T10:03:00Z", "open-prod,preview")]
    public async Task ListIncidents_WithFilter_ReturnsOnlyMatching(string query, string expected)
    {
        var (project, client) = await CreateOwnerAsync();
        var cs = postgres.ConnectionString;
        var names = new Dictionary<string, string>
        {
            [await TestIncidents.InsertAsync(cs, project.Id, Now)] = "open-prod",
            [await TestIncidents.InsertAsync(cs, project.Id, Now.AddMinutes(-10), status: "resolved")] = "resolved",
            [await TestIncidents.InsertAsync(cs, project.Id, Now.AddSeconds(-30), environment: "preview")] = "preview",
            [await TestIncidents.InsertAsync(cs, project.Id, Now.AddMinutes(-20), filePath: "src/other.ts")] = "other-file",
            [await TestIncidents.InsertAsync(cs, project.Id, Now.AddMinutes(-30), commitSha: new string('f', 40))] = "other-commit",
        };

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/repos/{project.RepositoryFullName}/incidents?{query}", Cancel);

        var found = page.GetProperty("incidents").EnumerateArray().Select(i => names[i.GetProperty("incident_id").GetString()!]);
        Assert.Equal(expected, string.Join(',', found));
    }

    [Theory]
    [InlineData("status=closed", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("since=yesterday", "since")]
    [InlineData("cursor=%21%21", "cursor")]
    public async Task ListIncidents_WithInvalidQuery_Returns400NamingTheField(string query, string field)
    {
        var (project, client) = await CreateOwnerAsync();

        var response = await client.GetAsync($"/api/v1/repos/{project.RepositoryFullName}/incidents?{query}", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Endpoints_ForAnotherUsersData_Return404LikeNonexistent()
    {
        var (theirs, _) = await CreateOwnerAsync();
        var incident = await TestIncidents.InsertAsync(postgres.ConnectionString, theirs.Id, Now);
        var (_, client) = await CreateOwnerAsync();

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/api/v1/repos/{theirs.RepositoryFullName}/incidents"),
            (HttpMethod.Get, $"/api/v1/repos/{theirs.RepositoryFullName}/incident-groups"),
            (HttpMethod.Post, $"/api/v1/repos/{theirs.RepositoryFullName}/incident-groups/fp-default/resolve"),
            (HttpMethod.Get, $"/api/v1/incidents/{incident}"),
            (HttpMethod.Post, $"/api/v1/incidents/{incident}/resolve"),
            (HttpMethod.Post, $"/api/v1/incidents/{incident}/reopen"),
            (HttpMethod.Get, "/api/v1/incidents/inc_01KAAAAAAAAAAAAAAAAAAAAAAA"),
            (HttpMethod.Get, "/api/v1/repos/nobody/nothing/incidents"),
        })
        {
            var response = await client.SendAsync(new HttpRequestMessage(method, path), Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
        }

        Assert.Equal("open", (await TestIncidentStatusAsync(incident)).Status);
    }

    [Fact]
    public async Task ListIncidents_WithoutToken_Returns401()
    {
        var response = await factory.CreateClient().GetAsync("/api/v1/repos/o/r/incidents", Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ListIncidents_PagingWhileRowsAreInserted_ReturnsEveryRowExactlyOnce()
    {
        var (project, client) = await CreateOwnerAsync();
        var expected = new List<string>();
        for (var i = 0; i < 45; i++)
        {
            // Pairs share an occurred_at, so the id tie-breaker is exercised.
            expected.Add(await TestIncidents.InsertAsync(postgres.ConnectionString, project.Id, Now.AddSeconds(-(i / 2))));
        }

        using var stop = new CancellationTokenSource();
        var inserter = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                // New incidents arrive at the head while the client pages towards the tail.
                await TestIncidents.InsertAsync(postgres.ConnectionString, project.Id, Now.AddSeconds(++n));
            }
        }, Cancel);

        var first = await client.GetFromJsonAsync<IncidentPage>($"/api/v1/repos/{project.RepositoryFullName}/incidents?limit=7", IncidentsJsonContext.Default.IncidentPage, Cancel);
        var seen = first!.Incidents.Select(i => i.IncidentId).ToList();
        var cursor = first.NextCursor;
        while (cursor is not null)
        {
            var page = await client.GetFromJsonAsync<IncidentPage>($"/api/v1/repos/{project.RepositoryFullName}/incidents?limit=7&cursor={cursor}", IncidentsJsonContext.Default.IncidentPage, Cancel);
            seen.AddRange(page!.Incidents.Select(i => i.IncidentId));
            cursor = page.NextCursor;
        }

        await stop.CancelAsync();
        await inserter;
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(expected.Except(seen));
    }

    [Theory]
    [InlineData("incidents")]
    [InlineData("incident-groups")]
    public async Task List_WithMatchingIfNoneMatch_Returns304UntilResolveOrReopen(string list)
    {
        var (project, client) = await CreateOwnerAsync();
        var incident = await TestIncidents.InsertAsync(postgres.ConnectionString, project.Id, Now);
        var url = $"/api/v1/repos/{project.RepositoryFullName}/{list}";

        var first = await client.GetAsync(url, Cancel);
        var etag = first.Headers.ETag!;
        Assert.Equal(HttpStatusCode.NotModified, (await GetConditionalAsync(client, url, etag)).StatusCode);

        await client.PostAsync($"/api/v1/incidents/{incident}/resolve", null, Cancel);
        var afterResolve = await GetConditionalAsync(client, url, etag);
        Assert.Equal(HttpStatusCode.OK, afterResolve.StatusCode);
        var resolvedTag = afterResolve.Headers.ETag!;
        Assert.NotEqual(etag, resolvedTag);

        await client.PostAsync($"/api/v1/incidents/{incident}/reopen", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, (await GetConditionalAsync(client, url, resolvedTag)).StatusCode);
        var afterReopen = await GetConditionalAsync(client, url, etag);
        Assert.Equal(HttpStatusCode.NotModified, afterReopen.StatusCode);
        Assert.Empty(await afterReopen.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task ListIncidents_WritesEachIncidentAsTheGetEndpointDoes()
    {
        // The list writes its rows itself (IncidentPageResult); the single incident goes through the
        // contract serializer. Awkward text, nulls, nested metadata and sub-millisecond times on both.
        var (project, client) = await CreateOwnerAsync();
        var awkward = await InsertAwkwardAsync(project.Id, withOptionalFields: true);
        var sparse = await InsertAwkwardAsync(project.Id, withOptionalFields: false);

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/repos/{project.RepositoryFullName}/incidents?status=all", Cancel);

        var listed = page.GetProperty("incidents").EnumerateArray().ToDictionary(i => i.GetProperty("incident_id").GetString()!);
        foreach (var incidentId in (string[])[awkward, sparse])
        {
            var single = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId}", Cancel);
            Assert.True(JsonElement.DeepEquals(single, listed[incidentId]), $"list: {listed[incidentId]}\nget:  {single}");
        }

        Assert.Equal("<script>\"x\" + 'y' & ü 🚀\t\u0001 \\ ende", listed[awkward].GetProperty("error_message").GetString());
    }

    [Fact]
    public async Task ListIncidents_ETag_ChangesWithTheRowsAndThePageSize_NotBetweenRequests()
    {
        var (project, client) = await CreateOwnerAsync();
        await TestIncidents.InsertAsync(postgres.ConnectionString, project.Id, Now);
        await TestIncidents.InsertAsync(postgres.ConnectionString, project.Id, Now.AddMinutes(-1));
        var url = $"/api/v1/repos/{project.RepositoryFullName}/incidents";

        var first = (await client.GetAsync(url, Cancel)).Headers.ETag!;
        var again = (await client.GetAsync(url, Cancel)).Headers.ETag!;
        var smaller = (await client.GetAsync(url + "?limit=1", Cancel)).Headers.ETag!;
        await TestIncidents.InsertAsync(postgres.ConnectionString, project.Id, Now.AddMinutes(-2));
        var afterInsert = await GetConditionalAsync(client, url, first);

        Assert.Equal(first, again);
        Assert.False(first.IsWeak);
        Assert.NotEqual(first, smaller);
        Assert.Equal(HttpStatusCode.OK, afterInsert.StatusCode);
        Assert.NotEqual(first, afterInsert.Headers.ETag);
        Assert.Equal(3, (await afterInsert.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("incidents").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotModified, (await GetConditionalAsync(client, url, afterInsert.Headers.ETag!)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await GetConditionalAsync(client, url, EntityTagHeaderValue.Any)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await GetConditionalAsync(client, url, new EntityTagHeaderValue(afterInsert.Headers.ETag!.Tag, isWeak: true))).StatusCode);
    }

    [Fact]
    public async Task ListIncidents_ConditionalRequestForAnotherUsersRepository_Returns404()
    {
        var (project, _) = await CreateOwnerAsync();
        var (_, stranger) = await CreateOwnerAsync();

        var response = await GetConditionalAsync(stranger, $"/api/v1/repos/{project.RepositoryFullName}/incidents", EntityTagHeaderValue.Any);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ResolveAndReopen_SetAndClearResolvedAt()
    {
        var (project, client) = await CreateOwnerAsync();
        var incident = await TestIncidents.InsertAsync(postgres.ConnectionString, project.Id, Now);

        var resolved = await (await client.PostAsync($"/api/v1/incidents/{incident}/resolve", null, Cancel)).Content.ReadFromJsonAsync(IncidentsJsonContext.Default.Incident, Cancel);
        var fetched = await client.GetFromJsonAsync($"/api/v1/incidents/{incident}", IncidentsJsonContext.Default.Incident, Cancel);
        var reopened = await (await client.PostAsync($"/api/v1/incidents/{incident}/reopen", null, Cancel)).Content.ReadFromJsonAsync(IncidentsJsonContext.Default.Incident, Cancel);

        Assert.Equal(("resolved", true), (resolved!.Status, resolved.ResolvedAt is not null));
        Assert.Equal(resolved.ResolvedAt, fetched!.ResolvedAt);
        Assert.Equal(("open", null), (reopened!.Status, reopened.ResolvedAt));
    }

    [Fact]
    public async Task IncidentGroups_OneRowPerFingerprint_WithCountsAndLatest()
    {
        var (project, client) = await CreateOwnerAsync();
        var cs = postgres.ConnectionString;
        await TestIncidents.InsertAsync(cs, project.Id, Now.AddHours(-2), fingerprint: "fp-a", environment: "preview", message: "old message");
        var latestA = await TestIncidents.InsertAsync(cs, project.Id, Now.AddHours(-1), fingerprint: "fp-a", message: "new message");
        var onlyB = await TestIncidents.InsertAsync(cs, project.Id, Now, fingerprint: "fp-b");
        await TestIncidents.InsertAsync(cs, project.Id, Now, fingerprint: "fp-c", status: "resolved");

        var page = await client.GetFromJsonAsync($"/api/v1/repos/{project.RepositoryFullName}/incident-groups", IncidentsJsonContext.Default.IncidentGroupPage, Cancel);

        Assert.Equal(["fp-b", "fp-a"], page!.Groups.Select(g => g.Fingerprint));
        var a = page.Groups[1];
        Assert.Equal((2L, latestA, "new message"), (a.Count, a.LatestIncidentId, a.ErrorMessage));
        Assert.Equal((Now.AddHours(-2), Now.AddHours(-1)), (a.FirstSeen, a.LastSeen));
        Assert.Equal(["preview", "production"], a.Environments);
        Assert.Equal(onlyB, page.Groups[0].LatestIncidentId);
    }

    [Fact]
    public async Task IncidentGroups_OfIngestedIncidents_GroupByTheirFingerprint()
    {
        var (project, client) = await CreateOwnerAsync();
        var ingest = factory.CreateClient();
        ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", project.IngestKey);
        for (var i = 0; i < 3; i++)
        {
            var sent = await ingest.PostAsync("/api/v1/incidents", new StringContent(
                $$"""{"error_message":"Cannot read properties of undefined (reading 'id')","error_type":"TypeError","stack_trace":"TypeError: x\n    at handler (/var/task/src/checkout.ts:{{10 + i}}:5)","commit_sha":"{{TestIncidents.CommitSha}}"}""",
                System.Text.Encoding.UTF8, "application/json"), Cancel);
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        }

        var page = await client.GetFromJsonAsync($"/api/v1/repos/{project.RepositoryFullName}/incident-groups", IncidentsJsonContext.Default.IncidentGroupPage, Cancel);

        var group = Assert.Single(page!.Groups);
        Assert.Equal((3L, "TypeError"), (group.Count, group.ErrorType));
    }

    [Fact]
    public async Task IncidentGroups_PagedByCursor_ReturnsEveryGroupOnce()
    {
        var (project, client) = await CreateOwnerAsync();
        for (var i = 0; i < 5; i++)
        {
            await TestIncidents.InsertAsync(postgres.ConnectionString, project.Id, Now, fingerprint: $"fp-{i}");
        }

        var url = $"/api/v1/repos/{project.RepositoryFullName}/incident-groups?limit=2";
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync(url + (cursor is null ? "" : "&cursor=" + cursor), IncidentsJsonContext.Default.IncidentGroupPage, Cancel);
            seen.AddRange(page!.Groups.Select(g => g.Fingerprint));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(["fp-4", "fp-3", "fp-2", "fp-1", "fp-0"], seen);
    }

    [Fact]
    public async Task ResolveGroup_ResolvesItsOpenIncidents_AndCountsThem()
    {
        var (project, client) = await CreateOwnerAsync();
        var cs = postgres.ConnectionString;
        var first = await TestIncidents.InsertAsync(cs, project.Id, Now.AddMinutes(-1), fingerprint: "fp-x");
        await TestIncidents.InsertAsync(cs, project.Id, Now, fingerprint: "fp-x");
        await TestIncidents.InsertAsync(cs, project.Id, Now, fingerprint: "fp-x", status: "resolved");
        var other = await TestIncidents.InsertAsync(cs, project.Id, Now, fingerprint: "fp-y");

        var response = await client.PostAsync($"/api/v1/repos/{project.RepositoryFullName}/incident-groups/fp-x/resolve", null, Cancel);
        var again = await client.PostAsync($"/api/v1/repos/{project.RepositoryFullName}/incident-groups/fp-x/resolve", null, Cancel);

        Assert.Equal(2, (await response.Content.ReadFromJsonAsync(IncidentsJsonContext.Default.IncidentGroupResolved, Cancel))!.Resolved);
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync(IncidentsJsonContext.Default.IncidentGroupResolved, Cancel))!.Resolved);
        Assert.Equal("resolved", (await TestIncidentStatusAsync(first)).Status);
        Assert.Equal("open", (await TestIncidentStatusAsync(other)).Status);
    }

    /// <summary>A new user signed in through the server's real sessions, a project of theirs, and a client sending their access token.</summary>
    private async Task<(TestProject Project, HttpClient Client)> CreateOwnerAsync()
    {
        var account = await TestAccounts.SignInAsync(factory);
        var project = await TestData.CreateProjectAsync(postgres.ConnectionString, account.UserId);
        return (project, account.CreateClient(factory));
    }

    private async Task<string> InsertAwkwardAsync(Guid projectKey, bool withOptionalFields)
    {
        var incidentId = Faultline.Core.Identifiers.PublicIds.NewIncidentId(Now);
        await using var connection = new Npgsql.NpgsqlConnection(postgres.ConnectionString);
        await Dapper.SqlMapper.ExecuteAsync(connection,
            """
            INSERT INTO incidents (incident_id, project_id, error_message, error_type, stack_trace, file_path, line_number,
                                   column_number, commit_sha, deployment_id, environment, status, occurred_at, resolved_at,
                                   fingerprint, metadata)
            VALUES (@IncidentId, @ProjectKey, @Message, @ErrorType, @StackTrace, @FilePath, @Line, @Column, @CommitSha,
                    @DeploymentId, 'production', @Status, @OccurredAt, @ResolvedAt, @Fingerprint, @Metadata::jsonb)
            """,
            new
            {
                IncidentId = incidentId,
                ProjectKey = projectKey,
                Message = "<script>\"x\" + 'y' & ü 🚀\t\u0001 \\ ende",
                ErrorType = withOptionalFields ? "Error<T>" : null,
                StackTrace = withOptionalFields ? "Error: x\n    at f (webpack-internal:///(rsc)/./src/app/page.tsx:12:5)\n    at <anonymous>" : null,
                FilePath = withOptionalFields ? "src/app/page.tsx" : null,
                Line = withOptionalFields ? 12 : (int?)null,
                Column = withOptionalFields ? 5 : (int?)null,
                CommitSha = TestIncidents.CommitSha,
                DeploymentId = withOptionalFields ? "dpl_1" : null,
                Status = withOptionalFields ? "resolved" : "open",
                OccurredAt = Now.AddTicks(4567),
                ResolvedAt = withOptionalFields ? Now.AddSeconds(1).AddTicks(9) : (DateTimeOffset?)null,
                Fingerprint = withOptionalFields ? "fp-awkward" : null,
                Metadata = withOptionalFields ? """{"runtime": "node", "nested": {"list": [1, 2.5, "</x>", null, true]}, "unicode": "\u00fc"}""" : null,
            });
        return incidentId;
    }

    private static Task<HttpResponseMessage> GetConditionalAsync(HttpClient client, string url, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        return client.SendAsync(request, Cancel);
    }

    private async Task<(string Status, DateTime? ResolvedAt)> TestIncidentStatusAsync(string incidentId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(postgres.ConnectionString);
        return await Dapper.SqlMapper.QuerySingleAsync<(string, DateTime?)>(connection, "SELECT status, resolved_at FROM incidents WHERE incident_id = @incidentId", new { incidentId });
    }
}
