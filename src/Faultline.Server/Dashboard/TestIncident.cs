using System.Text.Json;
using Faultline.Server.Ingest;

namespace Faultline.Server.Dashboard;

/// <summary>
/// The incident "Send a test incident" stores: a Next.js-style error with a stack through the
/// app's own code and a library, so the incident page shows everything it can. Its commit is all
/// zeros (no real commit), which the pages show without a GitHub link.
/// </summary>
internal static class TestIncident
{
    public const string CommitSha = "0000000000000000000000000000000000000000";
    public const string ErrorType = "FaultlineTestError";
    public const string Message = "This is a test incident from the Faultline dashboard";

    public static IncidentDraft Draft(string login) => new()
    {
        ErrorMessage = Message,
        ErrorType = ErrorType,
        StackTrace = $"""
            {ErrorType}: {Message}
                at sendTestIncident (/vercel/path0/src/app/api/checkout/route.ts:42:11)
                at processCheckout (/vercel/path0/src/lib/checkout.ts:17:5)
                at async Server.requestListener (/vercel/path0/node_modules/next/dist/server/lib/start-server.js:140:13)
            """,
        CommitSha = CommitSha,
        Environment = "test",
        Metadata = JsonSerializer.SerializeToElement(
            new Dictionary<string, string> { ["source"] = "dashboard test button", ["sent_by"] = login },
            DashboardJsonContext.Default.DictionaryStringString),
    };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DashboardJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
