using Faultline.Client;
using Faultline.Contracts;

namespace Faultline.Cli.Tests;

public sealed class CredentialStoreTests : IDisposable
{
    private readonly DirectoryInfo home = Directory.CreateTempSubdirectory("flcred-");

    [Fact]
    public void Default_UsesXdgConfigHome()
    {
        var store = CredentialStore.Default(name => name == "XDG_CONFIG_HOME" ? home.FullName : null);

        Assert.Equal(Path.Combine(home.FullName, "faultline", "credentials.json"), store.Path);
    }

    [Fact]
    public void Save_WritesOwnerOnlyFileInOwnerOnlyFolder_AndLoadReadsItBack()
    {
        var store = new CredentialStore(Path.Combine(home.FullName, "faultline", "credentials.json"));
        var credentials = new StoredCredentials("http://localhost:5080", "fl_at_a", "fl_rt_b", new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

        store.Save(credentials);
        store.Save(credentials with { AccessToken = "fl_at_c" });

        Assert.Equal(credentials with { AccessToken = "fl_at_c" }, store.Load());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(store.Path)!));
        Assert.Equal([store.Path], Directory.GetFiles(Path.GetDirectoryName(store.Path)!));
    }

    [Fact]
    public void Load_WhenMissingOrCorrupt_ReturnsNull()
    {
        var store = new CredentialStore(Path.Combine(home.FullName, "credentials.json"));
        Assert.Null(store.Load());

        File.WriteAllText(store.Path, "{not json");
        Assert.Null(store.Load());
    }

    [Theory]
    [InlineData(null, null, null, "http://localhost:5080/")]
    [InlineData(null, null, "http://saved:1", "http://saved:1/")]
    [InlineData(null, "http://env:2", "http://saved:1", "http://env:2/")]
    [InlineData("http://option:3/", "http://env:2", "http://saved:1", "http://option:3/")]
    public void ResolveServer_PrefersOptionThenEnvironmentThenSavedThenDefault(string? option, string? environment, string? saved, string expected)
    {
        var store = new CredentialStore(Path.Combine(home.FullName, "credentials.json"));
        if (saved is not null)
        {
            store.Save(new StoredCredentials(saved, "fl_at_a", null, DateTimeOffset.UtcNow));
        }

        var server = ServerAddress.Resolve(option, name => name == ServerAddress.ServerVariable ? environment : null, store);

        Assert.Equal(expected, server.ToString());
    }

    public void Dispose() => home.Delete(recursive: true);
}
