using System.ComponentModel.DataAnnotations;

namespace Faultline.Server.Projects;

/// <summary><c>Faultline:PublicUrl</c>: the base URL shown in DSNs and links; empty: the request's own scheme and host.</summary>
internal sealed class ProjectOptions : IValidatableObject
{
    public const string Section = "Faultline";

    public string? PublicUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicUrl)
            && (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult("Faultline:PublicUrl must be an absolute http(s) URL.", [nameof(PublicUrl)]);
        }
    }

    /// <summary>The DSN Sentry SDKs take: <c>{scheme}://{ingest_key}@{host}[/path]/{project_number}</c>.</summary>
    public string Dsn(HttpRequest request, string ingestKey, int projectNumber)
    {
        var (scheme, authority, path) = string.IsNullOrWhiteSpace(PublicUrl)
            ? (request.Scheme, request.Host.Value ?? "localhost", request.PathBase.Value ?? string.Empty)
            : (new Uri(PublicUrl).Scheme, new Uri(PublicUrl).Authority, new Uri(PublicUrl).AbsolutePath);
        return $"{scheme}://{ingestKey}@{authority}{path.TrimEnd('/')}/{projectNumber}";
    }
}
