using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faultline.Testing;

namespace Faultline.Server.Tests.Auth;

/// <summary>The CLI's sign-in: GitHub's device flow proxied by the server, RFC 8628 errors, on a fake clock.</summary>
public sealed class DeviceFlowTests(TestPostgres postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Poll_PendingThenSlowDownThenApproved_ReturnsTokenPair_AndHonoursInterval()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings) { UseFakeTime = true };
        var client = factory.CreateClient();
        var start = await StartAsync(client);
        Assert.Equal(FakeGitHub.DeviceInterval, start.GetProperty("interval").GetInt32());
        Assert.Equal(gitHub.WebUrl + "/login/device", start.GetProperty("verification_uri").GetString());
        var deviceCode = start.GetProperty("device_code").GetString()!;
        var device = gitHub.Device(start.GetProperty("user_code").GetString()!);

        factory.Time.Advance(TimeSpan.FromSeconds(5));
        await AssertErrorAsync(client, deviceCode, "authorization_pending");
        Assert.Equal(1, gitHub.DeviceTokenRequests);

        // Polling again at once: slow_down from the server itself, interval +5 s, GitHub not asked.
        var early = await AssertErrorAsync(client, deviceCode, "slow_down");
        Assert.Equal(10, early.GetProperty("interval").GetInt32());
        Assert.Equal(1, gitHub.DeviceTokenRequests);
        factory.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(15, (await AssertErrorAsync(client, deviceCode, "slow_down")).GetProperty("interval").GetInt32());
        Assert.Equal(1, gitHub.DeviceTokenRequests);

        // GitHub's own slow_down is passed on with the larger interval.
        factory.Time.Advance(TimeSpan.FromSeconds(15));
        device.SlowDownOnce();
        Assert.Equal(20, (await AssertErrorAsync(client, deviceCode, "slow_down")).GetProperty("interval").GetInt32());

        var user = gitHub.AddUser(email: "dev@example.test");
        device.Approve(user);
        factory.Time.Advance(TimeSpan.FromSeconds(20));
        var response = await client.PostAsJsonAsync("/api/v1/auth/device/poll", new { device_code = deviceCode }, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.StartsWith("fl_at_", tokens.GetProperty("access_token").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("fl_rt_", tokens.GetProperty("refresh_token").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        Assert.Equal(3600, tokens.GetProperty("expires_in").GetInt32());

        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me", Cancel);
        Assert.Equal(user.Login, me.GetProperty("github_login").GetString());
        Assert.Equal("dev@example.test", me.GetProperty("github_email").GetString());

        // The device code is spent.
        client.DefaultRequestHeaders.Authorization = null;
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        await AssertErrorAsync(client, deviceCode, "expired_token");
    }

    [Fact]
    public async Task Poll_WhenUserDenies_ReturnsAccessDenied()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings) { UseFakeTime = true };
        var client = factory.CreateClient();
        var start = await StartAsync(client);
        gitHub.Device(start.GetProperty("user_code").GetString()!).Deny();

        factory.Time.Advance(TimeSpan.FromSeconds(5));
        await AssertErrorAsync(client, start.GetProperty("device_code").GetString()!, "access_denied");
    }

    [Fact]
    public async Task Poll_WhenGitHubSaysExpired_ReturnsExpiredToken()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings) { UseFakeTime = true };
        var client = factory.CreateClient();
        var start = await StartAsync(client);
        gitHub.Device(start.GetProperty("user_code").GetString()!).Expire();

        factory.Time.Advance(TimeSpan.FromSeconds(5));
        await AssertErrorAsync(client, start.GetProperty("device_code").GetString()!, "expired_token");
    }

    [Fact]
    public async Task Poll_AfterExpiresIn_ReturnsExpiredToken_WithoutAskingGitHub()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings) { UseFakeTime = true };
        var client = factory.CreateClient();
        var start = await StartAsync(client);

        factory.Time.Advance(TimeSpan.FromSeconds(FakeGitHub.DeviceExpiresIn + 1));
        await AssertErrorAsync(client, start.GetProperty("device_code").GetString()!, "expired_token");
        await AssertErrorAsync(client, "never-issued", "expired_token");
        Assert.Equal(0, gitHub.DeviceTokenRequests);
    }

    [Fact]
    public async Task Poll_WithoutDeviceCode_Answers400WithFieldError()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings);
        var response = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/device/poll", new { }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty("device_code", out _));
    }

    private static async Task<JsonElement> StartAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/v1/auth/device/start", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    private static async Task<JsonElement> AssertErrorAsync(HttpClient client, string deviceCode, string error)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/device/poll", new { device_code = deviceCode }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(error, problem.GetProperty("error").GetString());
        return problem;
    }
}
