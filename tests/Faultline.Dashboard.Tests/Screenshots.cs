using Faultline.Testing;
using Microsoft.Playwright;

namespace Faultline.Dashboard.Tests;

/// <summary>Full-page screenshots of every page the tests visit, in <c>artifacts/screenshots/</c> (git-ignored), to look at.</summary>
internal static class Screenshots
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot.Path, "artifacts", "screenshots");

    public static async Task TakeAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory, name + ".png"), FullPage = true });
    }
}
