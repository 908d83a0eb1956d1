using Faultline.Core.StackTraces;

namespace Faultline.Core.Tests.StackTraces;

public sealed class InAppClassifierTests
{
    [Theory]
    [InlineData("/var/task/node_modules/pg/lib/client.js", "Client.query")]
    [InlineData("node:internal/process/task_queues", "processTicksAndRejections")]
    [InlineData("internal/timers.js", "listOnTimeout")]
    [InlineData("/var/task/node_modules/next/dist/server/base-server.js", "run")]
    [InlineData("webpack-internal:///(rsc)/./node_modules/next/dist/esm/x.js", "x")]
    [InlineData("/usr/local/lib/python3.12/site-packages/django/core/handlers/base.py", "_get_response")]
    [InlineData("/usr/lib/python3/dist-packages/requests/api.py", "get")]
    [InlineData("/usr/lib/python3.11/asyncio/runners.py", "run")]
    [InlineData("/usr/local/go/src/net/http/server.go", "net/http.(*conn).serve")]
    [InlineData("runtime/panic.go", "runtime.gopanic")]
    [InlineData("/root/go/pkg/mod/github.com/gin-gonic/gin@v1.9.1/context.go", "github.com/gin-gonic/gin.(*Context).Next")]
    [InlineData("/usr/local/bundle/gems/rack-3.0.8/lib/rack/builder.rb", "call")]
    [InlineData(null, "System.Linq.Enumerable.First[TSource](IEnumerable`1 source)")]
    [InlineData("/src/x.cs", "void Microsoft.AspNetCore.Routing.EndpointMiddleware.Invoke(HttpContext context)")]
    [InlineData("java/lang/Thread.java", "java.lang.Thread.run")]
    [InlineData("javax/servlet/http/HttpServlet.java", "javax.servlet.http.HttpServlet.service")]
    [InlineData("jdk/internal/reflect/Method.java", "jdk.internal.reflect.Method.invoke")]
    [InlineData("sun/reflect/NativeMethodAccessorImpl.java", "sun.reflect.NativeMethodAccessorImpl.invoke0")]
    public void Classify_LibraryAndFrameworkFrames_AreNotInApp(string? file, string function) =>
        Assert.False(InAppClassifier.Classify(file, function));

    [Theory]
    [InlineData("/var/task/src/handlers/checkout.js", "handleCheckout")]
    [InlineData("webpack-internal:///(rsc)/./app/page.tsx", "Page")]
    [InlineData("/app/shop/views.py", "checkout")]
    [InlineData("/app/internal/cart/total.go", "github.com/acme/shop/internal/cart.Total")]
    [InlineData("app/models/cart.rb", "Cart#total")]
    [InlineData("/home/runner/work/shop/shop/src/Shop/Handlers/Checkout.cs", "decimal Checkout.ComputeTotal(Cart cart)")]
    [InlineData("com/acme/orders/OrderService.java", "com.acme.orders.OrderService.reserve")]
    public void Classify_ApplicationFrames_AreInApp(string file, string function) =>
        Assert.True(InAppClassifier.Classify(file, function));

    [Fact]
    public void IsInApp_ExplicitValue_Wins()
    {
        Assert.True(InAppClassifier.IsInApp(new StackFrame("/x/node_modules/a.js", 1, 1, "f", InApp: true)));
        Assert.False(InAppClassifier.IsInApp(new StackFrame("/var/task/src/a.js", 1, 1, "f", InApp: false)));
    }
}
