using Faultline.Server.Incidents;

namespace Faultline.Server.Dashboard;

/// <summary>
/// The incidents page's query string: the list's filters (the API's names) and the view, grouped by
/// fingerprint (default) or every incident. Links keep the filters and change one thing.
/// </summary>
public sealed record IncidentListQuery(string View, string? Status, string? Environment, string? CommitSha, string? FilePath, string? Cursor)
{
    public const string Groups = "groups";
    public const string All = "all";

    public static IncidentListQuery From(IQueryCollection query) => new(
        query["view"] == All ? All : Groups,
        Blank(query["status"]), Blank(query["environment"]), Blank(query["commit_sha"]), Blank(query["file_path"]), Blank(query["cursor"]));

    internal IncidentFilter ToFilter() => new(Status, Environment, CommitSha, FilePath, Since: null, Limit: null, Cursor);

    /// <summary>This list's URL with another view (and the first page), or another cursor.</summary>
    public string Url(string projectId, string? view = null, string? cursor = null)
    {
        var parameters = new List<KeyValuePair<string, string?>>
        {
            new("view", view ?? View),
            new("status", Status),
            new("environment", Environment),
            new("commit_sha", CommitSha),
            new("file_path", FilePath),
            new("cursor", cursor),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(
            $"/projects/{Uri.EscapeDataString(projectId)}/incidents", parameters.Where(p => p.Value is { Length: > 0 }));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
