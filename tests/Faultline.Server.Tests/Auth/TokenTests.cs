using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Faultline.Core.Identifiers;
using Faultline.Server.Monitoring;
using Faultline.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Faultline.Server.Tests.Auth;

/// <summary>Access and refresh tokens: lifetimes, rotation, theft detection, revocation, and what is refused.</summary>
public sealed class TokenTests(TestPostgres postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Refresh_RotatesPair_OldAccessAndRefreshStopWorking()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString) { UseFakeTime = true };
        var account = await TestAccounts.SignInAsync(factory);
        var client = factory.CreateClient();

        var pair = await RefreshAsync(client, account.RefreshToken);
        Assert.NotEqual(account.AccessToken, pair.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, pair.GetProperty("access_token").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, account.AccessToken));
    }

    [Fact]
    public async Task Refresh_WithRotatedToken_RevokesWholeSession()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString) { UseFakeTime = true };
        var account = await TestAccounts.SignInAsync(factory);
        var client = factory.CreateClient();
        var legitimate = await RefreshAsync(client, account.RefreshToken);

        // An attacker replays the stolen, already-rotated refresh token.
        var replay = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = account.RefreshToken }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await replay.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("error").GetString());

        // Both parties are out: the current access token and the current refresh token are dead.
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, legitimate.GetProperty("access_token").GetString()));
        var next = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = legitimate.GetProperty("refresh_token").GetString() }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, next.StatusCode);
    }

    [Fact]
    public async Task AccessToken_AfterOneHour_Is401_ButRefreshStillWorksWithin30Days()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString) { UseFakeTime = true };
        var account = await TestAccounts.SignInAsync(factory);
        var client = factory.CreateClient();

        factory.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, account.AccessToken));
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, account.AccessToken));

        factory.Time.Advance(TimeSpan.FromDays(29));
        var pair = await RefreshAsync(client, account.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, pair.GetProperty("access_token").GetString()));

        factory.Time.Advance(TimeSpan.FromDays(30));
        var expired = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = pair.GetProperty("refresh_token").GetString() }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
    }

    [Fact]
    public async Task Revoke_EndsSession_ForAccessAndRefresh()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var account = await TestAccounts.SignInAsync(factory);
        var client = account.CreateClient(factory);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/v1/auth/revoke", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, account.AccessToken));
        var refresh = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = account.RefreshToken }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
    }

    public static TheoryData<string> RejectedBearers => new()
    {
        SecretToken.Generate(SecretToken.AccessTokenPrefix),          // well formed, never issued
        SecretToken.Generate(SecretToken.AccessTokenPrefix)[..^1] + "x", // bad checksum
        "fl_at_short",
        "not-a-token",
        SecretToken.Generate(SecretToken.IngestKeyPrefix),             // an ingest key is not a session token
    };

    [Theory]
    [MemberData(nameof(RejectedBearers))]
    public async Task ProtectedRoute_WithRejectedBearer_Answers401Problem(string bearer)
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var response = await SendMeAsync(factory.CreateClient(), bearer);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task ProjectIngestKeyAndRefreshToken_AsBearer_Answer401()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var account = await TestAccounts.SignInAsync(factory);
        var project = await TestData.CreateProjectAsync(postgres.ConnectionString, account.UserId);
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, project.IngestKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, account.RefreshToken));
        var wrongType = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = account.AccessToken }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
    }

    [Fact]
    public async Task RejectedTokens_AreCountedByKind_AndLoggedWithoutTheSecret()
    {
        var logs = new CapturingLoggerProvider();
        await using var baseFactory = new FaultlineFactory(postgres.ConnectionString);
        await using var factory = baseFactory.WithWebHostBuilder(web => web.ConfigureLogging(logging => logging.AddProvider(logs)));
        var counted = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == FaultlineMetrics.MeterName && instrument.Name == "faultline_auth_failures")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                lock (counted)
                {
                    counted.Add((string)tag.Value!);
                }
            }
        });
        listener.Start();

        var client = factory.CreateClient();
        var secret = SecretToken.Generate(SecretToken.AccessTokenPrefix);
        await MeAsync(client, secret);
        await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = SecretToken.Generate(SecretToken.RefreshTokenPrefix) }, Cancel);

        lock (counted)
        {
            Assert.Contains("access_token", counted);
            Assert.Contains("refresh_token", counted);
        }

        var rejected = logs.Messages.Where(m => m.StartsWith("Rejected ", StringComparison.Ordinal)).ToList();
        Assert.Contains(rejected, m => m.StartsWith("Rejected access_token", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(secret[6..], StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
    {
        private readonly List<string> messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (messages)
                {
                    return [.. messages];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (messages)
            {
                messages.Add(formatter(state, exception) + exception);
            }
        }

        public void Dispose()
        {
        }
    }

    private static async Task<JsonElement> RefreshAsync(HttpClient client, string? refreshToken)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = refreshToken }, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    private static async Task<HttpStatusCode> MeAsync(HttpClient client, string? accessToken) => (await SendMeAsync(client, accessToken!)).StatusCode;

    private static Task<HttpResponseMessage> SendMeAsync(HttpClient client, string bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client.SendAsync(request, Cancel);
    }
}
