using Microsoft.Playwright;

namespace Faultline.Dashboard.Tests;

/// <summary>
/// One Playwright and one headless Chromium for the test run: Debian's <c>/usr/bin/chromium</c>
/// (Playwright's own browser download cannot work on these machines), or <c>FAULTLINE_CHROMIUM</c>.
/// Each test opens its own browser context, so cookies never leak between users.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>
    /// No sandbox (containers, root), no GPU, and no network of Chromium's own: the host resolver
    /// rule answers every name except the loopback servers the tests start.
    /// </summary>
    public static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    ];

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("FAULTLINE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not at {ExecutablePath}: apt-get install chromium (test.sh does), or set FAULTLINE_CHROMIUM.");
        }

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
        });
    }

    /// <summary>A fresh context (its own cookies) on <paramref name="server"/>; with JavaScript off unless asked.</summary>
    public Task<IBrowserContext> NewContextAsync(Uri server, bool javaScript = false) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString().TrimEnd('/'),
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            ColorScheme = ColorScheme.Light,
            Permissions = javaScript ? ["clipboard-read", "clipboard-write"] : [],
        });

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}
