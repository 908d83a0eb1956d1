using Faultline.Contracts;

namespace Faultline.Server.Dashboard;

// What each page renders. Public because Razor components (always public) take them as parameters.

public sealed record SignInView(bool GitHubMode, string ReturnUrl);

public sealed record ProjectsView(IReadOnlyList<ProjectSummary> Projects);

/// <summary>"New project": GitHub's repositories (null in local mode or when GitHub could not be asked), filtered by <see cref="Filter"/>.</summary>
public sealed record NewProjectView(bool GitHubMode, IReadOnlyList<string>? Repositories, string? Filter, string? RepoFullName, string? Error);

public sealed record ProjectView(
    string ProjectId, string RepoFullName, string Dsn, string IngestKey, string ServerUrl, KeyUsage? Usage, ProjectStats Stats);

public sealed record IncidentsView(
    string ProjectId, string RepoFullName, IncidentListQuery Query, IReadOnlyList<IncidentGroup> Groups,
    IReadOnlyList<Incident> Incidents, string? NextCursor, IReadOnlyDictionary<string, string[]> Errors, string? SentIncidentId);

public sealed record IncidentView(Incident Incident, string RepoFullName, string? CommitUrl, IReadOnlyList<FrameView> Frames, string? MetadataJson);

/// <summary>A stack frame as the incident page shows it, newest first, with links where the file is in the repository.</summary>
public sealed record FrameView(string? File, int? Line, int? Column, string? Function, bool InApp, string? GitHubUrl, string? EditorUrl);
