using Faultline.Core.Identifiers;

namespace Faultline.Core.Tests.Identifiers;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData(SecretToken.IngestKeyPrefix)]
    [InlineData(SecretToken.AccessTokenPrefix)]
    [InlineData(SecretToken.RefreshTokenPrefix)]
    public void Generate_ProducesWellFormedDsnSafeTokens(string prefix)
    {
        var token = SecretToken.Generate(prefix);

        Assert.StartsWith(prefix, token, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_]+$", token);
        Assert.True(SecretToken.IsWellFormed(token, prefix));
        Assert.NotEqual(token, SecretToken.Generate(prefix));
    }

    [Fact]
    public void IsWellFormed_RejectsTypoTruncationAndWrongPrefix()
    {
        var token = SecretToken.Generate(SecretToken.IngestKeyPrefix);
        var typo = token[..12] + (token[12] == 'a' ? 'b' : 'a') + token[13..];

        Assert.False(SecretToken.IsWellFormed(typo, SecretToken.IngestKeyPrefix));
        Assert.False(SecretToken.IsWellFormed(token[..^1], SecretToken.IngestKeyPrefix));
        Assert.False(SecretToken.IsWellFormed(token, SecretToken.AccessTokenPrefix));
        Assert.False(SecretToken.IsWellFormed(null, SecretToken.IngestKeyPrefix));
        Assert.False(SecretToken.IsWellFormed(token.Replace(token[^10], '-'), SecretToken.IngestKeyPrefix));
    }

    [Fact]
    public void PublicIds_HaveTheDocumentedShapes_AndIncidentIdsSortByTime()
    {
        Assert.Matches("^proj_[a-z2-7]{12}$", PublicIds.NewProjectId());
        Assert.True(PublicIds.IsProjectId(PublicIds.NewProjectId()));

        var earlier = PublicIds.NewIncidentId(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var later = PublicIds.NewIncidentId(new DateTimeOffset(2026, 11, 25, 10, 0, 0, 1, TimeSpan.Zero));
        Assert.Matches("^inc_[0-9A-HJKMNP-TV-Z]{26}$", earlier);
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.True(PublicIds.IsIncidentId(later));
        Assert.False(PublicIds.IsIncidentId("inc_" + new string('U', 26)));
    }
}
