using Faultline.Client;
using Microsoft.Extensions.Logging;

namespace Faultline.LanguageServer;

/// <summary>What the language server takes from its surroundings; tests replace the clock, environment and timings.</summary>
internal sealed record LanguageServerOptions
{
    public required TimeProvider Time { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>
    /// The process environment, read as the CLI reads it: <c>XDG_CONFIG_HOME</c> (where <c>faultline login</c>
    /// saved the credentials), <c>FAULTLINE_TOKEN</c>, <c>FAULTLINE_SERVER</c>, <c>FAULTLINE_GITHUB_HOSTS</c>.
    /// </summary>
    public required Func<string, string?> Environment { get; init; }

    /// <summary><c>faultline lsp --server URL</c>: used when the editor's settings name no server.</summary>
    public string? Server { get; init; }

    /// <summary>How often HEAD's files are looked at (cheap: a few file reads).</summary>
    public TimeSpan HeadPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>First retry delay after a failure; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Quiet time after the last keystroke before a file's diagnostics are moved and re-published.</summary>
    public TimeSpan ChangeDebounce { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Per request, shorter than the CLI's: a refresh loop retries anyway.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The store <c>faultline login</c> writes: <c>$XDG_CONFIG_HOME/faultline/credentials.json</c>.</summary>
    public CredentialStore CreateCredentialStore() => CredentialStore.Default(Environment);

    public static LanguageServerOptions FromEnvironment(ILoggerFactory loggerFactory, string? server) => new()
    {
        Time = TimeProvider.System,
        LoggerFactory = loggerFactory,
        Environment = System.Environment.GetEnvironmentVariable,
        Server = server,
    };
}
