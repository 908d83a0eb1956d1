using System.Diagnostics;
using System.Net;
using Faultline.Server.Database;
using Faultline.Testing;

namespace Faultline.Server.Tests;

/// <summary>The server binary as a user runs it: its migrate commands and the embedded database.</summary>
public sealed class ServerCommandTests(TestPostgres postgres)
{
    [Fact]
    public async Task MigrateCommands_StatusDownUp_WorkOnConfiguredDatabase()
    {
        var connectionString = await postgres.CreateDatabaseAsync("cmd");
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Faultline"] = connectionString };

        var (code, output) = await RunServerAsync(environment, "migrate", "status");
        Assert.Equal(0, code);
        Assert.Contains("001_create_users", output, StringComparison.Ordinal);
        Assert.Contains("pending", output, StringComparison.Ordinal);

        (code, _) = await RunServerAsync(environment, "migrate", "up");
        Assert.Equal(0, code);
        (code, output) = await RunServerAsync(environment, "migrate", "status");
        Assert.Equal(Migrator.LatestVersion, output.Split('\n').Count(l => l.Contains(" applied ", StringComparison.Ordinal)));

        (code, output) = await RunServerAsync(environment, "migrate", "down", "--to", "0");
        Assert.Equal(0, code);
        Assert.Contains($"Reverted {Migrator.LatestVersion} migration(s)", output, StringComparison.Ordinal);
        Assert.Empty(await SchemaSnapshot.ReadAsync(connectionString));

        (code, _) = await RunServerAsync(environment, "migrate", "up");
        Assert.Equal(0, code);
        Assert.Contains("column incidents.fingerprint character varying(64) null", await SchemaSnapshot.ReadAsync(connectionString));

        (code, output) = await RunServerAsync(environment, "migrate", "sideways");
        Assert.Equal(2, code);
        Assert.Contains("usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_WithNoConnectionString_RunsEmbeddedDatabase_AndStopsItOnSigterm()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "flsrv-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var settings = new Dictionary<string, string?> { ["ConnectionStrings:Faultline"] = "", ["Faultline:DataDirectory"] = dataDirectory };
            await using (var server = await ServerProcess.StartAsync(settings))
            {
                using var client = new HttpClient { BaseAddress = server.BaseAddress };
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode);
                Assert.Single(Database.EmbeddedPostgresTests.PostmastersOn(dataDirectory));

                // While it runs, migrate status uses its database through the socket.
                var (code, output) = await RunServerAsync(new() { ["Faultline__DataDirectory"] = dataDirectory }, "migrate", "status");
                Assert.Equal(0, code);
                Assert.Contains("012_", output, StringComparison.Ordinal);

                // A second server on the same data directory is refused with one clear line.
                (code, output) = await RunServerAsync(new() { ["Faultline__DataDirectory"] = dataDirectory }, "--urls", "http://127.0.0.1:0");
                Assert.Equal(1, code);
                Assert.Contains("Another Faultline server is already running", output, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);

                Assert.Equal(0, await server.StopAsync());
            }

            Assert.Empty(Database.EmbeddedPostgresTests.PostmastersOn(dataDirectory));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Server_WithoutPostgresBinaries_PrintsOneLineWhatToInstall()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "flnopg-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, output) = await RunServerAsync(
            new() { ["Faultline__DataDirectory"] = dataDirectory, ["Faultline__Database__PostgresBinaries"] = "/nonexistent/bin" });

        Assert.Equal(1, code);
        Assert.Contains("install PostgreSQL 15 or newer", output, StringComparison.Ordinal);
        Assert.Single(output.Trim().Split('\n'));
    }

    private static async Task<(int Code, string Output)> RunServerAsync(Dictionary<string, string?> environment, params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        startInfo.Environment["ConnectionStrings__Faultline"] = "";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "faultline-server.dll"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
