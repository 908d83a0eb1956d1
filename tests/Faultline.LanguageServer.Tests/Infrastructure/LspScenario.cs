using Faultline.Client;
using Faultline.Contracts;

namespace Faultline.LanguageServer.Tests.Infrastructure;

/// <summary>
/// One editor session: a real git repository with an <c>origin</c> on GitHub, the incidents server,
/// saved credentials in a private config folder, and the language server behind a JSON-RPC client.
/// </summary>
internal sealed class LspScenario : IAsyncDisposable
{
    public const string RepositoryName = "acme/shop";

    /// <summary>checkout.ts as deployed: line 5 throws.</summary>
    public static readonly string[] CheckoutLines =
    [
        "import { db } from './db';",
        "",
        "export async function checkout(req: Request) {",
        "  const user = await db.user(req.id);",
        "  const cartId = user.cart.id;",
        "  const total = await db.total(cartId);",
        "  return Response.json({ total });",
        "}",
    ];

    private LspScenario(GitRepository repository, FakeIncidentsServer server, string configDirectory)
    {
        Repository = repository;
        Server = server;
        ConfigDirectory = configDirectory;
    }

    public GitRepository Repository { get; }

    public FakeIncidentsServer Server { get; }

    public string ConfigDirectory { get; }

    public LspClient Client { get; private set; } = null!;

    public string CredentialsPath => Path.Combine(ConfigDirectory, "faultline", "credentials.json");

    public static string Text(IEnumerable<string> lines) => string.Join('\n', lines) + "\n";

    /// <summary>A repository whose first commit is the deployed checkout.ts (returns its sha as Deployed).</summary>
    public static async Task<(LspScenario Scenario, string Deployed)> CreateAsync(bool signedIn = true)
    {
        var repository = GitRepository.Create($"https://github.com/{RepositoryName}.git");
        repository.Write("src/checkout.ts", Text(CheckoutLines));
        repository.Write("README.md", "# shop\n");
        var deployed = repository.Commit("deployed");
        var server = await FakeIncidentsServer.StartAsync();
        var scenario = new LspScenario(repository, server, Directory.CreateTempSubdirectory("faultline-config-").FullName);
        if (signedIn)
        {
            scenario.WriteCredentials(FakeIncidentsServer.Token, server.RefreshToken, DateTimeOffset.UtcNow.AddHours(1));
        }

        return (scenario, deployed);
    }

    /// <summary>Saves a session as <c>faultline login</c> does (the client's own store and format).</summary>
    public void WriteCredentials(string accessToken, string? refreshToken, DateTimeOffset expiresAt) =>
        new CredentialStore(CredentialsPath).Save(new StoredCredentials(ServerAddress.Format(Server.Url), accessToken, refreshToken, expiresAt));

    /// <summary>Starts the language server and initializes it on the repository, with the server in <c>initializationOptions</c>.</summary>
    public async Task StartAsync(int refreshIntervalSeconds = 60, IEnumerable<string>? folders = null)
    {
        Client = LspClient.StartInProcess(LspClient.TestOptions(ConfigDirectory));
        await Client.InitializeAsync(folders ?? [Repository.Root], new { server = Server.Url.ToString(), refresh_interval_seconds = refreshIntervalSeconds });
    }

    public string Checkout => Repository.PathOf("src/checkout.ts");

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        await Server.DisposeAsync();
        Repository.Dispose();
        Directory.Delete(ConfigDirectory, recursive: true);
    }
}
