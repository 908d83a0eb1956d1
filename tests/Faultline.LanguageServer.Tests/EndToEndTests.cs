using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Faultline.Client;
using Faultline.Contracts;
using Faultline.LanguageServer.Tests.Infrastructure;
using Faultline.Testing;

namespace Faultline.LanguageServer.Tests;

/// <summary>
/// Everything real, as a user sets it up: <c>faultline-server</c> on PostgreSQL in local mode,
/// <c>faultline login</c>, a project, incidents through the ingest API at an older commit of a git
/// repository on github.com/acme/shop, and the <c>faultline lsp</c> process spoken to over its stdio.
/// </summary>
public sealed class EndToEndTests(TestPostgres postgres)
{
    private const string Repository = LspScenario.RepositoryName;

    /// <summary>The deployed file: line 5 throws.</summary>
    private static readonly string[] AppLines = LspScenario.CheckoutLines;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static int LineOf(JsonElement diagnostic) => diagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32();

    [Fact]
    public async Task LspProcess_AgainstTheRealServer_UnderlinesFollowsTheCodeResolvesAndSurvivesARestart()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Faultline"] = postgres.ConnectionString,
            ["Faultline:Database:AutoMigrate"] = "false",
        };
        var server = await ServerProcess.StartAsync(settings);
        var serverUrl = ServerAddress.Format(server.BaseAddress);
        var configHome = Directory.CreateTempSubdirectory("faultline-e2e-").FullName;
        using var repository = GitRepository.Create($"https://github.com/{Repository}.git");
        try
        {
            // Signed in as a user would be: `faultline login` against the local-mode server.
            var login = await FaultlineCommand.RunAsync(configHome, "login", "--server", serverUrl);
            Assert.True(login.ExitCode == 0, $"faultline login failed: {login.Output}{login.Error}");
            var store = CredentialStore.Default(name => name == "XDG_CONFIG_HOME" ? configHome : null);
            using var api = new FaultlineClient(server.BaseAddress, new StoredAccessToken(store, TimeProvider.System));
            var project = await api.CreateProjectAsync(Repository, Cancel);

            // Deployed at an older commit; HEAD has moved on since.
            repository.Write("src/app.ts", LspScenario.Text(AppLines));
            var deployed = repository.Commit("deployed");
            repository.Write("README.md", "# shop\n");
            repository.Commit("docs");
            using var ingest = new HttpClient { BaseAddress = server.BaseAddress };
            ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", project.IngestApiKey);
            await IngestAsync(ingest, deployed, line: 5, "TypeError", "Cannot read properties of undefined (reading 'id')");

            using var lsp = FaultlineCommand.Start(configHome, "lsp");
            var editor = LspClient.Connect(lsp.Process.StandardInput.BaseStream, lsp.Process.StandardOutput.BaseStream);
            await using (editor)
            {
                await editor.InitializeAsync([repository.Root], new { refresh_interval_seconds = 1 });
                var app = repository.PathOf("src/app.ts");

                // The underline is at the line that failed (0-based 4), with API.md's message.
                var diagnostic = Assert.Single(await editor.WaitForDiagnosticsAsync(app, d => d.Length == 1, TimeSpan.FromSeconds(60)));
                Assert.Equal(4, LineOf(diagnostic));
                Assert.StartsWith("TypeError: Cannot read properties of undefined (reading 'id') — 1× in production", diagnostic.GetProperty("message").GetString());
                Assert.Equal("faultline", diagnostic.GetProperty("source").GetString());

                // Three lines added above and committed: it moves down with the code.
                repository.Write("src/app.ts", LspScenario.Text(["// added", "// after", "// the deploy", .. AppLines]));
                repository.Commit("lines above");
                diagnostic = Assert.Single(await editor.WaitForDiagnosticsAsync(app, d => d.Length == 1 && LineOf(d[0]) == 7, TimeSpan.FromSeconds(30)));

                // Resolved through the code action: gone from the editor, and resolved on the server.
                var actions = await editor.CodeActionAsync(app, diagnostic);
                var resolve = actions.EnumerateArray().Single(a => a.GetProperty("title").GetString()!.StartsWith("Resolve in Faultline", StringComparison.Ordinal));
                await editor.ExecuteCommandAsync(resolve.GetProperty("command"));
                await editor.WaitForDiagnosticsAsync(app, d => d.Length == 0, TimeSpan.FromSeconds(30));
                var incidentId = diagnostic.GetProperty("data").GetProperty("incident_id").GetString()!;
                Assert.Equal(IncidentStatus.Resolved, (await api.GetIncidentAsync(incidentId, Cancel)).Status);

                // Server stopped: one message saying so. Restarted on the same address: back by itself.
                await server.StopAsync();
                await editor.WaitForMessageAsync(m => m.Contains("cannot reach", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
                server = await ServerProcess.StartAsync(settings, urls: serverUrl);
                await IngestAsync(ingest, deployed, line: 6, "RangeError", "Invalid total");
                diagnostic = Assert.Single(await editor.WaitForDiagnosticsAsync(app, d => d.Length == 1, TimeSpan.FromSeconds(60)));
                Assert.Equal(8, LineOf(diagnostic));
                Assert.StartsWith("RangeError: Invalid total", diagnostic.GetProperty("message").GetString());
                Assert.Single(editor.Messages);

                Assert.Equal(0, await editor.ShutdownAsync());
            }

            await lsp.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.True(lsp.Process.ExitCode == 0, $"faultline lsp exited {lsp.Process.ExitCode}:\n{lsp.Error}");
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(configHome, recursive: true);
        }
    }

    private static async Task IngestAsync(HttpClient ingest, string commitSha, int line, string errorType, string errorMessage)
    {
        var response = await ingest.PostAsJsonAsync("/api/v1/incidents", new Dictionary<string, object>
        {
            ["error_type"] = errorType,
            ["error_message"] = errorMessage,
            ["stack_trace"] = string.Create(CultureInfo.InvariantCulture,
                $"{errorType}: {errorMessage}\n    at checkout (/var/task/src/app.ts:{line}:7)\n    at next (/var/task/node_modules/express/lib/router.js:10:5)"),
            ["frames"] = new object[]
            {
                new { file = "node_modules/express/lib/router.js", line = 10, column = 5, function = "next", in_app = false },
                new { file = "src/app.ts", line, column = 7, function = "checkout", in_app = true },
            },
            ["commit_sha"] = commitSha,
            ["environment"] = "production",
        }, Cancel);
        Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");
    }
}
