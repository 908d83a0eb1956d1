using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faultline.Server.Auth;
using Faultline.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Faultline.Server.Tests.Auth;

/// <summary>No GitHub app: one local account, for this machine only.</summary>
public sealed class LocalModeTests(TestPostgres postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Config_WithoutGitHub_IsLocal_AndWithGitHubNamesItsWebUrl()
    {
        await using var local = new FaultlineFactory(postgres.ConnectionString);
        var config = await local.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/auth/config", Cancel);
        Assert.Equal("local", config.GetProperty("mode").GetString());

        await using var gitHub = await FakeGitHub.StartAsync();
        await using var github = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings);
        config = await github.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/auth/config", Cancel);
        Assert.Equal("github", config.GetProperty("mode").GetString());
        Assert.Equal(gitHub.WebUrl, config.GetProperty("github_web_url").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await github.CreateClient().PostAsync("/api/v1/auth/local", null, Cancel)).StatusCode);
    }

    [Fact]
    public async Task LocalSignIn_IssuesTokensForTheOsUser_WithGitHubIdZero()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var client = factory.CreateClient();

        var response = await client.PostAsync("/api/v1/auth/local", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());

        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me", Cancel);
        Assert.Equal(Environment.UserName, me.GetProperty("github_login").GetString());
        Assert.Equal(0, me.GetProperty("github_id").GetInt64());
    }

    [Fact]
    public async Task LocalSignIn_FromAnotherMachine_Answers403()
    {
        await using var baseFactory = new FaultlineFactory(postgres.ConnectionString);
        await using var factory = baseFactory.WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Parse("192.0.2.10")))));
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/auth/local", null, Cancel)).StatusCode);
        var antiforgery = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/antiforgery", Cancel);
        using var form = new HttpRequestMessage(HttpMethod.Post, "/auth/local");
        form.Headers.Add("X-CSRF-TOKEN", antiforgery.GetProperty("request_token").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(form, Cancel)).StatusCode);
    }

    [Fact]
    public async Task ContinueAsLocalUser_NeedsAntiforgery_ThenSetsCookie()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var browser = BrowserSignInTests.Browser(factory);

        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/auth/local", null, Cancel)).StatusCode);

        using var form = new HttpRequestMessage(HttpMethod.Post, "/auth/local?return_url=/projects")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", await BrowserSignInTests.AntiforgeryAsync(browser))]),
        };
        var response = await browser.SendAsync(form, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/projects", response.Headers.Location?.OriginalString);
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/v1/me", Cancel);
        Assert.Equal(Environment.UserName, me.GetProperty("github_login").GetString());
    }

    [Theory]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://127.0.0.1:0", true)]
    [InlineData("http://127.1.2.3:80", true)]
    [InlineData("https://[::1]:5001", true)]
    [InlineData("http://unix:/run/faultline.sock", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://[::]:80", false)]
    [InlineData("http://192.168.1.5:80", false)]
    [InlineData("http://faultline.example.com", false)]
    public void IsLoopbackUrl_TellsLoopbackFromExposed(string url, bool loopback) =>
        Assert.Equal(loopback, LocalMode.IsLoopbackUrl(url));

    [Fact]
    public async Task Server_InLocalModeOnNonLoopbackAddress_RefusesToStartWithOneLine()
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Faultline"] = postgres.ConnectionString };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(settings, urls: "http://0.0.0.0:0"));

        var lines = error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var line = Assert.Single(lines, l => l.Contains("local mode", StringComparison.Ordinal));
        Assert.StartsWith("faultline-server: Refusing to listen on http://0.0.0.0:0 in local mode", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
