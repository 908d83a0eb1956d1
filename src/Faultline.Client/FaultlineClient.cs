using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Faultline.Contracts;

namespace Faultline.Client;

/// <summary>
/// Typed access to the whole API.md surface the CLI and the language server use. Errors arrive as
/// <see cref="FaultlineApiException"/> (with the problem+json body), <see cref="ServerUnreachableException"/>
/// (naming the URL tried) or <see cref="NotSignedInException"/>. Signed-in calls refresh an expired
/// session silently, and retry once after a 401 with a refreshed token.
/// </summary>
internal sealed class FaultlineClient : IDisposable
{
    private static readonly IncidentsJsonContext IncidentsJson = IncidentsJsonContext.Default;
    private static readonly ClientJsonContext ClientJson = ClientJsonContext.Default;

    /// <summary>The largest <c>limit</c> the lists accept (API.md).</summary>
    public const int MaxPageSize = 200;

    private readonly HttpClient http;
    private readonly IAccessTokenSource? tokens;

    public FaultlineClient(Uri server, IAccessTokenSource? tokens = null, HttpMessageHandler? handler = null, TimeSpan? timeout = null)
    {
        Server = server;
        this.tokens = tokens;
        http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = new Uri(ServerAddress.Format(server) + "/"),
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("faultline-client", typeof(FaultlineClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    public Uri Server { get; }

    // Authentication (anonymous).
    public Task<AuthConfig> GetAuthConfigAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "api/v1/auth/config", null, ClientJson.AuthConfig, authenticated: false, cancellationToken);

    public Task<DeviceStartResponse> StartDeviceAuthorizationAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/v1/auth/device/start", null, ClientJson.DeviceStartResponse, authenticated: false, cancellationToken);

    /// <summary>One poll: the tokens when the user has approved, else the RFC 8628 error (<c>authorization_pending</c>, <c>slow_down</c>, …).</summary>
    public async Task<DevicePollResult> PollDeviceAuthorizationAsync(string deviceCode, CancellationToken cancellationToken)
    {
        try
        {
            var body = JsonContent.Create(new DevicePollRequest(deviceCode), ClientJson.DevicePollRequest);
            return new DevicePollResult(await SendAsync(HttpMethod.Post, "api/v1/auth/device/poll", body, ClientJson.TokenResponse, authenticated: false, cancellationToken), null);
        }
        catch (FaultlineApiException exception) when (exception.Status == 400 && exception.Problem.Error is { } error)
        {
            return new DevicePollResult(null, error);
        }
    }

    public Task<TokenResponse> SignInLocalAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/v1/auth/local", null, ClientJson.TokenResponse, authenticated: false, cancellationToken);

    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/v1/auth/refresh", JsonContent.Create(new RefreshRequest(refreshToken), ClientJson.RefreshRequest),
            ClientJson.TokenResponse, authenticated: false, cancellationToken);

    // Signed in.
    public Task RevokeAsync(CancellationToken cancellationToken) =>
        SendAsync<object>(HttpMethod.Post, "api/v1/auth/revoke", null, null, authenticated: true, cancellationToken);

    public Task<UserResponse> GetMeAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "api/v1/me", null, ClientJson.UserResponse, authenticated: true, cancellationToken);

    public Task<ProjectList> ListProjectsAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "api/v1/projects", null, ClientJson.ProjectList, authenticated: true, cancellationToken);

    public Task<ProjectResponse> CreateProjectAsync(string repositoryFullName, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/v1/projects", JsonContent.Create(new CreateProjectRequest(repositoryFullName), ClientJson.CreateProjectRequest),
            ClientJson.ProjectResponse, authenticated: true, cancellationToken);

    public Task<ProjectResponse> GetProjectAsync(string projectId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/v1/projects/{Uri.EscapeDataString(projectId)}", null, ClientJson.ProjectResponse, authenticated: true, cancellationToken);

    /// <summary>A page of the repository's incidents; with <paramref name="ifNoneMatch"/>, "not modified" when nothing changed.</summary>
    public Task<Conditional<IncidentPage>> ListIncidentsAsync(string repository, IncidentQuery query, string? ifNoneMatch, CancellationToken cancellationToken) =>
        SendConditionalAsync($"{RepositoryPath(repository)}/incidents{query.ToQueryString()}", ifNoneMatch, IncidentsJson.IncidentPage, cancellationToken);

    /// <summary>A page of the repository's incident groups; with <paramref name="ifNoneMatch"/>, "not modified" when nothing changed.</summary>
    public Task<Conditional<IncidentGroupPage>> ListIncidentGroupsAsync(string repository, IncidentQuery query, string? ifNoneMatch, CancellationToken cancellationToken) =>
        SendConditionalAsync($"{RepositoryPath(repository)}/incident-groups{query.ToQueryString()}", ifNoneMatch, IncidentsJson.IncidentGroupPage, cancellationToken);

    /// <summary>
    /// Every group with <paramref name="status"/>, all pages (the largest page size the server allows).
    /// With <paramref name="ifNoneMatch"/> (the ETag this returned before), "not modified" when the first
    /// page is unchanged: groups are listed most recently seen first, so any new occurrence changes it.
    /// </summary>
    public async Task<Conditional<IReadOnlyList<IncidentGroup>>> ListAllIncidentGroupsAsync(
        string repository, string status, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var query = new IncidentQuery(Status: status, Limit: MaxPageSize);
        var first = await ListIncidentGroupsAsync(repository, query, ifNoneMatch, cancellationToken);
        if (first.Value is not { } page)
        {
            return new Conditional<IReadOnlyList<IncidentGroup>>(null, first.ETag);
        }

        var groups = new List<IncidentGroup>(page.Groups);
        while (page.NextCursor is { } cursor)
        {
            page = (await ListIncidentGroupsAsync(repository, query with { Cursor = cursor }, null, cancellationToken)).Value!;
            groups.AddRange(page.Groups);
        }

        return new Conditional<IReadOnlyList<IncidentGroup>>(groups, first.ETag);
    }

    public Task<Incident> GetIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/v1/incidents/{Uri.EscapeDataString(incidentId)}", null, IncidentsJson.Incident, authenticated: true, cancellationToken);

    public Task<Incident> ResolveIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/v1/incidents/{Uri.EscapeDataString(incidentId)}/resolve", null, IncidentsJson.Incident, authenticated: true, cancellationToken);

    public Task<Incident> ReopenIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/v1/incidents/{Uri.EscapeDataString(incidentId)}/reopen", null, IncidentsJson.Incident, authenticated: true, cancellationToken);

    public Task<IncidentGroupResolved> ResolveIncidentGroupAsync(string repository, string fingerprint, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{RepositoryPath(repository)}/incident-groups/{Uri.EscapeDataString(fingerprint)}/resolve", null,
            IncidentsJson.IncidentGroupResolved, authenticated: true, cancellationToken);

    public void Dispose() => http.Dispose();

    private static string RepositoryPath(string repository) =>
        repository.Split('/') is [var owner, var name] && owner.Length > 0 && name.Length > 0
            ? $"api/v1/repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}"
            : throw new ArgumentException($"'{repository}' is not a repository name like owner/name.", nameof(repository));

    private async Task<Conditional<T>> SendConditionalAsync<T>(string path, string? ifNoneMatch, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await SendCoreAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (ifNoneMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            }

            return request;
        }, authenticated: true, cancellationToken);
        var etag = response.Headers.ETag?.ToString();
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new Conditional<T>(null, etag ?? ifNoneMatch);
        }

        return new Conditional<T>(await ReadAsync(response, typeInfo, cancellationToken), etag);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? body, JsonTypeInfo<T>? typeInfo, bool authenticated, CancellationToken cancellationToken)
    {
        var content = body is null ? null : await body.ReadAsByteArrayAsync(cancellationToken);
        var contentType = body?.Headers.ContentType;
        using var response = await SendCoreAsync(() =>
        {
            var request = new HttpRequestMessage(method, path);
            if (content is not null)
            {
                request.Content = new ByteArrayContent(content);
                request.Content.Headers.ContentType = contentType;
            }

            return request;
        }, authenticated, cancellationToken);
        return typeInfo is null ? default! : await ReadAsync(response, typeInfo, cancellationToken);
    }

    /// <summary>Sends, mapping transport failures and error statuses; after a 401, refreshes once and sends again.</summary>
    private async Task<HttpResponseMessage> SendCoreAsync(Func<HttpRequestMessage> createRequest, bool authenticated, CancellationToken cancellationToken)
    {
        var token = authenticated ? await TokensOrThrow().GetAsync(this, cancellationToken) : null;
        var response = await TransmitAsync(createRequest(), token, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized && token is not null)
        {
            response.Dispose();
            token = await TokensOrThrow().RefreshAsync(this, token, cancellationToken)
                ?? throw new NotSignedInException(Server, "the server rejected the saved session");
            response = await TransmitAsync(createRequest(), token, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                response.Dispose();
                throw new NotSignedInException(Server, "the server rejected the session");
            }
        }

        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return response;
        }

        using (response)
        {
            throw new FaultlineApiException((int)response.StatusCode, await ReadProblemAsync(response, cancellationToken));
        }
    }

    private IAccessTokenSource TokensOrThrow() => tokens ?? throw new NotSignedInException(Server);

    private async Task<HttpResponseMessage> TransmitAsync(HttpRequestMessage request, string? token, CancellationToken cancellationToken)
    {
        using (request)
        {
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            try
            {
                return await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException exception) when (exception.StatusCode is null)
            {
                throw new ServerUnreachableException(Server, Describe(exception), exception);
            }
            catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ServerUnreachableException(Server, $"no answer within {http.Timeout.TotalSeconds:0} s", exception);
            }
        }
    }

    private static string Describe(HttpRequestException exception) => exception.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } => "unknown host",
        SocketException socket => socket.Message,
        { } inner => inner.Message,
        null => exception.Message,
    };

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken)
                ?? throw new FaultlineApiException((int)response.StatusCode, new Problem(null, "Empty response", (int)response.StatusCode, $"{Server} answered with an empty body."));
        }
        catch (JsonException exception)
        {
            throw new FaultlineApiException((int)response.StatusCode, new Problem(null, "Unexpected response", (int)response.StatusCode,
                $"{Server} did not answer as a Faultline server would ({exception.Message})."));
        }
    }

    private static async Task<Problem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType is { } mediaType && mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                if (JsonSerializer.Deserialize(text, ClientJson.Problem) is { } problem)
                {
                    return problem with { Status = problem.Status ?? status };
                }
            }
            catch (JsonException)
            {
                // Not a problem document after all: described from the status below.
            }
        }

        var detail = text.Length > 200 ? new StringBuilder(text, 0, 200, 203).Append("...").ToString() : text;
        return new Problem(null, response.ReasonPhrase, status, string.IsNullOrWhiteSpace(detail) ? null : detail);
    }
}

/// <summary>A poll of the device flow: <see cref="Tokens"/> when approved, else <see cref="Error"/> (RFC 8628 name).</summary>
internal sealed record DevicePollResult(TokenResponse? Tokens, string? Error);

/// <summary>A conditional GET's answer: <see cref="NotModified"/> when the server said 304 to the ETag sent.</summary>
internal sealed record Conditional<T>(T? Value, string? ETag)
    where T : class
{
    public bool NotModified => Value is null;
}

/// <summary>The filters of both incident lists, as API.md names them.</summary>
internal sealed record IncidentQuery(
    string? Status = null, string? Environment = null, string? CommitSha = null, string? FilePath = null,
    DateTimeOffset? Since = null, int? Limit = null, string? Cursor = null)
{
    public string ToQueryString()
    {
        var parts = new List<string>();
        Add("status", Status);
        Add("environment", Environment);
        Add("commit_sha", CommitSha);
        Add("file_path", FilePath);
        Add("since", Since?.UtcDateTime.ToString(UtcTimestampConverter.Format, System.Globalization.CultureInfo.InvariantCulture));
        Add("limit", Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("cursor", Cursor);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);

        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
    }
}
