using Faultline.Core.StackTraces;

namespace Faultline.Core.Tests.StackTraces;

/// <summary>
/// The frames of the captured SDK requests in <c>shared/fixtures/sentry/</c>, as the ingest code passes them:
/// oldest first, <c>File</c> = <c>abs_path</c> when the SDK sent one, else <c>filename</c>.
/// </summary>
public sealed class SentryFixtureTests
{
    /// <summary>@sentry/node 11.12.0, node-11.12.0-captureException: filename is absolute, no abs_path.</summary>
    internal static readonly StackFrame[] NodeFrames =
    [
        new("node:internal/modules/run_main", 164, 12, "Function.executeUserEntryPoint [as runMain]", false, "run_main"),
        new("node:internal/modules/cjs/loader", 1091, 12, "Module._load", false, "loader"),
        new("node:internal/modules/cjs/loader", 1266, 32, "Module.load", false, "loader"),
        new("node:internal/modules/cjs/loader", 1623, 10, "Module._extensions..js", false, "loader"),
        new("node:internal/modules/cjs/loader", 1521, 14, "Module._compile", false, "loader"),
        new("/var/task/capture-exception.js", 29, 1, "Object.?", true, "capture-exception"),
        new("/var/task/capture-exception.js", 19, 5, "main", true, "capture-exception"),
        new("/var/task/src/handlers/checkout.js", 19, 10, "handleCheckout", true, "src.handlers:checkout"),
        new("/var/task/src/handlers/checkout.js", 14, 10, "validateCart", true, "src.handlers:checkout"),
        new("/var/task/src/handlers/checkout.js", 8, 11, "computeTotal", true, "src.handlers:checkout"),
    ];

    /// <summary>sentry-dotnet 6.12.1, dotnet-6.12.1-uncaught: filename is relative to the project, abs_path is absolute.</summary>
    internal static readonly StackFrame[] DotNetFrames =
    [
        new(null, null, null, "int Program.<Main>(?)", true),
        new("/home/runner/work/shop/shop/src/Shop/Program.cs", 44, 5, "async Task<int> Program.<Main>$(?)", true),
        new("/home/runner/work/shop/shop/src/Shop/Handlers/Checkout.cs", 10, 9, "decimal Checkout.HandleCheckout(string cartId)", true),
        new("/home/runner/work/shop/shop/src/Shop/Handlers/Checkout.cs", 15, 9, "decimal Checkout.ValidateCart(Cart cart)", true),
        new("/home/runner/work/shop/shop/src/Shop/Handlers/Checkout.cs", 22, 13, "decimal Checkout.ComputeTotal(Cart cart)", true),
    ];

    [Fact]
    public void Locate_SentryNodeFrames_MapsVarTaskToTheRepository()
    {
        var location = IncidentLocator.Locate(new LocateRequest(
            "Error", "Cart is empty: cannot compute total for checkout", null, NodeFrames, null, null, null, []));

        Assert.Equal("src/handlers/checkout.js", location.FilePath);
        Assert.Equal(8, location.LineNumber);
        Assert.Equal(11, location.ColumnNumber);
        Assert.Equal("Error", location.ErrorType);
        Assert.Empty(location.Notes);
        Assert.Equal(NodeFrames.Length, location.Frames.Count);
        Assert.Equal("capture-exception.js", location.Frames[5].File);
        Assert.Equal("node:internal/modules/cjs/loader", location.Frames[1].File);
        Assert.False(location.Frames[1].InApp);
    }

    [Fact]
    public void Locate_SentryDotNetFrames_UsesAbsPathRelativeToTheRepositoryRoot()
    {
        var location = IncidentLocator.Locate(new LocateRequest(
            "System.InvalidOperationException", "Cart is empty: cannot compute total for checkout", null,
            DotNetFrames, null, null, null, []));

        Assert.Equal("src/Shop/Handlers/Checkout.cs", location.FilePath);
        Assert.Equal(22, location.LineNumber);
        Assert.Equal(13, location.ColumnNumber);
        Assert.Equal("System.InvalidOperationException", location.ErrorType);
        Assert.Equal("src/Shop/Program.cs", location.Frames[1].File);
        Assert.Empty(location.Notes);
    }

    [Fact]
    public void Locate_StructuredFramesInAppFalse_WinsOverThePathHeuristic()
    {
        StackFrame[] frames =
        [
            new("/var/task/src/app.js", 5, 1, "main", null),
            new("/var/task/src/vendor/legacy.js", 99, 3, "explode", false),
        ];

        var location = IncidentLocator.Locate(new LocateRequest("Error", "x", null, frames, null, null, null, []));

        Assert.Equal("src/app.js", location.FilePath);
        Assert.Equal(5, location.LineNumber);
    }

    [Fact]
    public void Locate_StructuredFramesInAppTrue_WinsOverNodeModules()
    {
        StackFrame[] frames =
        [
            new("/var/task/src/app.js", 5, 1, "main", null),
            new("/var/task/node_modules/@acme/shared/index.js", 7, 2, "parse", true),
        ];

        var location = IncidentLocator.Locate(new LocateRequest("Error", "x", null, frames, null, null, null, []));

        Assert.Equal("node_modules/@acme/shared/index.js", location.FilePath);
    }

    [Fact]
    public void Locate_StructuredFrames_WinOverTheRawTrace()
    {
        var location = IncidentLocator.Locate(new LocateRequest(
            "Error", "x", "Error: x\n    at other (/var/task/src/other.js:1:1)", NodeFrames, null, null, null, []));

        Assert.Equal("src/handlers/checkout.js", location.FilePath);
    }

    [Fact]
    public void Locate_ExplicitFilePath_WinsAndIsNormalised()
    {
        var location = IncidentLocator.Locate(new LocateRequest(
            "Error", "x", null, NodeFrames, "/var/task/src/handlers/other.ts", 7, null, []));

        Assert.Equal("src/handlers/other.ts", location.FilePath);
        Assert.Equal(7, location.LineNumber);
        Assert.Null(location.ColumnNumber);
        Assert.Equal([LocationNotes.ExplicitLocation], location.Notes);
    }

    [Fact]
    public void Locate_ExplicitRelativeFilePathWithoutLine_TakesTheLineOfTheMatchingFrame()
    {
        var location = IncidentLocator.Locate(new LocateRequest(
            "Error", "x", null, NodeFrames, "src/handlers/checkout.js", null, null, []));

        Assert.Equal("src/handlers/checkout.js", location.FilePath);
        Assert.Equal(8, location.LineNumber);
        Assert.Equal(11, location.ColumnNumber);
    }

    [Fact]
    public void Locate_ExplicitAbsolutePathThatCannotBeMapped_IsNullWithANote()
    {
        var location = IncidentLocator.Locate(new LocateRequest(
            "Error", "x", null, null, "/home/dev/x.js", 3, 4, []));

        Assert.Null(location.FilePath);
        Assert.Equal(3, location.LineNumber);
        Assert.Contains(LocationNotes.PathUnmapped, location.Notes);
    }

    [Fact]
    public void Locate_CodeMapping_ComesBeforeBuiltInRoots_LongestFirst()
    {
        StackFrame[] frames = [new("/srv/app/billing/invoice.py", 12, null, "render")];
        CodeMapping[] mappings = [new("/srv/", "wrong/"), new("/srv/app/", "services/api/")];

        var location = IncidentLocator.Locate(new LocateRequest("KeyError", "x", null, frames, null, null, null, mappings));

        Assert.Equal("services/api/billing/invoice.py", location.FilePath);
    }

    [Fact]
    public void Locate_RequestTypeAndMessage_WinOverTheTraceHeader()
    {
        var location = IncidentLocator.Locate(new LocateRequest(
            "CheckoutError", "custom", "TypeError: x\n    at f (/var/task/src/a.js:1:2)", null, null, null, null, []));

        Assert.Equal("CheckoutError", location.ErrorType);
        Assert.Equal("custom", location.ErrorMessage);
        Assert.Equal("src/a.js", location.FilePath);
    }
}
