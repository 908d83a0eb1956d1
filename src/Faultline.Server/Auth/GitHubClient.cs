using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Faultline.Server.Auth;

internal sealed record GitHubUser(long Id, string Login, string? Email, string? AvatarUrl);

internal sealed record GitHubEmail(string Email, bool Primary, bool Verified);

internal sealed record GitHubPermissions(bool Admin, bool Push);

internal sealed record GitHubRepository(string FullName, GitHubPermissions? Permissions);

internal sealed record GitHubDeviceCode(string DeviceCode, string UserCode, string VerificationUri, int ExpiresIn, int Interval);

/// <summary>GitHub's token endpoint answers 200 with either a token or an RFC 6749/8628 <c>error</c>.</summary>
internal sealed record GitHubTokenResponse(string? AccessToken, string? Error, int? Interval);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GitHubUser))]
[JsonSerializable(typeof(GitHubEmail[]))]
[JsonSerializable(typeof(GitHubRepository))]
[JsonSerializable(typeof(GitHubDeviceCode))]
[JsonSerializable(typeof(GitHubTokenResponse))]
internal sealed partial class GitHubJsonContext : JsonSerializerContext;

/// <summary>
/// The few GitHub calls Faultline makes, against <see cref="GitHubOptions.WebUrl"/> (OAuth) and
/// <see cref="GitHubOptions.ApiUrl"/> (REST), so GitHub Enterprise works. The user's GitHub token
/// goes only into the Authorization header of these calls.
/// </summary>
internal sealed class GitHubClient(HttpClient http, IOptions<GitHubOptions> options)
{
    public const string DeviceGrantType = "urn:ietf:params:oauth:grant-type:device_code";

    public static readonly string[] Scopes = ["read:user", "user:email", "repo"];

    private GitHubOptions GitHub => options.Value;

    /// <summary>The user behind <paramref name="token"/>; the e-mail from /user/emails when /user has none public.</summary>
    public async Task<GitHubUser> GetUserAsync(string token, CancellationToken cancellationToken)
    {
        var user = await GetAsync(token, "/user", GitHubJsonContext.Default.GitHubUser, cancellationToken)
            ?? throw new HttpRequestException("GitHub did not return the signed-in user.");
        if (string.IsNullOrEmpty(user.Email))
        {
            var emails = await GetAsync(token, "/user/emails", GitHubJsonContext.Default.GitHubEmailArray, cancellationToken) ?? [];
            var email = emails.FirstOrDefault(e => e is { Primary: true, Verified: true }) ?? emails.FirstOrDefault(e => e.Verified);
            user = user with { Email = email?.Email };
        }

        return user;
    }

    /// <summary>True when GitHub says the token's user may push to (or administers) the repository.</summary>
    public async Task<bool> CanPushAsync(string token, string owner, string name, CancellationToken cancellationToken)
    {
        var path = $"/repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}";
        var repository = await GetAsync(token, path, GitHubJsonContext.Default.GitHubRepository, cancellationToken);
        return repository?.Permissions is { } permissions && (permissions.Push || permissions.Admin);
    }

    public async Task<GitHubDeviceCode> StartDeviceFlowAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(GitHub.Web("/login/device/code"), Form(
            ("client_id", GitHub.ClientId!),
            ("scope", string.Join(' ', Scopes))), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(GitHubJsonContext.Default.GitHubDeviceCode, cancellationToken)
            ?? throw new HttpRequestException("GitHub returned no device code.");
    }

    /// <summary>One device-grant token request; the secret goes in the POST body, never a URL.</summary>
    public async Task<GitHubTokenResponse> PollDeviceFlowAsync(string deviceCode, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(GitHub.Web("/login/oauth/access_token"), Form(
            ("client_id", GitHub.ClientId!),
            ("client_secret", GitHub.ClientSecret!),
            ("device_code", deviceCode),
            ("grant_type", DeviceGrantType)), cancellationToken);
        return await response.Content.ReadFromJsonAsync(GitHubJsonContext.Default.GitHubTokenResponse, cancellationToken)
            ?? new GitHubTokenResponse(null, "invalid_response", null);
    }

    private async Task<T?> GetAsync<T>(string token, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, GitHub.Api(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(type, cancellationToken);
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    /// <summary>Headers GitHub requires (a User-Agent) and the JSON answers it should give.</summary>
    public static void Configure(HttpClient client)
    {
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Faultline", "1.0"));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
        client.Timeout = TimeSpan.FromSeconds(15);
    }
}
