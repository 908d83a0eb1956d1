using Faultline.Testing;

namespace Faultline.Reliability.Tests.Support;

/// <summary>
/// Server processes on a database of their own (dropped at the end), with a project: with two,
/// clients do the round-robin (request i to instance i % 2). An instance can be SIGKILLed and
/// started again on its port.
/// </summary>
internal sealed class ServerGroup : IAsyncDisposable
{
    private readonly Dictionary<string, string?> settings;
    private readonly ServerProcess[] servers;
    private readonly List<ServerProcess> killed = [];

    private ServerGroup(string connectionString, Dictionary<string, string?> settings, ServerProcess[] servers, TestProject project)
    {
        ConnectionString = connectionString;
        this.settings = settings;
        this.servers = servers;
        Project = project;
    }

    /// <summary>Starts <paramref name="count"/> servers one after the other; unless <paramref name="rateLimited"/>, with no per-key rate limit (load at full speed).</summary>
    public static async Task<ServerGroup> StartAsync(TestPostgres postgres, string hint, int count, bool rateLimited = false)
    {
        var connectionString = await postgres.CreateDatabaseAsync(hint);
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Faultline"] = connectionString };
        if (!rateLimited)
        {
            settings["Faultline:Ingest:RateLimitPerSecond"] = "0";
        }

        var servers = new List<ServerProcess>(count);
        try
        {
            while (servers.Count < count)
            {
                servers.Add(await ServerProcess.StartAsync(settings));
            }

            return new ServerGroup(connectionString, settings, [.. servers], await TestData.CreateProjectAsync(connectionString));
        }
        catch
        {
            // No test class disposes what its InitializeAsync failed to build: stop the processes here.
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    public string ConnectionString { get; }

    public TestProject Project { get; }

    public Uri this[int index] => servers[index].BaseAddress;

    public ServerProcess First => servers[0];

    public IEnumerable<ServerProcess> Running => servers;

    /// <summary>SIGKILL, then a new process on the same port (or a new port if the old one is still held).</summary>
    public async Task KillAsync(int index) => await servers[index].KillAsync();

    public async Task RestartAsync(int index)
    {
        var old = servers[index];
        killed.Add(old);
        try
        {
            servers[index] = await ServerProcess.StartAsync(settings, old.BaseAddress.GetLeftPart(UriPartial.Authority));
        }
        catch (InvalidOperationException)
        {
            servers[index] = await ServerProcess.StartAsync(settings);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers.Concat(killed))
        {
            await server.DisposeAsync();
        }

        await Stored.DropDatabaseAsync(ConnectionString);
    }
}
