using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faultline.Testing;

/// <summary>A GitHub account in <see cref="FakeGitHub"/>. Ids are unique across the test run and never collide with real ones' shape in tests.</summary>
public sealed class FakeGitHubUser(long id, string login)
{
    public long Id { get; } = id;

    /// <summary>Mutable: GitHub lets people rename themselves (and someone else may take the old name).</summary>
    public string Login { get; set; } = login;

    /// <summary>The public e-mail on /user; null like most accounts.</summary>
    public string? Email { get; set; }

    /// <summary>The primary verified address on /user/emails.</summary>
    public string? PrimaryEmail { get; set; }

    public string AvatarUrl { get; set; } = $"https://avatars.example.test/u/{id}";

    internal ConcurrentDictionary<string, (bool Push, bool Admin)> Repositories { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>What the browser asked GitHub's authorize page for (to assert state and PKCE).</summary>
public sealed record FakeAuthorizeRequest(string ClientId, string RedirectUri, string State, string CodeChallenge, string CodeChallengeMethod, string Scope);

/// <summary>A pending device sign-in, scriptable: approve, deny, expire, or answer slow_down once.</summary>
public sealed class FakeDevice(string deviceCode, string userCode)
{
    internal string DeviceCode { get; } = deviceCode;

    public string UserCode { get; } = userCode;

    internal FakeGitHubUser? ApprovedBy { get; private set; }

    internal string Outcome { get; set; } = "authorization_pending";

    public void Approve(FakeGitHubUser user) => (ApprovedBy, Outcome) = (user, "approved");

    public void Deny() => Outcome = "access_denied";

    public void Expire() => Outcome = "expired_token";

    public void SlowDownOnce() => Outcome = "slow_down";
}

/// <summary>
/// GitHub over real HTTP on loopback (Kestrel on 127.0.0.1, an ephemeral port), so Faultline's OAuth
/// handler and GitHub client run unchanged: the OAuth web flow with PKCE, the device flow, and the
/// REST calls Faultline makes (under <c>/api/v3</c>, as GitHub Enterprise serves them). Pass
/// <see cref="Settings"/> to <see cref="FaultlineFactory"/>.
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    public const string ClientId = "fake-client-id";
    public const string ClientSecret = "fake-client-secret";
    public const int DeviceInterval = 5;
    public const int DeviceExpiresIn = 900;

    private static long nextUserId = 20_000_000_000 + (Random.Shared.NextInt64(1_000_000) * 1_000);

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (FakeGitHubUser User, string Challenge, string RedirectUri)> codes = new();
    private readonly ConcurrentDictionary<string, FakeGitHubUser> tokens = new();
    private readonly ConcurrentDictionary<string, FakeDevice> devices = new();
    private int deviceTokenRequests;

    private FakeGitHub(WebApplication app) => this.app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The account the browser is signed in as on github.com (approves the authorize page).</summary>
    public FakeGitHubUser? SignedInUser { get; set; }

    public FakeAuthorizeRequest? LastAuthorize { get; private set; }

    /// <summary>How many device-grant token requests reached this GitHub.</summary>
    public int DeviceTokenRequests => Volatile.Read(ref deviceTokenRequests);

    public string WebUrl => BaseAddress.ToString().TrimEnd('/');

    public string ApiUrl => WebUrl + "/api/v3";

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Faultline:GitHub:ClientId"] = ClientId,
        ["Faultline:GitHub:ClientSecret"] = ClientSecret,
        ["Faultline:GitHub:WebUrl"] = WebUrl,
        ["Faultline:GitHub:ApiUrl"] = ApiUrl,
    };

    public static async Task<FakeGitHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "FakeGitHub" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        var fake = new FakeGitHub(builder.Build());
        fake.Map();
        await fake.app.StartAsync();
        var address = fake.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = new Uri(address + "/");
        return fake;
    }

    public FakeGitHubUser AddUser(string? login = null, string? email = null)
    {
        var id = Interlocked.Increment(ref nextUserId);
        return new FakeGitHubUser(id, login ?? $"octo{id}") { Email = email };
    }

    /// <summary>Gives <paramref name="user"/> rights on <paramref name="repository"/> (owner/name, case-insensitive).</summary>
    public void Grant(FakeGitHubUser user, string repository, bool push = true, bool admin = false) => user.Repositories[repository] = (push, admin);

    /// <summary>The device sign-in a user would complete by typing <paramref name="userCode"/> at GitHub.</summary>
    public FakeDevice Device(string userCode) => devices.Values.Single(d => d.UserCode == userCode);

    /// <summary>A GitHub token for <paramref name="user"/>, as if it had signed in.</summary>
    public string IssueToken(FakeGitHubUser user)
    {
        var token = "gho_" + RandomNumberGenerator.GetHexString(36, lowercase: true);
        tokens[token] = user;
        return token;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private void Map()
    {
        app.MapGet("/login/oauth/authorize", Authorize);
        app.MapPost("/login/oauth/access_token", AccessTokenAsync);
        app.MapPost("/login/device/code", DeviceCodeAsync);
        app.MapGet("/api/v3/user", (HttpContext context) => WithUser(context, user =>
            Results.Json(new { id = user.Id, login = user.Login, email = user.Email, avatar_url = user.AvatarUrl })));
        app.MapGet("/api/v3/user/emails", (HttpContext context) => WithUser(context, user =>
            Results.Json(user.PrimaryEmail is { } primary ? new[] { new { email = primary, primary = true, verified = true } } : [])));
        app.MapGet("/api/v3/repos/{owner}/{repo}", (HttpContext context, string owner, string repo) => WithUser(context, user =>
            user.Repositories.TryGetValue($"{owner}/{repo}", out var rights)
                ? Results.Json(Repository($"{owner}/{repo}", rights))
                : Results.Json(new { message = "Not Found" }, statusCode: 404)));
        app.MapGet("/api/v3/user/repos", (HttpContext context) => WithUser(context, user =>
            Results.Json(user.Repositories.Select(r => Repository(r.Key, r.Value)).ToArray())));
    }

    private static object Repository(string fullName, (bool Push, bool Admin) rights) =>
        new { full_name = fullName, permissions = new { admin = rights.Admin, push = rights.Push, pull = true } };

    private IResult Authorize(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["client_id"] != ClientId)
        {
            return Results.BadRequest("unknown client_id");
        }

        if (SignedInUser is not { } user)
        {
            return Results.Unauthorized();
        }

        var request = new FakeAuthorizeRequest(query["client_id"]!, query["redirect_uri"]!, query["state"]!, query["code_challenge"]!, query["code_challenge_method"]!, query["scope"]!);
        LastAuthorize = request;
        if (request.CodeChallengeMethod != "S256" || string.IsNullOrEmpty(request.CodeChallenge) || string.IsNullOrEmpty(request.State))
        {
            return Results.BadRequest("PKCE S256 and state are required");
        }

        var code = RandomNumberGenerator.GetHexString(20, lowercase: true);
        codes[code] = (user, request.CodeChallenge, request.RedirectUri);
        return Results.Redirect(QueryHelpers.AddQueryString(request.RedirectUri, new Dictionary<string, string?> { ["code"] = code, ["state"] = request.State }));
    }

    private async Task<IResult> AccessTokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId)
        {
            return Results.Json(new { error = "incorrect_client_credentials" });
        }

        if (form["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code")
        {
            Interlocked.Increment(ref deviceTokenRequests);
            return DeviceToken(form["device_code"].ToString());
        }

        if (form["client_secret"] != ClientSecret)
        {
            return Results.Json(new { error = "incorrect_client_credentials" });
        }

        if (!codes.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"]
            || Base64UrlTextEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
        {
            return Results.Json(new { error = "bad_verification_code" });
        }

        return Results.Json(new { access_token = IssueToken(grant.User), token_type = "bearer", scope = "read:user,user:email,repo" });
    }

    private async Task<IResult> DeviceCodeAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId)
        {
            return Results.Json(new { error = "incorrect_client_credentials" }, statusCode: 401);
        }

        var device = new FakeDevice(RandomNumberGenerator.GetHexString(40, lowercase: true), RandomNumberGenerator.GetString("BCDFGHJKLMNPQRSTVWXZ", 4) + "-" + RandomNumberGenerator.GetString("0123456789", 4));
        devices[device.DeviceCode] = device;
        return Results.Json(new
        {
            device_code = device.DeviceCode,
            user_code = device.UserCode,
            verification_uri = WebUrl + "/login/device",
            expires_in = DeviceExpiresIn,
            interval = DeviceInterval,
        });
    }

    private IResult DeviceToken(string deviceCode)
    {
        if (!devices.TryGetValue(deviceCode, out var device))
        {
            return Results.Json(new { error = "incorrect_device_code" });
        }

        switch (device.Outcome)
        {
            case "approved":
                devices.TryRemove(deviceCode, out _);
                return Results.Json(new { access_token = IssueToken(device.ApprovedBy!), token_type = "bearer", scope = "read:user,user:email,repo" });
            case "slow_down":
                device.Outcome = "authorization_pending";
                return Results.Json(new { error = "slow_down", interval = DeviceInterval + 5 });
            default:
                return Results.Json(new { error = device.Outcome });
        }
    }

    private IResult WithUser(HttpContext context, Func<FakeGitHubUser, IResult> respond)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.StartsWith("token ", StringComparison.OrdinalIgnoreCase)
            ? header[(header.IndexOf(' ', StringComparison.Ordinal) + 1)..]
            : string.Empty;
        return tokens.TryGetValue(token, out var user) ? respond(user) : Results.Json(new { message = "Bad credentials" }, statusCode: 401);
    }
}
