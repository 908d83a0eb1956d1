namespace Faultline.Contracts;

/// <summary>The native ingest API's answer: one entry per incident sent, in order.</summary>
public sealed record IngestResponse(IReadOnlyList<IngestedIncident> Incidents);

/// <summary>An incident as stored: <c>duplicate</c> when an earlier delivery of the same event_id made it.</summary>
public sealed record IngestedIncident(string IncidentId, string EventId, bool Duplicate);

/// <summary>The Sentry routes' answer: <c>{"id": "&lt;event_id&gt;"}</c>, which sentry-dotnet requires.</summary>
public sealed record SentryResponse(string? Id);
