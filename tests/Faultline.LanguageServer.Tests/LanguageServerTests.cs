using System.Text.Json;
using System.Text.Json.Nodes;
using Faultline.Client;
using Faultline.LanguageServer.Tests.Infrastructure;

namespace Faultline.LanguageServer.Tests;

/// <summary>The language server as an editor uses it: JSON-RPC over a pipe, a real git repository, the incidents server over HTTP.</summary>
public sealed class LanguageServerTests
{
    private const string Repo = LspScenario.RepositoryName;

    private static int LineOf(JsonElement diagnostic) => diagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32();

    private static string MessageOf(JsonElement diagnostic) => diagnostic.GetProperty("message").GetString()!;

    [Fact]
    public async Task Initialize_Always_AdvertisesSyncHoverCodeActionsAndCommands()
    {
        var (scenario, _) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        var client = LspClient.StartInProcess(LspClient.TestOptions(scenario.ConfigDirectory));
        await using var __ = client;

        var result = await client.InitializeAsync([scenario.Repository.Root], new { server = scenario.Server.Url.ToString() });

        var capabilities = result.GetProperty("capabilities");
        Assert.Equal(2, capabilities.GetProperty("textDocumentSync").GetProperty("change").GetInt32());
        Assert.True(capabilities.GetProperty("hoverProvider").GetBoolean());
        Assert.True(capabilities.GetProperty("workspace").GetProperty("workspaceFolders").GetProperty("supported").GetBoolean());
        var commands = capabilities.GetProperty("executeCommandProvider").GetProperty("commands").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("faultline.refresh", commands);
        Assert.Contains("faultline.resolve", commands);
        Assert.Equal(0, await client.ShutdownAsync());
    }

    [Fact]
    public async Task Diagnostics_FileUnchanged_PublishedAtTheIncidentLineAsApiMdSays()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        var fingerprint = scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed, column: 24);
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 6, deployed, errorType: "RangeError", errorMessage: "Invalid total", count: 2, environment: "preview");

        await scenario.StartAsync();
        var diagnostics = await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 2);

        var production = diagnostics.Single(d => d.GetProperty("code").GetString() == fingerprint);
        Assert.Equal(4, LineOf(production));
        Assert.Equal(23, production.GetProperty("range").GetProperty("start").GetProperty("character").GetInt32());
        Assert.Equal(LspScenario.CheckoutLines[4].Length, production.GetProperty("range").GetProperty("end").GetProperty("character").GetInt32());
        Assert.Equal("faultline", production.GetProperty("source").GetString());
        Assert.Equal(1, production.GetProperty("severity").GetInt32());
        Assert.StartsWith("inc_", production.GetProperty("data").GetProperty("incident_id").GetString());
        Assert.Equal("TypeError: Cannot read properties of undefined (reading 'id') — 12× in production, last 3 min ago", MessageOf(production));
        var preview = diagnostics.Single(d => d.GetProperty("code").GetString() != fingerprint);
        Assert.Equal(2, preview.GetProperty("severity").GetInt32());
        Assert.Equal(5, LineOf(preview));
        Assert.StartsWith("RangeError: Invalid total — 2× in preview, last 3 min ago", MessageOf(preview));
    }

    [Fact]
    public async Task Diagnostics_LinesAddedAboveSinceTheDeploy_MoveDown()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        scenario.Repository.Write("src/checkout.ts", LspScenario.Text(["// a", "// b", "// c", .. LspScenario.CheckoutLines]));
        scenario.Repository.Commit("comments on top");
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);

        await scenario.StartAsync();
        var diagnostic = Assert.Single(await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1));

        Assert.Equal(7, LineOf(diagnostic));
        Assert.DoesNotContain("changed", MessageOf(diagnostic));
    }

    [Fact]
    public async Task Diagnostics_TheLineItselfChanged_KeepsItsPlaceAndSaysSo()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        var lines = LspScenario.CheckoutLines.ToArray();
        lines[4] = "  const cartId = user?.cart?.id;";
        scenario.Repository.Write("src/checkout.ts", LspScenario.Text(lines));
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);

        await scenario.StartAsync();
        var diagnostic = Assert.Single(await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1));

        Assert.Equal(4, LineOf(diagnostic));
        Assert.EndsWith($" · line changed since {deployed[..7]}", MessageOf(diagnostic));
    }

    [Fact]
    public async Task Diagnostics_FileRenamedSinceTheDeploy_FollowTheRename()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        Directory.CreateDirectory(scenario.Repository.PathOf("src/payments"));
        scenario.Repository.Git("mv", "src/checkout.ts", "src/payments/checkout.ts");
        scenario.Repository.Commit("move checkout");
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);

        await scenario.StartAsync();
        var moved = scenario.Repository.PathOf("src/payments/checkout.ts");
        var diagnostic = Assert.Single(await scenario.Client.WaitForDiagnosticsAsync(moved, d => d.Length == 1));

        Assert.Equal(4, LineOf(diagnostic));
        Assert.Empty(scenario.Client.DiagnosticsOf(scenario.Checkout));
    }

    [Fact]
    public async Task Diagnostics_FileDeletedSinceTheDeploy_AreDropped()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        scenario.Repository.Write("src/other.ts", "export const other = 1;\n");
        File.Delete(scenario.Checkout);
        scenario.Repository.Commit("drop checkout");
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);
        scenario.Server.AddGroup(Repo, "src/other.ts", 1, scenario.Repository.Git("rev-parse", "HEAD").Trim());

        await scenario.StartAsync();
        await scenario.Client.WaitForDiagnosticsAsync(scenario.Repository.PathOf("src/other.ts"), d => d.Length == 1);

        Assert.Empty(scenario.Client.DiagnosticsOf(scenario.Checkout));
    }

    [Fact]
    public async Task Diagnostics_CommitNotInTheClone_UseTheLineAsIsAndSaySo()
    {
        var (scenario, _) = await LspScenario.CreateAsync();
        await using var __ = scenario;
        var unknown = "0123456789abcdef0123456789abcdef01234567";
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 4, unknown);

        await scenario.StartAsync();
        var diagnostic = Assert.Single(await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1));

        Assert.Equal(3, LineOf(diagnostic));
        Assert.EndsWith(" · commit 0123456 not fetched", MessageOf(diagnostic));
    }

    [Fact]
    public async Task Diagnostics_UnsavedEditsInTheBuffer_MoveWithTheTextAndCloseRestoresTheFile()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);
        await scenario.StartAsync();
        await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1 && LineOf(d[0]) == 4);

        await scenario.Client.OpenAsync(scenario.Checkout, LspScenario.Text(LspScenario.CheckoutLines));
        await scenario.Client.ChangeAsync(scenario.Checkout, 2, 0, 2, 0, "// typed\n");
        await scenario.Client.ChangeAsync(scenario.Checkout, 3, 0, 3, 0, "// and again\n");
        var moved = await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1 && LineOf(d[0]) == 6);
        await scenario.Client.ChangeAsync(scenario.Checkout, 6, 0, 6, LspScenario.CheckoutLines[4].Length, "  const cartId = user.cartId;");
        var edited = await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1 && MessageOf(d[0]).Contains("line changed", StringComparison.Ordinal));
        await scenario.Client.CloseAsync(scenario.Checkout);
        var restored = await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1 && LineOf(d[0]) == 4);

        Assert.DoesNotContain("changed", MessageOf(moved[0]));
        Assert.Equal(6, LineOf(edited[0]));
        Assert.DoesNotContain("changed", MessageOf(restored[0]));
    }

    [Fact]
    public async Task Refresh_GroupsNotModified_PublishesNothingNew()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);
        await scenario.StartAsync(refreshIntervalSeconds: 1);
        await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1);
        var published = scenario.Client.PublicationCount;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (scenario.Server.NotModifiedCount < 2)
        {
            await Task.Delay(50, timeout.Token);
        }

        Assert.Equal(published, scenario.Client.PublicationCount);
    }

    [Fact]
    public async Task CodeAction_ResolveInFaultline_ResolvesTheGroupAndRemovesTheDiagnostic()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        var resolved = scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);
        var kept = scenario.Server.AddGroup(Repo, "src/checkout.ts", 7, deployed, errorType: "Error", errorMessage: "kept");
        await scenario.StartAsync();
        var diagnostics = await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 2);
        var target = diagnostics.Single(d => d.GetProperty("code").GetString() == resolved);

        var actions = await scenario.Client.CodeActionAsync(scenario.Checkout, target);
        var resolve = actions.EnumerateArray().Single(a => a.GetProperty("title").GetString()!.StartsWith("Resolve in Faultline", StringComparison.Ordinal));
        await scenario.Client.ExecuteCommandAsync(resolve.GetProperty("command"));

        // The publish precedes the command's answer on the wire, but this client handles notifications on other threads.
        var remaining = Assert.Single(await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1));
        Assert.Equal(kept, remaining.GetProperty("code").GetString());
        Assert.Equal(1, scenario.Server.Requests("resolve"));
        Assert.Contains(actions.EnumerateArray(), a => a.GetProperty("title").GetString()!.StartsWith("Open in dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CodeAction_OpenInDashboard_AsksTheEditorToOpenTheIncidentPage()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);
        await scenario.StartAsync();
        var diagnostic = (await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1))[0];
        var incidentId = diagnostic.GetProperty("data").GetProperty("incident_id").GetString();

        var actions = await scenario.Client.CodeActionAsync(scenario.Checkout, diagnostic);
        var open = actions.EnumerateArray().Single(a => a.GetProperty("title").GetString()!.StartsWith("Open in dashboard", StringComparison.Ordinal));
        await scenario.Client.ExecuteCommandAsync(open.GetProperty("command"));

        var shown = Assert.Single(scenario.Client.ShownDocuments);
        Assert.Equal($"{scenario.Server.Url}incidents/{incidentId}", shown.GetProperty("uri").GetString());
        Assert.True(shown.GetProperty("external").GetBoolean());
    }

    [Fact]
    public async Task Hover_OnTheDiagnosticLine_ShowsTheGroupAndTheStackTraceInAppFramesFirst()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);
        await scenario.StartAsync();
        await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1);

        var hover = await scenario.Client.HoverAsync(scenario.Checkout, 4, 10);
        var nothing = await scenario.Client.HoverAsync(scenario.Checkout, 0, 0);

        var markdown = hover.GetProperty("contents").GetProperty("value").GetString()!;
        Assert.Contains("**TypeError**: Cannot read properties of undefined (reading 'id')", markdown);
        Assert.Contains("**12×** in production", markdown);
        Assert.Contains($"Commit `{deployed[..7]}`", markdown);
        Assert.Contains("First seen", markdown);
        Assert.True(
            markdown.IndexOf("at checkout (src/checkout.ts:5:7)", StringComparison.Ordinal) < markdown.IndexOf("node_modules/express", StringComparison.Ordinal),
            markdown);
        Assert.Equal(JsonValueKind.Null, nothing.ValueKind);
    }

    [Fact]
    public async Task Head_CheckoutOfABranchWithLinesAbove_MovesTheDiagnostic()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        scenario.Repository.Git("checkout", "-q", "-b", "feature");
        scenario.Repository.Write("src/checkout.ts", LspScenario.Text(["// one", "// two", .. LspScenario.CheckoutLines]));
        scenario.Repository.Commit("feature work");
        scenario.Repository.Git("checkout", "-q", "main");
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);
        await scenario.StartAsync();
        await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1 && LineOf(d[0]) == 4);

        scenario.Repository.Git("checkout", "-q", "feature");

        await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1 && LineOf(d[0]) == 6);
    }

    [Fact]
    public async Task Server_StoppedThenRestarted_OneMessageThenRecoversByItself()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);
        await scenario.StartAsync();
        await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1);

        await scenario.Server.StopAsync();
        await scenario.Client.ExecuteCommandAsync("faultline.refresh");
        await scenario.Client.WaitForMessageAsync(m => m.Contains("cannot reach", StringComparison.Ordinal));
        await Task.Delay(800, TestContext.Current.CancellationToken); // several retries with backoff
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 7, deployed, errorMessage: "while it was down");
        await scenario.Server.StartAgainAsync();

        await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 2);
        Assert.Single(scenario.Client.Messages, m => m.Contains("cannot reach", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_NotSignedIn_OneMessageSayingWhatToDoThenRecoversAfterLogin()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync(signedIn: false);
        await using var _ = scenario;
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);
        await scenario.StartAsync();

        await scenario.Client.WaitForMessageAsync(m => m.Contains("faultline login", StringComparison.Ordinal));
        await Task.Delay(800, TestContext.Current.CancellationToken); // several retries
        scenario.WriteCredentials(FakeIncidentsServer.Token, null, DateTimeOffset.UtcNow.AddHours(1));

        await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1);
        Assert.Single(scenario.Client.Messages);
    }

    [Fact]
    public async Task SignIn_AccessTokenRejected_RefreshesAndSavesTheNewPair()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync(signedIn: false);
        await using var _ = scenario;
        scenario.WriteCredentials("fl_at_expired", scenario.Server.RefreshToken, DateTimeOffset.UtcNow.AddHours(1));
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);

        await scenario.StartAsync();
        await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1);

        var saved = JsonNode.Parse(File.ReadAllText(scenario.CredentialsPath))!;
        Assert.Equal(scenario.Server.RefreshToken, (string?)saved["refresh_token"]);
        Assert.StartsWith("fl_at_refreshed", (string?)saved["access_token"]);
        Assert.Equal(ServerAddress.Format(scenario.Server.Url), (string?)saved["server"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(scenario.CredentialsPath));
        Assert.Equal(1, scenario.Server.Requests("refresh"));
        Assert.Empty(scenario.Client.Messages);
    }

    [Fact]
    public async Task SignIn_SessionEndedAndRefreshRefused_OneMessageToLogInAgain()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync(signedIn: false);
        await using var _ = scenario;
        scenario.WriteCredentials("fl_at_revoked", "fl_rt_revoked", DateTimeOffset.UtcNow.AddHours(1));
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);

        await scenario.StartAsync();
        await scenario.Client.WaitForMessageAsync(m => m.Contains("faultline login", StringComparison.Ordinal));
        await Task.Delay(600, TestContext.Current.CancellationToken);

        Assert.Single(scenario.Client.Messages);
        Assert.Empty(scenario.Client.DiagnosticsOf(scenario.Checkout));
    }

    [Fact]
    public async Task Repository_WithoutAProject_OneMessageNamingTheCommandToCreateIt()
    {
        var (scenario, _) = await LspScenario.CreateAsync();
        await using var __ = scenario;

        await scenario.StartAsync();
        await scenario.Client.WaitForMessageAsync(m => m.Contains($"faultline projects create {Repo}", StringComparison.Ordinal));
        await Task.Delay(600, TestContext.Current.CancellationToken);

        Assert.Single(scenario.Client.Messages);
    }

    [Fact]
    public async Task WorkspaceFolders_TwoRepositories_EachGetsItsOwnDiagnostics()
    {
        var (scenario, deployed) = await LspScenario.CreateAsync();
        await using var _ = scenario;
        using var second = GitRepository.Create("git@github.com:acme/api.git");
        second.Write("server.py", "def handler():\n    raise ValueError('x')\n");
        var secondSha = second.Commit("api");
        scenario.Server.AddGroup(Repo, "src/checkout.ts", 5, deployed);
        scenario.Server.AddGroup("acme/api", "server.py", 2, secondSha, errorType: "ValueError", errorMessage: "x");

        await scenario.StartAsync(folders: [scenario.Repository.Root, second.Root]);

        await scenario.Client.WaitForDiagnosticsAsync(scenario.Checkout, d => d.Length == 1);
        var python = Assert.Single(await scenario.Client.WaitForDiagnosticsAsync(second.PathOf("server.py"), d => d.Length == 1));
        Assert.Equal(1, LineOf(python));
        Assert.Equal(4, python.GetProperty("range").GetProperty("start").GetProperty("character").GetInt32());
    }
}
