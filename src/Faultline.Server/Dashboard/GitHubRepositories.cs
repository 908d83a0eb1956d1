using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Faultline.Server.Auth;
using Microsoft.Extensions.Options;

namespace Faultline.Server.Dashboard;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GitHubRepository[]))]
internal sealed partial class GitHubRepositoriesJsonContext : JsonSerializerContext;

/// <summary>
/// "New project"'s list: the repositories the signed-in user may push to, from GitHub's
/// <c>/user/repos</c> with the user's own GitHub token (kept encrypted with the session), most
/// recently pushed first. One page of 100: enough to pick from, and the box below takes any name.
/// </summary>
internal sealed class GitHubRepositories(HttpClient http, IOptions<GitHubOptions> options, SessionStore sessions)
{
    public const int PageSize = 100;

    /// <summary>The full names, or null when there is no GitHub to ask (local mode, or no token in this session).</summary>
    public async Task<IReadOnlyList<string>?> ListPushableAsync(HttpContext context, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured || AuthPrincipal.SessionId(context.User) is not { } sessionId
            || await sessions.GetGitHubTokenAsync(sessionId, user.Id, cancellationToken) is not { } token)
        {
            return null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get,
            options.Value.Api($"/user/repos?per_page={PageSize}&sort=pushed&affiliation=owner,collaborator,organization_member"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var repositories = await response.Content.ReadFromJsonAsync(GitHubRepositoriesJsonContext.Default.GitHubRepositoryArray, cancellationToken) ?? [];
        return [.. repositories.Where(r => r.Permissions is { Push: true } or { Admin: true }).Select(r => r.FullName)];
    }
}
