using Faultline.Server.Monitoring;

namespace Faultline.Server.Auth;

/// <summary>Records a refused sign-in or token: one log line without the secret, one count in faultline_auth_failures.</summary>
internal sealed class AuthFailures(FaultlineMetrics metrics, ILogger<AuthFailures> logger)
{
    /// <summary><paramref name="kind"/>: access_token, refresh_token, refresh_reuse, oauth, device, local, session_cookie.</summary>
    public void Record(HttpContext context, string kind, string reason)
    {
        metrics.AuthFailed(kind);
        Log.Rejected(logger, kind, context.Connection.RemoteIpAddress?.ToString(), reason);
    }
}
