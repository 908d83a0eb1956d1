using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Net.Http.Headers;

namespace Faultline.Server.Incidents;

/// <summary>
/// Strong ETags: any change that a client could see (a new incident, a resolve, a reopen) changes
/// the tag, and <c>If-None-Match</c> answers 304 without a body. The groups list hashes its exact
/// body; the incidents list tags its rows' identities and versions (<see cref="IncidentPageTag"/>).
/// </summary>
internal static class EntityTags
{
    public static IResult JsonWithETag<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var tag = "\"" + Convert.ToBase64String(SHA256.HashData(body).AsSpan(0, 16)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";
        SetHeaders(context, tag);
        return Matches(context.Request.Headers.IfNoneMatch, tag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(body, "application/json");
    }

    /// <summary>The validator and its caching rule: clients may keep the page but must revalidate it.</summary>
    public static void SetHeaders(HttpContext context, string tag)
    {
        context.Response.Headers.ETag = tag;
        context.Response.Headers.CacheControl = "private, no-cache";
    }

    public static IResult NotModified(HttpContext context, string tag)
    {
        SetHeaders(context, tag);
        return TypedResults.StatusCode(StatusCodes.Status304NotModified);
    }

    internal static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string tag)
    {
        if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var candidates))
        {
            return false;
        }

        var current = new EntityTagHeaderValue(tag);
        return candidates.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(current, useStrongComparison: false));
    }
}
