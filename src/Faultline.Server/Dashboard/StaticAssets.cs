using System.Reflection;
using System.Security.Cryptography;

namespace Faultline.Server.Dashboard;

/// <summary>
/// The dashboard's stylesheet and script, embedded in the server binary so that they are there
/// wherever the binary runs (a test's output folder, a container), served with a content hash
/// in the URL and cached for a year.
/// </summary>
internal static class StaticAssets
{
    private static readonly Dictionary<string, (byte[] Content, string ContentType, string Version)> Assets = new(StringComparer.Ordinal)
    {
        ["dashboard.css"] = Load("dashboard.css", "text/css; charset=utf-8"),
        ["dashboard.js"] = Load("dashboard.js", "text/javascript; charset=utf-8"),
    };

    /// <summary>The asset's URL, versioned by its content.</summary>
    public static string Url(string name) => $"/static/{name}?v={Assets[name].Version}";

    public static IEndpointRouteBuilder MapStaticAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/static/{name}", Serve).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(string name, HttpContext context)
    {
        if (!Assets.TryGetValue(name, out var asset))
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static (byte[], string, string) Load(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Faultline.Dashboard." + name)
            ?? throw new InvalidOperationException($"The embedded asset {name} is missing.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var content = memory.ToArray();
        return (content, contentType, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }
}
