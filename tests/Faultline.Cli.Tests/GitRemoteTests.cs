using Faultline.Client.Git;

namespace Faultline.Cli.Tests;

public sealed class GitRemoteTests
{
    private static readonly string[] GitHubOnly = ["github.com"];

    [Theory]
    [InlineData("https://github.com/octo/shop.git", "github.com", "octo/shop")]
    [InlineData("https://github.com/octo/shop", "github.com", "octo/shop")]
    [InlineData("https://github.com/octo/shop/", "github.com", "octo/shop")]
    [InlineData("https://user:ghp_secret@github.com/octo/shop.git", "github.com", "octo/shop")]
    [InlineData("ssh://git@github.com/octo/shop.git", "github.com", "octo/shop")]
    [InlineData("ssh://git@github.com:22/octo/shop.git", "github.com", "octo/shop")]
    [InlineData("git@github.com:octo/shop.git", "github.com", "octo/shop")]
    [InlineData("git@github.com:octo/shop", "github.com", "octo/shop")]
    [InlineData("GitHub.com:octo/shop.git", "github.com", "octo/shop")]
    [InlineData("git@gitlab.com:octo/shop.git", "gitlab.com", "octo/shop")]
    [InlineData("https://token@github.com/octo/shop.git/", "github.com", "octo/shop")]
    [InlineData("ssh://git@github.example.com:2222/octo/shop.git", "github.example.com", "octo/shop")]
    [InlineData("  https://github.com/octo/shop.git\n", "github.com", "octo/shop")]
    public void TryParse_KnownRemoteForms_ReturnHostAndRepository(string url, string host, string repository)
    {
        Assert.True(GitRemote.TryParse(url, out var parsedHost, out var parsedRepository));
        Assert.Equal((host, repository), (parsedHost, parsedRepository));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/srv/git/shop.git")]
    [InlineData("https://github.com/octo")]
    [InlineData("https://github.com/octo/shop/tree/main")]
    [InlineData("file:///srv/git/octo/shop.git")]
    public void TryParse_NotOwnerAndRepository_ReturnsFalse(string url) =>
        Assert.False(GitRemote.TryParse(url, out _, out _));

    [Fact]
    public async Task ResolveOrigin_HttpsWithCredentials_ReturnsRepositoryAndNeverEchoesSecret()
    {
        using var checkout = await GitCheckout.CreateAsync("https://x-access-token:ghp_secret@github.com/octo/shop.git");

        Assert.Equal("octo/shop", await GitRemote.ResolveOriginAsync(checkout.Path, GitHubOnly, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ResolveOrigin_WithoutOrigin_SaysSoAndSuggestsRepo()
    {
        using var checkout = await GitCheckout.CreateAsync(origin: null);

        var error = await Assert.ThrowsAsync<GitException>(() => GitRemote.ResolveOriginAsync(checkout.Path, GitHubOnly, TestContext.Current.CancellationToken));

        Assert.Contains("no `origin` remote", error.Message, StringComparison.Ordinal);
        Assert.Contains("--repo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveOrigin_OutsideACheckout_SaysSo()
    {
        var directory = Directory.CreateTempSubdirectory("flnogit-");
        try
        {
            var error = await Assert.ThrowsAsync<GitException>(() => GitRemote.ResolveOriginAsync(directory.FullName, GitHubOnly, TestContext.Current.CancellationToken));
            Assert.Contains("not inside a git checkout", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task ResolveOrigin_OnAnotherHost_IsRefusedUnlessListedAsGitHubEnterprise()
    {
        using var checkout = await GitCheckout.CreateAsync("https://token:secret@git.example.com/octo/shop.git");

        var error = await Assert.ThrowsAsync<GitException>(() => GitRemote.ResolveOriginAsync(checkout.Path, GitHubOnly, TestContext.Current.CancellationToken));
        var enterprise = GitRemote.Hosts(name => name == GitRemote.HostsVariable ? "git.example.com, ghe.example.org" : null);

        Assert.Contains("on git.example.com, not GitHub", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.Equal("octo/shop", await GitRemote.ResolveOriginAsync(checkout.Path, enterprise, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Redact_RemovesUserInfo() =>
        Assert.Equal("https://github.com/octo/shop.git", GitRemote.Redact("https://user:ghp_secret@github.com/octo/shop.git"));
}
