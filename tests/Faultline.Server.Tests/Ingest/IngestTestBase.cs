using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Faultline.Testing;
using Npgsql;

namespace Faultline.Server.Tests.Ingest;

/// <summary>An in-memory server on the shared test database, and helpers to send and read incidents.</summary>
public abstract class IngestTestBase(TestPostgres postgres) : IAsyncLifetime
{
    public const string Sha = "0123456789abcdef0123456789abcdef01234567";

    protected TestPostgres Postgres { get; } = postgres;

    protected FaultlineFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public virtual ValueTask InitializeAsync()
    {
        Factory = new FaultlineFactory(Postgres.ConnectionString, Settings);
        Client = Factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public virtual async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }

    protected Task<TestProject> NewProjectAsync() => TestData.CreateProjectAsync(Postgres.ConnectionString);

    protected Task<HttpResponseMessage> PostNativeAsync(string key, string json, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents")
        {
            Content = new StringContent(json, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return Client.SendAsync(request, Cancel);
    }

    protected static string Incident(object? overrides = null)
    {
        var fields = new Dictionary<string, object?>
        {
            ["error_message"] = "Cannot read properties of undefined (reading 'id')",
            ["error_type"] = "TypeError",
            ["stack_trace"] = "TypeError: Cannot read properties of undefined (reading 'id')\n    at getUser (/var/task/src/users.ts:42:17)\n    at handler (/var/task/src/api/route.ts:10:3)",
            ["commit_sha"] = Sha,
        };
        if (overrides is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(overrides).EnumerateObject())
            {
                fields[property.Name] = property.Value;
            }
        }

        return JsonSerializer.Serialize(fields);
    }

    protected async Task<List<StoredIncident>> IncidentsOfAsync(TestProject project)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        var rows = await connection.QueryAsync<StoredIncident>(
            """
            SELECT incident_id AS IncidentId, event_id AS EventId, error_message AS ErrorMessage, error_type AS ErrorType,
                   stack_trace AS StackTrace, file_path AS FilePath, line_number AS LineNumber, column_number AS ColumnNumber,
                   commit_sha AS CommitSha, deployment_id AS DeploymentId, environment AS Environment, status AS Status,
                   occurred_at AS OccurredAt, fingerprint AS Fingerprint, metadata::text AS Metadata
            FROM incidents WHERE project_id = @Id ORDER BY created_at, incident_id
            """, new { project.Id });
        return rows.ToList();
    }

    protected async Task<(long Count, DateTime? LastUsed)> UsageOfAsync(TestProject project)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        return await connection.QuerySingleAsync<(long, DateTime?)>(
            "SELECT usage_count, last_used_at FROM api_key_usage WHERE project_id = @Id AND key_type = 'ingest'", new { project.Id });
    }

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.Clone();
}

public sealed record StoredIncident(
    string IncidentId, Guid EventId, string ErrorMessage, string? ErrorType, string? StackTrace, string? FilePath,
    int? LineNumber, int? ColumnNumber, string CommitSha, string? DeploymentId, string Environment, string Status,
    DateTime OccurredAt, string Fingerprint, string Metadata)
{
    public JsonElement MetadataJson => JsonDocument.Parse(Metadata).RootElement.Clone();
}
