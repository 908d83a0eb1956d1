using Faultline.Testing;

namespace Faultline.Dashboard.Tests;

/// <summary>
/// The real <c>faultline-server</c> on <c>127.0.0.1:0</c> (a browser cannot reach an in-memory
/// TestServer), on a database of its own so that the one local account of local mode sees only
/// this test's projects. A second server on the same database (in GitHub mode) plays another user.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly ServerProcess process;

    private DashboardServer(ServerProcess process, string connectionString)
    {
        this.process = process;
        ConnectionString = connectionString;
    }

    public Uri BaseAddress => process.BaseAddress;

    public string ConnectionString { get; }

    public string Output => process.Output;

    /// <summary>A server in local mode (no GitHub app) on a new, empty database it migrates itself.</summary>
    public static async Task<DashboardServer> StartLocalAsync(TestPostgres postgres) =>
        await StartAsync(await postgres.CreateDatabaseAsync("dash"), gitHub: null);

    /// <summary>A server signing in with <paramref name="gitHub"/> on <paramref name="connectionString"/>.</summary>
    public static async Task<DashboardServer> StartAsync(string connectionString, FakeGitHub? gitHub)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Faultline"] = connectionString,
            ["Faultline:Database:AutoMigrate"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in gitHub?.Settings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new DashboardServer(await ServerProcess.StartAsync(settings), connectionString);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
