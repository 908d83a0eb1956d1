namespace Faultline.Contracts;

/// <summary>An RFC 9457 problem as clients read it.</summary>
public sealed record Problem(
    string? Type,
    string? Title,
    int? Status,
    string? Detail,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    string? Error = null);
