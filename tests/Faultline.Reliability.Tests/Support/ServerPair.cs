using Faultline.Testing;

namespace Faultline.Reliability.Tests.Support;

/// <summary>
/// Two server processes on one database behind a client-side round-robin: request i goes to
/// instance i % 2. An instance can be SIGKILLed and started again on its port.
/// </summary>
internal sealed class ServerPair : IAsyncDisposable
{
    private readonly Dictionary<string, string?> settings;
    private readonly ServerProcess[] servers;
    private readonly List<ServerProcess> killed = [];

    private ServerPair(Dictionary<string, string?> settings, ServerProcess[] servers)
    {
        this.settings = settings;
        this.servers = servers;
    }

    public static async Task<ServerPair> StartAsync(string connectionString)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Faultline"] = connectionString,
            ["Faultline:Ingest:RateLimitPerSecond"] = "0",
        };
        return new ServerPair(settings, [await ServerProcess.StartAsync(settings), await ServerProcess.StartAsync(settings)]);
    }

    public Uri this[int index] => servers[index].BaseAddress;

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
    }
}
