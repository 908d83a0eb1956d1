using Faultline.LanguageServer.Workspace;

namespace Faultline.LanguageServer.Tests.Units;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("https://github.com/acme/shop.git", "acme/shop")]
    [InlineData("https://github.com/acme/shop", "acme/shop")]
    [InlineData("https://token@github.com/acme/shop.git/", "acme/shop")]
    [InlineData("git@github.com:acme/shop.git", "acme/shop")]
    [InlineData("ssh://git@github.example.com:2222/acme/shop.git", "acme/shop")]
    [InlineData("  https://github.com/acme/shop.git\n", "acme/shop")]
    public void Parse_RemoteUrl_GivesOwnerAndName(string url, string expected) =>
        Assert.Equal(expected, RepositoryName.Parse(url)?.FullName);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/local/path")]
    [InlineData("https://github.com/only-owner")]
    public void Parse_NotARemote_IsNull(string? url) => Assert.Null(RepositoryName.Parse(url));
}
