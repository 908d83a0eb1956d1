using System.Text.Json;
using Faultline.Contracts;

namespace Faultline.Client;

/// <summary>
/// The saved sign-in at <c>$XDG_CONFIG_HOME/faultline/credentials.json</c> (default
/// <c>~/.config/faultline/credentials.json</c>): written to a temporary file created with mode
/// 0600 in the same folder (mode 0700) and renamed over the old one, so neither a reader nor a
/// crash ever sees half a file, and no other user can read the tokens at any moment.
/// </summary>
internal sealed class CredentialStore(string path)
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    public string Path { get; } = path;

    /// <summary>The store at the XDG location for this environment.</summary>
    public static CredentialStore Default(Func<string, string?> environment)
    {
        var configHome = environment("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(configHome))
        {
            configHome = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }

        return new CredentialStore(System.IO.Path.Combine(configHome, "faultline", "credentials.json"));
    }

    /// <summary>The saved credentials, or null when there are none (or the file is unreadable garbage).</summary>
    public StoredCredentials? Load()
    {
        try
        {
            using var stream = File.OpenRead(Path);
            return JsonSerializer.Deserialize(stream, ClientJsonContext.Default.StoredCredentials);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    public void Save(StoredCredentials credentials)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }

        var temporary = System.IO.Path.Combine(directory, $".credentials.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, credentials, ClientJsonContext.Default.StoredCredentials);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path, OwnerOnlyFile);
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Deletes the saved credentials; true when there were some.</summary>
    public bool Delete()
    {
        var existed = File.Exists(Path);
        File.Delete(Path);
        return existed;
    }
}
