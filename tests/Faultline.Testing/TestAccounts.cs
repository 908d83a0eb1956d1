using System.Net.Http.Headers;
using Faultline.Server.Auth;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Faultline.Testing;

/// <summary>A signed-in user: <c>users.id</c>, login, and a real token pair from the server's own session code.</summary>
public sealed record TestAccount(Guid UserId, string Login, string AccessToken, string RefreshToken)
{
    /// <summary><c>var (userId, accessToken) = await TestAccounts.SignInAsync(factory);</c></summary>
    public void Deconstruct(out Guid userId, out string accessToken) => (userId, accessToken) = (UserId, AccessToken);

    /// <summary>A client of <paramref name="factory"/> that sends <c>Authorization: Bearer {AccessToken}</c>.</summary>
    public HttpClient CreateClient(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        return client;
    }
}

/// <summary>
/// Signs in distinct users without GitHub, for any test that calls the API as someone:
/// <code>
/// await using var factory = new FaultlineFactory(postgres.ConnectionString);
/// var alice = await TestAccounts.SignInAsync(factory);            // a new user each call
/// using var client = alice.CreateClient(factory);                 // Authorization: Bearer fl_at_…
/// var project = await TestData.CreateProjectAsync(postgres.ConnectionString, alice.UserId);
/// </code>
/// The user is created (a fresh GitHub id, never shared with another test) and its session is made by
/// the server's real <c>SessionStore</c>, so the tokens are checked exactly like the CLI's: the access
/// token lives 1 hour on the factory's clock (<c>factory.Time</c> with <c>UseFakeTime</c>), the refresh
/// token 30 days. Pass <c>gitHubToken</c> (e.g. <see cref="FakeGitHub.IssueToken"/>) when
/// the test needs calls to GitHub on the user's behalf, such as the push-rights check.
/// </summary>
public static class TestAccounts
{
    private static long nextGitHubId = 10_000_000_000 + (Random.Shared.NextInt64(1_000_000) * 1_000);

    public static async Task<TestAccount> SignInAsync(WebApplicationFactory<Program> factory, string? login = null, string? gitHubToken = null)
    {
        var githubId = Interlocked.Increment(ref nextGitHubId);
        login ??= $"tester{githubId}";
        var services = factory.Services;
        var userId = await services.GetRequiredService<UserStore>().UpsertAsync(new GitHubUser(githubId, login, $"{login}@example.test", null), CancellationToken.None);
        var tokens = await services.GetRequiredService<SessionStore>().CreateAsync(userId, SessionKind.Device, gitHubToken, CancellationToken.None);
        return new TestAccount(userId, login, tokens.AccessToken, tokens.RefreshToken);
    }

    /// <summary>Signs in as <paramref name="user"/> of <paramref name="gitHub"/>, holding a GitHub token for it.</summary>
    public static async Task<TestAccount> SignInAsync(WebApplicationFactory<Program> factory, FakeGitHub gitHub, FakeGitHubUser user)
    {
        var services = factory.Services;
        var gitHubToken = gitHub.IssueToken(user);
        var userId = await services.GetRequiredService<UserStore>().UpsertAsync(new GitHubUser(user.Id, user.Login, user.Email, user.AvatarUrl), CancellationToken.None);
        var tokens = await services.GetRequiredService<SessionStore>().CreateAsync(userId, SessionKind.Device, gitHubToken, CancellationToken.None);
        return new TestAccount(userId, user.Login, tokens.AccessToken, tokens.RefreshToken);
    }
}
