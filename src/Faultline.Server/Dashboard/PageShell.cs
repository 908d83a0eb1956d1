using Microsoft.AspNetCore.Antiforgery;

namespace Faultline.Server.Dashboard;

/// <summary>
/// What the page frame needs on every page: who is signed in (null: nobody), the antiforgery token
/// for the page's forms (null on error pages rendered after a failure), and the request's "now".
/// </summary>
public sealed record PageShell(string? Login, AntiforgeryTokenSet? Antiforgery, DateTimeOffset Now);
