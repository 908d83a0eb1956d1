using System.ComponentModel.DataAnnotations;

namespace Faultline.Server.Auth;

/// <summary>
/// <c>Faultline:GitHub</c>: the OAuth app and GitHub's (or GitHub Enterprise's) addresses. No client
/// id means local mode (API.md, "Running the server").
/// </summary>
internal sealed class GitHubOptions : IValidatableObject
{
    public const string Section = "Faultline:GitHub";

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Web base, for OAuth: <c>https://github.com</c> or <c>https://ghe.example.com</c>.</summary>
    public string WebUrl { get; set; } = "https://github.com";

    /// <summary>REST base: <c>https://api.github.com</c> or <c>https://ghe.example.com/api/v3</c>.</summary>
    public string ApiUrl { get; set; } = "https://api.github.com";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);

    /// <summary><paramref name="path"/> (starting with '/') under <see cref="WebUrl"/>.</summary>
    public string Web(string path) => WebUrl.TrimEnd('/') + path;

    /// <summary><paramref name="path"/> (starting with '/') under <see cref="ApiUrl"/>.</summary>
    public string Api(string path) => ApiUrl.TrimEnd('/') + path;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsConfigured && string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return new ValidationResult($"{Section}:ClientSecret is required when {Section}:ClientId is set.", [nameof(ClientSecret)]);
        }

        foreach (var (name, value) in new[] { (nameof(WebUrl), WebUrl), (nameof(ApiUrl), ApiUrl) })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                yield return new ValidationResult($"{Section}:{name} must be an absolute http(s) URL.", [name]);
            }
        }
    }

    public static GitHubOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<GitHubOptions>() ?? new GitHubOptions();
}
