using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faultline.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace Faultline.Server.Tests.Auth;

/// <summary>The dashboard's GitHub sign-in, end to end against the fake GitHub over real HTTP.</summary>
public sealed class BrowserSignInTests(TestPostgres postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GitHubLogin_FullFlow_SetsHttpOnlyLaxSecureCookie_AndReturnsToLocalUrl()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings);
        var octocat = gitHub.AddUser();
        octocat.PrimaryEmail = $"{octocat.Login}@users.example.test";
        gitHub.SignedInUser = octocat;
        var browser = Browser(factory);

        var cookie = await SignInAsync(browser, gitHub, "/projects?tab=keys");

        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("gho_", cookie, StringComparison.Ordinal);
        var authorize = gitHub.LastAuthorize!;
        Assert.Equal(FakeGitHub.ClientId, authorize.ClientId);
        Assert.Equal("S256", authorize.CodeChallengeMethod);
        Assert.Equal(43, authorize.CodeChallenge.Length);
        Assert.Equal("read:user user:email repo", authorize.Scope);
        Assert.Equal("https://localhost/auth/github/callback", authorize.RedirectUri);

        var me = await browser.GetFromJsonAsync<JsonElement>("/api/v1/me", Cancel);
        Assert.Equal(octocat.Login, me.GetProperty("github_login").GetString());
        Assert.Equal(octocat.Id, me.GetProperty("github_id").GetInt64());
        Assert.Equal(octocat.PrimaryEmail, me.GetProperty("github_email").GetString()); // /user has none: from /user/emails
    }

    [Fact]
    public async Task GitHubLogin_WithForeignReturnUrl_ReturnsToRoot()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings);
        gitHub.SignedInUser = gitHub.AddUser();
        var browser = Browser(factory);

        var (_, location) = await CompleteFlowAsync(browser, "//evil.example/phish");
        Assert.Equal("/", location);
    }

    [Fact]
    public async Task Callback_WithTamperedState_Answers400_AndSetsNoSession()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings);
        gitHub.SignedInUser = gitHub.AddUser();
        var browser = Browser(factory);

        var login = await browser.GetAsync("/auth/github/login", Cancel);
        using var direct = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var callback = (await direct.GetAsync(login.Headers.Location, Cancel)).Headers.Location!;
        var query = QueryHelpers.ParseQuery(callback.Query);
        var tampered = QueryHelpers.AddQueryString(callback.AbsolutePath, new Dictionary<string, string?> { ["code"] = query["code"], ["state"] = query["state"] + "x" });

        var response = await browser.GetAsync(tampered, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me", Cancel)).StatusCode);
    }

    [Fact]
    public async Task SecondSignIn_AfterRenameOnGitHub_UpdatesLoginOfSameUser_AndOldLoginIsSomeoneElse()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings);
        var original = gitHub.AddUser();
        var oldLogin = original.Login;
        gitHub.SignedInUser = original;
        var first = Browser(factory);
        await SignInAsync(first, gitHub, "/");
        gitHub.Grant(original, $"{oldLogin}/app");
        first.DefaultRequestHeaders.Add("X-CSRF-TOKEN", await AntiforgeryAsync(first));
        var created = await first.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = $"{oldLogin}/app" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        original.Login = oldLogin + "-renamed";
        var again = Browser(factory);
        await SignInAsync(again, gitHub, "/");
        var me = await again.GetFromJsonAsync<JsonElement>("/api/v1/me", Cancel);
        Assert.Equal(original.Login, me.GetProperty("github_login").GetString());
        var projects = await again.GetFromJsonAsync<JsonElement>("/api/v1/projects", Cancel);
        Assert.Equal($"{oldLogin}/app", projects.GetProperty("projects")[0].GetProperty("repo_full_name").GetString());

        // Someone else registers the freed login: a different Faultline user, who owns nothing.
        gitHub.SignedInUser = gitHub.AddUser(oldLogin);
        var squatter = Browser(factory);
        await SignInAsync(squatter, gitHub, "/");
        Assert.Equal(oldLogin, (await squatter.GetFromJsonAsync<JsonElement>("/api/v1/me", Cancel)).GetProperty("github_login").GetString());
        Assert.Equal(0, (await squatter.GetFromJsonAsync<JsonElement>("/api/v1/projects", Cancel)).GetProperty("projects").GetArrayLength());
    }

    [Fact]
    public async Task Logout_NeedsAntiforgeryToken_ThenEndsTheSession()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings);
        gitHub.SignedInUser = gitHub.AddUser();
        var browser = Browser(factory);
        var cookie = await SignInAsync(browser, gitHub, "/");

        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/auth/logout", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me", Cancel)).StatusCode);

        var token = await AntiforgeryAsync(browser);
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        logout.Headers.Add("X-CSRF-TOKEN", token);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SendAsync(logout, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me", Cancel)).StatusCode);

        // The old cookie, replayed (e.g. stolen before logout), is dead too: the session row is revoked.
        var replay = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = new Uri("https://localhost") });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.SendAsync(request, Cancel)).StatusCode);
    }

    [Fact]
    public async Task CookieWrite_WithoutAntiforgeryToken_Answers400()
    {
        await using var gitHub = await FakeGitHub.StartAsync();
        await using var factory = new FaultlineFactory(postgres.ConnectionString, gitHub.Settings);
        gitHub.SignedInUser = gitHub.AddUser();
        var browser = Browser(factory);
        await SignInAsync(browser, gitHub, "/");

        var response = await browser.PostAsJsonAsync("/api/v1/projects", new { repo_full_name = "someone/thing" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    internal static HttpClient Browser(FaultlineFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });

    /// <summary>Runs the whole redirect dance; returns the session cookie's Set-Cookie header.</summary>
    internal static async Task<string> SignInAsync(HttpClient browser, FakeGitHub gitHub, string returnUrl)
    {
        var (cookie, location) = await CompleteFlowAsync(browser, returnUrl);
        Assert.Equal(returnUrl, location);
        Assert.NotNull(gitHub.LastAuthorize);
        return cookie;
    }

    private static async Task<(string Cookie, string Location)> CompleteFlowAsync(HttpClient browser, string returnUrl)
    {
        var login = await browser.GetAsync("/auth/github/login?return_url=" + Uri.EscapeDataString(returnUrl), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var direct = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var approved = await direct.GetAsync(login.Headers.Location, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var callback = approved.Headers.Location!;
        Assert.Equal("/auth/github/callback", callback.AbsolutePath);

        var signedIn = await browser.GetAsync(callback.PathAndQuery, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("faultline_session=", StringComparison.Ordinal));
        return (cookie, signedIn.Headers.Location!.OriginalString);
    }

    /// <summary>The dashboard's antiforgery token for this browser (sets the antiforgery cookie too).</summary>
    internal static async Task<string> AntiforgeryAsync(HttpClient browser)
    {
        var body = await browser.GetFromJsonAsync<JsonElement>("/api/v1/auth/antiforgery", Cancel);
        Assert.Equal("X-CSRF-TOKEN", body.GetProperty("header_name").GetString());
        return body.GetProperty("request_token").GetString()!;
    }
}
