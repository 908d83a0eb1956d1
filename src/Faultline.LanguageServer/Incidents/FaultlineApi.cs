using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Faultline.LanguageServer.Incidents;

internal enum ApiStatus
{
    Ok,
    NotModified,
    Unauthorized,
    NotFound,
    Unavailable,
}

internal sealed record ApiResult<T>(ApiStatus Status, T? Value = default, string? ETag = null, string? Detail = null);

/// <summary>
/// The few incident endpoints the language server calls (API.md "Incidents", "Authentication").
/// Kept here until the shared typed client in Faultline.Client offers them.
/// </summary>
internal sealed class FaultlineApi(HttpClient http)
{
    private const int PageSize = 200;

    /// <summary>The repository's open incident groups, every page; a matching <paramref name="etag"/> gives <see cref="ApiStatus.NotModified"/>.</summary>
    public async Task<ApiResult<IReadOnlyList<IncidentGroup>>> GetOpenGroupsAsync(
        Uri server, string token, string owner, string name, string? etag, CancellationToken cancellationToken)
    {
        var path = $"api/v1/repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/incident-groups?status=open&limit={PageSize}";
        var rows = new List<IncidentGroup>();
        string? firstETag = null;
        string? cursor = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, cursor is null ? path : $"{path}&cursor={Uri.EscapeDataString(cursor)}"));
            Authorize(request, token);
            if (cursor is null && etag is not null)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }

            var (status, page, detail, responseETag) = await SendAsync<IncidentGroupPage>(request, cancellationToken);
            if (status != ApiStatus.Ok)
            {
                return new ApiResult<IReadOnlyList<IncidentGroup>>(status, Detail: detail);
            }

            firstETag ??= responseETag;
            rows.AddRange(page!.Rows);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return new ApiResult<IReadOnlyList<IncidentGroup>>(ApiStatus.Ok, rows, firstETag);
    }

    public async Task<ApiResult<Incident>> GetIncidentAsync(Uri server, string token, string incidentId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, $"api/v1/incidents/{Uri.EscapeDataString(incidentId)}"));
        Authorize(request, token);
        var (status, incident, detail, _) = await SendAsync<Incident>(request, cancellationToken);
        return new ApiResult<Incident>(status, incident, Detail: detail);
    }

    public async Task<ApiResult<ResolveResult>> ResolveGroupAsync(
        Uri server, string token, string owner, string name, string fingerprint, CancellationToken cancellationToken)
    {
        var path = $"api/v1/repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/incident-groups/{Uri.EscapeDataString(fingerprint)}/resolve";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path));
        Authorize(request, token);
        var (status, result, detail, _) = await SendAsync<ResolveResult>(request, cancellationToken);
        return new ApiResult<ResolveResult>(status, result, Detail: detail);
    }

    /// <summary><c>POST /api/v1/auth/refresh</c>: a new pair; <see cref="ApiStatus.Unauthorized"/> when the refresh token is no longer good.</summary>
    public async Task<ApiResult<TokenPair>> RefreshAsync(Uri server, string refreshToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "api/v1/auth/refresh"))
        {
            Content = JsonContent.Create(new RefreshRequest(refreshToken), options: IncidentJson.Options),
        };
        var (status, tokens, detail, _) = await SendAsync<TokenPair>(request, cancellationToken, badRequestIsUnauthorized: true);
        return new ApiResult<TokenPair>(status, tokens, Detail: detail);
    }

    private static void Authorize(HttpRequestMessage request, string token) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

    private async Task<(ApiStatus Status, T? Value, string? Detail, string? ETag)> SendAsync<T>(
        HttpRequestMessage request, CancellationToken cancellationToken, bool badRequestIsUnauthorized = false)
    {
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var etag = response.Headers.ETag?.ToString();
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotModified:
                    return (ApiStatus.NotModified, default, null, etag);
                case HttpStatusCode.Unauthorized:
                case HttpStatusCode.BadRequest when badRequestIsUnauthorized:
                    return (ApiStatus.Unauthorized, default, $"{(int)response.StatusCode}", etag);
                case HttpStatusCode.NotFound:
                    return (ApiStatus.NotFound, default, "404", etag);
            }

            if (!response.IsSuccessStatusCode)
            {
                return (ApiStatus.Unavailable, default, $"HTTP {(int)response.StatusCode}", etag);
            }

            var value = await response.Content.ReadFromJsonAsync<T>(IncidentJson.Options, cancellationToken);
            return (ApiStatus.Ok, value, null, etag);
        }
        catch (HttpRequestException exception)
        {
            return (ApiStatus.Unavailable, default, exception.Message, null);
        }
        catch (JsonException exception)
        {
            return (ApiStatus.Unavailable, default, "unexpected response: " + exception.Message, null);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (ApiStatus.Unavailable, default, "timed out: " + exception.Message, null);
        }
    }

    private sealed record RefreshRequest(string RefreshToken);

    private sealed record IncidentGroupPage(
        IReadOnlyList<IncidentGroup>? IncidentGroups,
        IReadOnlyList<IncidentGroup>? Groups,
        string? NextCursor)
    {
        public IReadOnlyList<IncidentGroup> Rows => IncidentGroups ?? Groups ?? [];
    }
}

internal sealed record ResolveResult(int Resolved);
