using Microsoft.Extensions.Logging;

namespace Faultline.LanguageServer;

/// <summary>What the language server takes from its surroundings; tests replace the clock, folders and timings.</summary>
internal sealed record LanguageServerOptions
{
    public required TimeProvider Time { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary><c>$XDG_CONFIG_HOME</c>, else <c>~/.config</c>.</summary>
    public required string ConfigDirectory { get; init; }

    /// <summary><c>FAULTLINE_TOKEN</c>: overrides the saved credentials.</summary>
    public string? EnvironmentToken { get; init; }

    /// <summary><c>FAULTLINE_SERVER</c>: used when the editor's settings name no server.</summary>
    public string? EnvironmentServer { get; init; }

    /// <summary>How often HEAD's files are looked at (cheap: a few file reads).</summary>
    public TimeSpan HeadPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>First retry delay after a failure; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Quiet time after the last keystroke before a file's diagnostics are moved and re-published.</summary>
    public TimeSpan ChangeDebounce { get; init; } = TimeSpan.FromMilliseconds(150);

    public static LanguageServerOptions FromEnvironment(ILoggerFactory loggerFactory)
    {
        var configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(configHome))
        {
            configHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }

        return new LanguageServerOptions
        {
            Time = TimeProvider.System,
            LoggerFactory = loggerFactory,
            ConfigDirectory = configHome,
            EnvironmentToken = Environment.GetEnvironmentVariable("FAULTLINE_TOKEN"),
            EnvironmentServer = Environment.GetEnvironmentVariable("FAULTLINE_SERVER"),
        };
    }
}
