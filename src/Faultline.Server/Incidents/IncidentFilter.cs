using System.Globalization;
using Faultline.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace Faultline.Server.Incidents;

/// <summary>The query string of both list endpoints, as sent.</summary>
internal sealed record IncidentFilter(
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "environment")] string? Environment,
    [FromQuery(Name = "commit_sha")] string? CommitSha,
    [FromQuery(Name = "file_path")] string? FilePath,
    [FromQuery(Name = "since")] string? Since,
    [FromQuery(Name = "limit")] string? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>The filter as SQL parameters, or the validation errors keyed by query parameter name.</summary>
    public (IncidentListParameters? Parameters, Dictionary<string, string[]> Errors) Validate()
    {
        var errors = new Dictionary<string, string[]>();
        var status = string.IsNullOrEmpty(Status) ? IncidentStatus.Open : Status;
        if (status is not (IncidentStatus.Open or IncidentStatus.Resolved or IncidentStatus.All))
        {
            errors["status"] = ["Must be open, resolved or all."];
        }

        var limit = DefaultLimit;
        if (Limit is not null && (!int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"Must be an integer from 1 to {MaxLimit}."];
        }

        DateTimeOffset? since = null;
        if (Since is not null)
        {
            if (DateTimeOffset.TryParse(Since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                since = parsed.ToUniversalTime();
            }
            else
            {
                errors["since"] = ["Must be an RFC 3339 timestamp, e.g. 2026-11-25T10:04:05Z."];
            }
        }

        var cursor = default(IncidentCursor);
        if (Cursor is not null && !IncidentCursor.TryDecode(Cursor, out cursor))
        {
            errors["cursor"] = ["Is not a cursor returned by this endpoint."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new IncidentListParameters(
            status,
            NullIfEmpty(Environment),
            NullIfEmpty(CommitSha)?.ToLowerInvariant(),
            NullIfEmpty(FilePath),
            since,
            limit,
            cursor), errors);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>A validated filter.</summary>
internal sealed record IncidentListParameters(
    string Status, string? Environment, string? CommitSha, string? FilePath, DateTimeOffset? Since, int Limit, IncidentCursor? Cursor);
