using Faultline.Core.StackTraces;

namespace Faultline.Core.Tests.StackTraces;

public sealed class RepositoryPathsTests
{
    [Theory]
    [InlineData("/var/task/src/handlers/checkout.js", "src/handlers/checkout.js")]
    [InlineData("/var/task/apps/web/src/x.ts", "apps/web/src/x.ts")]
    [InlineData("/vercel/path0/src/app/page.tsx", "src/app/page.tsx")]
    [InlineData("/app/app/models/cart.rb", "app/models/cart.rb")]
    [InlineData("/usr/src/app/server.js", "server.js")]
    [InlineData("/home/runner/work/shop/shop/src/Shop/Handlers/Checkout.cs", "src/Shop/Handlers/Checkout.cs")]
    [InlineData("/opt/build/repo/netlify/functions/hello.ts", "netlify/functions/hello.ts")]
    [InlineData("webpack-internal:///(rsc)/./app/products/page.tsx", "app/products/page.tsx")]
    [InlineData("webpack-internal:///(app-pages-browser)/./src/components/Cart.tsx", "src/components/Cart.tsx")]
    [InlineData("webpack-internal:///./pages/index.js", "pages/index.js")]
    [InlineData("webpack:///./src/index.js", "src/index.js")]
    [InlineData("app:///src/server/actions.ts", "src/server/actions.ts")]
    [InlineData("file:///var/task/src/index.mjs", "src/index.mjs")]
    [InlineData("file:///C:/work/shop/src/index.mjs", "src/index.mjs")]
    [InlineData(@"C:\Users\dev\shop\src\index.ts", "src/index.ts")]
    [InlineData(@"D:\a\shop\shop\Shop\Program.cs", "Shop/Program.cs")]
    [InlineData("/Users/dev/code/shop/packages/ui/button.tsx", "packages/ui/button.tsx")]
    [InlineData("/go/src/github.com/acme/api/handlers/user.go", "handlers/user.go")]
    [InlineData("github.com/acme/api/internal/db/db.go", "internal/db/db.go")]
    [InlineData("src/handlers/checkout.ts", "src/handlers/checkout.ts")]
    [InlineData("./src/x.ts", "src/x.ts")]
    [InlineData("/var/task/.next/server/app/page.js", ".next/server/app/page.js")]
    [InlineData("app:///_next/static/chunks/pages/_app-1a2b.js", "_next/static/chunks/pages/_app-1a2b.js")]
    [InlineData("https://shop.example.com/_next/static/chunks/app/page-9f.js?v=3", "_next/static/chunks/app/page-9f.js")]
    public void ToRepositoryPath_StripsDeploymentRoots(string path, string expected) =>
        Assert.Equal(expected, RepositoryPaths.ToRepositoryPath(path, []));

    [Theory]
    [InlineData("/home/dev/x.js")]
    [InlineData("/etc/passwd")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/")]
    [InlineData("C:\\")]
    [InlineData("file://")]
    public void ToRepositoryPath_UnmappableAbsolutePath_IsNull(string path) =>
        Assert.Null(RepositoryPaths.ToRepositoryPath(path, []));

    [Fact]
    public void ToRepositoryPath_CodeMappings_LongestStackRootFirst_BeforeBuiltInRoots()
    {
        CodeMapping[] mappings =
        [
            new("/var/task/", "services/api/"),
            new("/var/task/vendor/", "third_party/"),
        ];

        Assert.Equal("services/api/src/x.ts", RepositoryPaths.ToRepositoryPath("/var/task/src/x.ts", mappings));
        Assert.Equal("third_party/lib.js", RepositoryPaths.ToRepositoryPath("/var/task/vendor/lib.js", mappings));
        Assert.Equal("src/main/java/com/acme/A.java",
            RepositoryPaths.ToRepositoryPath("com/acme/A.java", [new CodeMapping("com/acme/", "src/main/java/com/acme/")]));
    }

    [Theory]
    [InlineData(".next/server/app/page.js", true)]
    [InlineData("_next/static/chunks/main.js", true)]
    [InlineData("src/app/page.tsx", false)]
    [InlineData(null, false)]
    public void IsCompiledBundle_RecognisesNextOutput(string? path, bool expected) =>
        Assert.Equal(expected, RepositoryPaths.IsCompiledBundle(path));
}
