using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Faultline.Testing;
using Npgsql;

namespace Faultline.Server.Tests.Ingest;

/// <summary>
/// Unchanged Sentry SDKs — the Sentry NuGet package in this process and @sentry/node from npm in a
/// Node process — reporting to a real Faultline server on loopback: each error must end up as an
/// incident at the repository path and line where it was thrown.
/// </summary>
public sealed class SentrySdkTests(TestPostgres postgres) : IAsyncLifetime
{
    private const string Sha = "89abcdef0123456789abcdef0123456789abcdef";
    private ServerProcess server = null!;

    public async ValueTask InitializeAsync() =>
        server = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Faultline"] = postgres.ConnectionString,
            ["Faultline:Database:AutoMigrate"] = "false",
        });

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task DotnetSdk_CaptureException_BecomesIncidentAtTheThrowingLine()
    {
        var project = await TestData.CreateProjectAsync(postgres.ConnectionString);
        // The test binaries were built from this checkout: its root is where the PDB paths start.
        await AddCodeMappingAsync(project, RepositoryRoot.Path + "/", string.Empty);
        var options = new SentryOptions
        {
            Dsn = $"http://{project.IngestKey}@{server.BaseAddress.Authority}/{project.ProjectNumber}",
            Release = $"shop@{Sha}",
            Environment = "production",
            AutoSessionTracking = false,
            SendClientReports = false,
            IsGlobalModeEnabled = false,
        };
        options.DefaultTags["vercel.deployment_id"] = "dpl_dotnet_test";

        SentryId eventId;
        int line;
        using (var client = new SentryClient(options))
        {
            try
            {
                Checkout.ComputeTotal([]);
                throw new UnreachableException();
            }
            catch (InvalidOperationException exception)
            {
                line = new StackTrace(exception, fNeedFileInfo: true).GetFrame(0)!.GetFileLineNumber();
                eventId = client.CaptureException(exception);
            }

            await client.FlushAsync(TimeSpan.FromSeconds(15));
        }

        var stored = await WaitForIncidentAsync(Guid.Parse(eventId.ToString()));
        Assert.Equal("tests/Faultline.Server.Tests/Ingest/SentrySdkTests.cs", stored.FilePath);
        Assert.Equal(line, stored.LineNumber);
        Assert.Equal("System.InvalidOperationException", stored.ErrorType);
        Assert.Equal("Cart is empty", stored.ErrorMessage);
        Assert.Equal(Sha, stored.CommitSha);
        Assert.Equal("dpl_dotnet_test", stored.DeploymentId);
    }

    [Fact]
    public async Task NodeSdk_CaptureException_BecomesIncidentAtTheThrowingLine()
    {
        var script = Path.Combine(RepositoryRoot.Path, "tests", "sentry-node");
        Assert.True(Directory.Exists(Path.Combine(script, "node_modules", "@sentry", "node")),
            "tests/sentry-node has no node_modules: ./test.sh installs it (npm ci).");
        var project = await TestData.CreateProjectAsync(postgres.ConnectionString);
        await AddCodeMappingAsync(project, script + "/", string.Empty);

        var startInfo = new ProcessStartInfo("node", ["capture.js"]) { WorkingDirectory = script, RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.Environment["SENTRY_DSN"] = $"http://{project.IngestKey}@{server.BaseAddress.Authority}/{project.ProjectNumber}";
        startInfo.Environment["SENTRY_RELEASE"] = Sha;
        using var node = Process.Start(startInfo)!;
        var output = await node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = await node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await node.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(node.ExitCode == 0, errors);

        var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.True(result.GetProperty("flushed").GetBoolean(), output + errors);
        var stored = await WaitForIncidentAsync(Guid.ParseExact(result.GetProperty("eventId").GetString()!, "N"));
        Assert.Equal("src/handlers/checkout.js", stored.FilePath);
        Assert.Equal(6, stored.LineNumber);
        Assert.Equal(11, stored.ColumnNumber);
        Assert.Equal("Error", stored.ErrorType);
        Assert.Equal("Cart is empty: cannot compute total for cart_123", stored.ErrorMessage);
        Assert.Equal(("production", "dpl_node_test"), (stored.Environment, stored.DeploymentId));
    }

    private async Task AddCodeMappingAsync(TestProject project, string stackRoot, string sourceRoot)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.ExecuteAsync(
            "INSERT INTO project_code_mappings (project_id, stack_root, source_root) VALUES (@Id, @StackRoot, @SourceRoot)",
            new { project.Id, StackRoot = stackRoot, SourceRoot = sourceRoot });
    }

    private async Task<StoredIncident> WaitForIncidentAsync(Guid eventId)
    {
        // The SDK's flush returns once the server answered, and the server answers after the commit.
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        var stored = await connection.QuerySingleOrDefaultAsync<StoredIncident>(
            """
            SELECT incident_id AS IncidentId, event_id AS EventId, error_message AS ErrorMessage, error_type AS ErrorType,
                   stack_trace AS StackTrace, file_path AS FilePath, line_number AS LineNumber, column_number AS ColumnNumber,
                   commit_sha AS CommitSha, deployment_id AS DeploymentId, environment AS Environment, status AS Status,
                   occurred_at AS OccurredAt, fingerprint AS Fingerprint, metadata::text AS Metadata
            FROM incidents WHERE event_id = @EventId
            """, new { EventId = eventId });
        Assert.True(stored is not null, "no incident for event " + eventId + "\n" + server.Output);
        return stored;
    }

    private static class Checkout
    {
        public static decimal ComputeTotal(decimal[] prices) =>
            prices.Length == 0 ? throw new InvalidOperationException("Cart is empty") : prices.Sum();
    }
}
