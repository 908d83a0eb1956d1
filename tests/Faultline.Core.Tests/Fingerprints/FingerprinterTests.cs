using Faultline.Core.Fingerprints;
using Faultline.Core.StackTraces;

namespace Faultline.Core.Tests.Fingerprints;

public sealed class FingerprinterTests
{
    private const string Trace = """
        TypeError: Cannot read properties of undefined (reading 'price')
            at computeTotal (/var/task/src/cart/total.js:8:11)
            at validateCart (/var/task/src/cart/validate.js:14:10)
            at Module._compile (node:internal/modules/cjs/loader:1521:14)
        """;

    private static string FingerprintOf(string trace, string? message = null, IReadOnlyList<string>? sdk = null)
    {
        var location = IncidentLocator.Locate(new LocateRequest(null, message, trace, null, null, null, null, []));
        return Fingerprinter.Compute(location.ErrorType, location.ErrorMessage, location.Frames, sdk);
    }

    [Fact]
    public void Compute_IsLowercaseHexSha256()
    {
        Assert.Matches("^[0-9a-f]{64}$", FingerprintOf(Trace));
        Assert.Equal(FingerprintOf(Trace), FingerprintOf(Trace));
    }

    [Fact]
    public void Compute_SameBugWithLinesShifted_KeepsItsFingerprint()
    {
        var shifted = Trace.Replace("total.js:8:11", "total.js:31:7", StringComparison.Ordinal)
            .Replace("validate.js:14:10", "validate.js:140:3", StringComparison.Ordinal)
            .Replace("loader:1521:14", "loader:1600:2", StringComparison.Ordinal);

        Assert.Equal(FingerprintOf(Trace), FingerprintOf(shifted));
    }

    [Fact]
    public void Compute_SameBugOnAnotherDeploymentRoot_KeepsItsFingerprint()
    {
        var elsewhere = Trace.Replace("/var/task/", "/vercel/path0/", StringComparison.Ordinal);

        Assert.Equal(FingerprintOf(Trace), FingerprintOf(elsewhere));
    }

    [Fact]
    public void Compute_DifferentFunction_ChangesIt()
    {
        var other = Trace.Replace("at computeTotal", "at computeTax", StringComparison.Ordinal);

        Assert.NotEqual(FingerprintOf(Trace), FingerprintOf(other));
    }

    [Fact]
    public void Compute_DifferentFileOrType_ChangesIt()
    {
        Assert.NotEqual(FingerprintOf(Trace), FingerprintOf(Trace.Replace("total.js", "sum.js", StringComparison.Ordinal)));
        Assert.NotEqual(FingerprintOf(Trace), FingerprintOf(Trace.Replace("TypeError", "RangeError", StringComparison.Ordinal)));
    }

    [Fact]
    public void Compute_FrameworkFramesChanging_DoesNotChangeIt()
    {
        var upgraded = Trace.Replace("Module._compile", "Module._compileV2", StringComparison.Ordinal);

        Assert.Equal(FingerprintOf(Trace), FingerprintOf(upgraded));
    }

    [Fact]
    public void Compute_DotNetCompilerGeneratedOrdinals_DoNotChangeIt()
    {
        StackFrame[] before = [new("src/A.cs", 10, null, "Shop.Api.<>c__DisplayClass5_0.<Map>b__0_1(Int32 id)", true)];
        StackFrame[] after = [new("src/A.cs", 12, null, "Shop.Api.<>c__DisplayClass7_0.<Map>b__0_3(Int32 id)", true)];

        Assert.Equal(
            Fingerprinter.Compute("System.Exception", "a", before, null),
            Fingerprinter.Compute("System.Exception", "b", after, null));
    }

    [Theory]
    [InlineData("Order 12345 not found", "Order 98765 not found")]
    [InlineData("User usr_8fJ2kQz has no cart cart_123", "User usr_Zq81mXp has no cart cart_991")]
    [InlineData("Request 3f2c1e9a-7b4d-4c1e-9a2b-1c2d3e4f5a6b failed", "Request 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d failed")]
    [InlineData("bad pointer 0x7ffd5e8c", "bad pointer 0x1a2b3c4d")]
    [InlineData("commit 9fceb02d0ae598e95dc970b74767f19372d61af8 missing", "commit 0123456789abcdef0123456789abcdef01234567 missing")]
    [InlineData("Key 'alice@example.com' exists", "Key 'bob@example.org' exists")]
    [InlineData("timeout after 30.5 s", "timeout after 12.25 s")]
    public void Compute_NoFrames_MessagesDifferingOnlyInIds_GroupTogether(string first, string second) =>
        Assert.Equal(
            Fingerprinter.Compute("Error", first, [], null),
            Fingerprinter.Compute("Error", second, [], null));

    [Fact]
    public void Compute_NoFrames_DifferentMessages_DoNotGroup() =>
        Assert.NotEqual(
            Fingerprinter.Compute("Error", "Order 1 not found", [], null),
            Fingerprinter.Compute("Error", "Payment 1 declined", [], null));

    [Fact]
    public void Compute_OnlyLibraryFrames_FallsBackToTheMessage()
    {
        StackFrame[] frames = [new("/var/task/node_modules/pg/lib/client.js", 1, 1, "query")];

        Assert.Equal(
            Fingerprinter.Compute("error", "relation 42 missing", frames, null),
            Fingerprinter.Compute("error", "relation 43 missing", [], null));
    }

    [Fact]
    public void Compute_WithFrames_IgnoresTheMessage() =>
        Assert.Equal(FingerprintOf(Trace, "first message"), FingerprintOf(Trace, "another message"));

    [Fact]
    public void Compute_SdkFingerprint_OverridesTheDefault()
    {
        var custom = FingerprintOf(Trace, sdk: ["checkout-total"]);

        Assert.NotEqual(FingerprintOf(Trace), custom);
        Assert.Equal(custom, FingerprintOf(Trace.Replace("computeTotal", "other", StringComparison.Ordinal), sdk: ["checkout-total"]));
        Assert.NotEqual(custom, FingerprintOf(Trace, sdk: ["checkout-tax"]));
    }

    [Theory]
    [InlineData("{{ default }}")]
    [InlineData("{{default}}")]
    [InlineData("  {{ DEFAULT }} ")]
    public void Compute_SdkDefaultPlaceholder_ExpandsToTheDefaultInputs(string placeholder)
    {
        Assert.Equal(FingerprintOf(Trace), FingerprintOf(Trace, sdk: [placeholder]));

        var extended = FingerprintOf(Trace, sdk: [placeholder, "tenant-a"]);
        Assert.NotEqual(FingerprintOf(Trace), extended);
        Assert.NotEqual(extended, FingerprintOf(Trace, sdk: [placeholder, "tenant-b"]));
        Assert.NotEqual(extended, FingerprintOf(Trace.Replace("computeTotal", "other", StringComparison.Ordinal), sdk: [placeholder, "tenant-a"]));
    }

    [Fact]
    public void Compute_EmptySdkFingerprint_UsesTheDefault()
    {
        Assert.Equal(FingerprintOf(Trace), FingerprintOf(Trace, sdk: []));
        Assert.Equal(FingerprintOf(Trace), FingerprintOf(Trace, sdk: ["", "  "]));
    }

    [Fact]
    public void Compute_SentryFixtures_GroupCaughtAndUncaughtOccurrencesWhenTheThrowingPathMatches()
    {
        var caught = IncidentLocator.Locate(new LocateRequest(
            "System.InvalidOperationException", "Cart is empty", null,
            Tests.StackTraces.SentryFixtureTests.DotNetFrames, null, null, null, []));

        var fingerprint = Fingerprinter.Compute(caught.ErrorType, caught.ErrorMessage, caught.Frames, null);

        Assert.Matches("^[0-9a-f]{64}$", fingerprint);
        Assert.Contains("frame:src/Shop/Handlers/Checkout.cs|Checkout.ComputeTotal",
            Fingerprinter.DefaultInputs(caught.ErrorType, caught.ErrorMessage, caught.Frames));
    }
}
