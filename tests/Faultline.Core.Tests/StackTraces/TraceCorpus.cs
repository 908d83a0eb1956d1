using Faultline.Core.StackTraces;

namespace Faultline.Core.Tests.StackTraces;

/// <summary>
/// Real-world trace shapes, adapted from public bug reports (Next.js, Vercel, ASP.NET Core, Django, Flask,
/// FastAPI, Go services, Rails, Sidekiq, Spring, Kotlin); names and paths are our own.
/// </summary>
internal static class TraceCorpus
{
    public static readonly IReadOnlyList<TraceCase> Cases =
    [
        new(
            "next-app-router-rsc-webpack-internal",
            """"
            TypeError: Cannot read properties of undefined (reading 'map')
                at ProductList (webpack-internal:///(rsc)/./app/products/page.tsx:24:31)
                at stringify (<anonymous>)
                at renderToReadableStream (webpack-internal:///(rsc)/./node_modules/next/dist/compiled/react-server-dom-webpack/cjs/react-server-dom-webpack-server.edge.development.js:1502:18)
                at async Promise.all (index 0)
            """",
            "app/products/page.tsx", 24, 31, "TypeError", [], []),
        new(
            "next-dev-ssr-marker-src-dir",
            """"
             ⨯ TypeError: Cannot read properties of null (reading 'items')
                at CartSummary (webpack-internal:///(ssr)/./src/components/CartSummary.tsx:41:19)
                at renderWithHooks (webpack-internal:///(ssr)/../../node_modules/.pnpm/next@14.2.3_react-dom@18.3.1_react@18.3.1/node_modules/next/dist/compiled/react-dom/cjs/react-dom-server.edge.development.js:5658:16)
                at renderIndeterminateComponent (webpack-internal:///(ssr)/../../node_modules/.pnpm/next@14.2.3_react-dom@18.3.1_react@18.3.1/node_modules/next/dist/compiled/react-dom/cjs/react-dom-server.edge.development.js:5731:15)
            """",
            "src/components/CartSummary.tsx", 41, 19, "TypeError", [], []),
        new(
            "next-pages-api-webpack-internal-dot",
            """"
            Error: Order 8812 not found
                at handler (webpack-internal:///./pages/api/orders/[id].ts:17:11)
                at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
                at async Object.apiResolver (/Users/dev/shop/node_modules/next/dist/server/api-utils/node.js:372:9)
                at async DevServer.runApi (/Users/dev/shop/node_modules/next/dist/server/next-server.js:488:9)
            """",
            "pages/api/orders/[id].ts", 17, 11, "Error", [], []),
        new(
            "vercel-lambda-var-task-with-node-modules",
            """"
            error: relation "orders" does not exist
                at Parser.parseErrorMessage (/var/task/node_modules/pg-protocol/dist/parser.js:287:98)
                at Parser.handlePacket (/var/task/node_modules/pg-protocol/dist/parser.js:126:29)
                at async listOrders (/var/task/src/lib/db.js:31:18)
                at async handler (/var/task/src/routes/orders.js:9:20)
            """",
            "src/lib/db.js", 31, 18, "error", [], []),
        new(
            "vercel-monorepo-apps-web",
            """"
            Error: Stripe key missing
                at createCheckoutSession (/var/task/apps/web/src/lib/stripe.ts:88:13)
                at POST (/var/task/apps/web/.next/server/app/api/checkout/route.js:1:912)
                at /var/task/node_modules/next/dist/compiled/next-server/app-route.runtime.prod.js:6:36957
            """",
            "apps/web/src/lib/stripe.ts", 88, 13, "Error", [], []),
        new(
            "vercel-build-path0-packages",
            """"
            RangeError: Invalid time value
                at Date.toISOString (<anonymous>)
                at formatDate (/vercel/path0/packages/api/src/util/dates.ts:12:7)
                at getStaticProps (/vercel/path0/packages/api/src/routes/users.ts:40:21)
            """",
            "packages/api/src/util/dates.ts", 12, 7, "RangeError", [], []),
        new(
            "next-production-compiled-bundle",
            """"
            TypeError: fetch failed
                at node:internal/deps/undici/undici:12345:11
                at async GET (/var/task/.next/server/app/api/checkout/route.js:1:2345)
                at async /var/task/node_modules/next/dist/compiled/next-server/app-route.runtime.prod.js:6:38503
            """",
            ".next/server/app/api/checkout/route.js", 1, 2345, "TypeError", ["compiled_bundle"], []),
        new(
            "node-esm-file-url-async",
            """"
            SyntaxError: Unexpected token < in JSON at position 0
                at JSON.parse (<anonymous>)
                at loadConfig (file:///usr/src/app/src/config.mjs:14:20)
                at async main (file:///usr/src/app/src/server.mjs:45:11)
            """",
            "src/config.mjs", 14, 20, "SyntaxError", [], []),
        new(
            "node-anonymous-frames-app-root",
            """"
            Error: ECONNRESET
                at /app/src/jobs/sync.js:10:5
                at Array.forEach (<anonymous>)
                at node:internal/process/task_queues:140:7
                at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
            """",
            "src/jobs/sync.js", 10, 5, "Error", [], []),
        new(
            "node-uncaught-with-source-preamble",
            """"
            /home/runner/work/api/api/dist/index.js:12
                throw new Error('boom');
                ^

            Error: boom
                at Object.<anonymous> (/home/runner/work/api/api/dist/index.js:12:11)
                at Module._compile (node:internal/modules/cjs/loader:1256:14)
                at Module._extensions..js (node:internal/modules/cjs/loader:1310:10)
                at node:internal/main/run_main_module:23:47

            Node.js v20.11.0
            """",
            "dist/index.js", 12, 11, "Error", [], []),
        new(
            "node-err-code-only-internal-frames",
            """"
            Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from /app/src/index.js
                at packageResolve (node:internal/modules/esm/resolve:854:9)
                at moduleResolve (node:internal/modules/esm/resolve:927:18)
                at defaultResolve (node:internal/modules/esm/resolve:1157:11)
            """",
            null, null, null, "Error", ["no_in_app_frame"], []),
        new(
            "sentry-rewriteframes-app-url",
            """"
            Error: Payment declined
                at chargeCard (app:///src/server/payments.ts:30:9)
                at async checkoutAction (app:///src/server/actions.ts:12:3)
            """",
            "src/server/payments.ts", 30, 9, "Error", [], []),
        new(
            "chrome-next-static-chunk",
            """"
            Uncaught TypeError: Cannot read properties of undefined (reading 'price')
                at onClick (https://shop.example.com/_next/static/chunks/app/cart/page-3f2a9c1b.js:1:4567)
                at Object.Rb (https://shop.example.com/_next/static/chunks/framework-8883d1e9be70c3da.js:9:14982)
            """",
            "_next/static/chunks/app/cart/page-3f2a9c1b.js", 1, 4567, "TypeError", ["compiled_bundle"], []),
        new(
            "firefox-webpack-source-mapped",
            """"
            TypeError: form.elements is undefined
            handleSubmit@webpack:///./src/components/SignupForm.jsx:22:13
            callCallback@webpack:///./node_modules/react-dom/cjs/react-dom.development.js:3945:14
            """",
            "src/components/SignupForm.jsx", 22, 13, "TypeError", [], []),
        new(
            "node-windows-dev-machine",
            """"
            ReferenceError: cart is not defined
                at main (C:\Users\dev\shop\src\index.ts:5:9)
                at Object.<anonymous> (C:\Users\dev\shop\node_modules\tsx\dist\cli.js:1:100)
            """",
            "src/index.ts", 5, 9, "ReferenceError", [], []),
        new(
            "aspnetcore-github-actions-build",
            """"
            System.InvalidOperationException: Sequence contains no elements
               at System.Linq.ThrowHelper.ThrowNoElementsException()
               at System.Linq.Enumerable.First[TSource](IEnumerable`1 source)
               at Shop.Api.Controllers.OrdersController.Get(Int32 id) in /home/runner/work/shop/shop/src/Shop.Api/Controllers/OrdersController.cs:line 42
               at lambda_method5(Closure, Object, Object[])
               at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.SyncActionResultExecutor.Execute(ActionContext actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, Object[] arguments)
            --- End of stack trace from previous location ---
               at Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.<InvokeNextActionFilterAsync>g__Awaited|10_0(ControllerActionInvoker invoker, Task lastTask, State next, Scope scope, Object state, Boolean isCompleted)
               at Microsoft.AspNetCore.Routing.EndpointMiddleware.<Invoke>g__AwaitRequestTask|6_0(Endpoint endpoint, Task requestTask, ILogger logger)
            """",
            "src/Shop.Api/Controllers/OrdersController.cs", 42, null, "System.InvalidOperationException", [], []),
        new(
            "dotnet-inner-exception-root-cause",
            """"
            System.InvalidOperationException: Could not load cart
             ---> System.NullReferenceException: Object reference not set to an instance of an object.
               at Shop.Services.CartService.Load(Guid cartId) in /app/src/Shop/Services/CartService.cs:line 57
               at Shop.Services.CartService.GetTotal(Guid cartId) in /app/src/Shop/Services/CartService.cs:line 31
               --- End of inner exception stack trace ---
               at Shop.Handlers.CartHandler.Handle(Guid cartId) in /app/src/Shop/Handlers/CartHandler.cs:line 23
               at Shop.Program.<Main>$(String[] args) in /app/src/Shop/Program.cs:line 12
            """",
            "src/Shop/Services/CartService.cs", 57, null, "System.NullReferenceException", [], []),
        new(
            "aspnetcore-azure-kudu-windows-async",
            """"
            System.ArgumentException: Host header missing
               at Stables.Web.Middleware.CrawlerMiddleware.<Invoke>d__3.MoveNext() in D:\home\site\repository\src\Stables.Web\Middleware\CrawlerMiddleware.cs:line 25
            --- End of stack trace from previous location where exception was thrown ---
               at System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw()
               at System.Runtime.CompilerServices.TaskAwaiter.HandleNonSuccessAndDebuggerNotification(Task task)
               at Stables.Web.Middleware.HeartbeatMiddleware.<Invoke>d__2.MoveNext() in D:\home\site\repository\src\Stables.Web\Middleware\HeartbeatMiddleware.cs:line 28
            --- End of stack trace from previous location where exception was thrown ---
               at Microsoft.AspNetCore.Cors.Infrastructure.CorsMiddleware.<Invoke>d__7.MoveNext()
            """",
            "src/Stables.Web/Middleware/CrawlerMiddleware.cs", 25, null, "System.ArgumentException", [], []),
        new(
            "dotnet-console-unhandled-top-level",
            """"
            Unhandled exception. System.ArgumentNullException: Value cannot be null. (Parameter 'source')
               at System.Linq.ThrowHelper.ThrowArgumentNullException(ExceptionArgument argument)
               at System.Linq.Enumerable.Count[TSource](IEnumerable`1 source)
               at Program.<Main>$(String[] args) in /usr/src/app/Program.cs:line 8
            """",
            "Program.cs", 8, null, "System.ArgumentNullException", [], []),
        new(
            "aspnetcore-kestrel-log-minimal-api",
            """"
            fail: Microsoft.AspNetCore.Server.Kestrel[13]
                  Connection id "0HN1QK9R8B2P4", Request id "0HN1QK9R8B2P4:00000002": An unhandled exception was thrown by the application.
                  System.InvalidOperationException: No invoice 77
                     at Billing.Api.Endpoints.InvoiceEndpoints.<>c.<MapInvoices>b__0_0(Int32 id) in /app/src/Billing.Api/Endpoints/InvoiceEndpoints.cs:line 19
                     at lambda_method1(Closure, Object, HttpContext)
                     at Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol.ProcessRequests[TContext](IHttpApplication`1 application)
            """",
            "src/Billing.Api/Endpoints/InvoiceEndpoints.cs", 19, null, "System.InvalidOperationException", [], []),
        new(
            "dotnet-release-without-pdb",
            """"
            System.FormatException: The input string 'abc' was not in a correct format.
               at System.Number.ThrowFormatException[TChar](ReadOnlySpan`1 value)
               at System.Int32.Parse(String s)
               at Shop.Import.CsvReader.ReadQuantity(String cell)
               at Shop.Import.CsvReader.ReadLine(String line)
            """",
            null, null, null, "System.FormatException", ["no_in_app_frame"], []),
        new(
            "efcore-dbupdate-inner-npgsql-only",
            """"
            Microsoft.EntityFrameworkCore.DbUpdateException: An error occurred while saving the entity changes. See the inner exception for details.
             ---> Npgsql.PostgresException (0x80004005): 23505: duplicate key value violates unique constraint "ix_orders_number"
               at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)
               at Npgsql.NpgsqlDataReader.NextResult(Boolean async, Boolean isConsuming, CancellationToken cancellationToken)
               --- End of inner exception stack trace ---
               at Microsoft.EntityFrameworkCore.Update.ReaderModificationCommandBatch.ExecuteAsync(IRelationalConnection connection, CancellationToken cancellationToken)
               at Shop.Data.OrderRepository.SaveAsync(Order order, CancellationToken ct) in /home/runner/work/shop/shop/src/Shop.Data/OrderRepository.cs:line 61
               at Shop.Api.OrderEndpoints.Create(CreateOrder request, OrderRepository orders, CancellationToken ct) in /home/runner/work/shop/shop/src/Shop.Api/OrderEndpoints.cs:line 30
            """",
            "src/Shop.Data/OrderRepository.cs", 61, null, "Microsoft.EntityFrameworkCore.DbUpdateException", [], []),
        new(
            "dotnet-windows-dev-path-unmapped",
            """"
            System.DivideByZeroException: Attempted to divide by zero.
               at Shop.Controllers.HomeController.Index() in C:\Users\dev\source\repos\Shop\Shop\Controllers\HomeController.cs:line 30
               at lambda_method2(Closure, Object, Object[])
            """",
            null, 30, null, "System.DivideByZeroException", ["path_unmapped"], []),
        new(
            "django-view-keyerror",
            """"
            Internal Server Error: /checkout/
            Traceback (most recent call last):
              File "/usr/local/lib/python3.12/site-packages/django/core/handlers/exception.py", line 55, in inner
                response = get_response(request)
              File "/usr/local/lib/python3.12/site-packages/django/core/handlers/base.py", line 197, in _get_response
                response = wrapped_callback(request, *callback_args, **callback_kwargs)
              File "/app/shop/views.py", line 42, in checkout
                cart_id = request.session["cart_id"]
              File "/usr/local/lib/python3.12/site-packages/django/contrib/sessions/backends/base.py", line 53, in __getitem__
                return self._session[key]
            KeyError: 'cart_id'
            """",
            "shop/views.py", 42, null, "KeyError", [], []),
        new(
            "django-integrity-error-direct-cause",
            """"
            Traceback (most recent call last):
              File "/usr/local/lib/python3.11/site-packages/django/db/backends/utils.py", line 89, in _execute
                return self.cursor.execute(sql, params)
            psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "orders_number_key"
            DETAIL:  Key (number)=(A-1001) already exists.


            The above exception was the direct cause of the following exception:

            Traceback (most recent call last):
              File "/usr/src/app/orders/services.py", line 88, in create_order
                order.save()
              File "/usr/local/lib/python3.11/site-packages/django/db/models/base.py", line 814, in save
                self.save_base(
              File "/usr/local/lib/python3.11/site-packages/django/db/backends/utils.py", line 89, in _execute
                return self.cursor.execute(sql, params)
            django.db.utils.IntegrityError: duplicate key value violates unique constraint "orders_number_key"
            DETAIL:  Key (number)=(A-1001) already exists.
            """",
            "orders/services.py", 88, null, "django.db.utils.IntegrityError", [], []),
        new(
            "flask-github-actions-venv",
            """"
            [2024-03-02 10:11:12,345] ERROR in app: Exception on /posts/7 [GET]
            Traceback (most recent call last):
              File "/home/runner/work/blog/blog/.venv/lib/python3.11/site-packages/flask/app.py", line 1463, in wsgi_app
                response = self.full_dispatch_request()
              File "/home/runner/work/blog/blog/.venv/lib/python3.11/site-packages/flask/app.py", line 799, in dispatch_request
                return self.ensure_sync(self.view_functions[rule.endpoint])(**view_args)
              File "/home/runner/work/blog/blog/src/blog/routes.py", line 31, in post
                ratio = likes / views
            ZeroDivisionError: division by zero
            """",
            "src/blog/routes.py", 31, null, "ZeroDivisionError", [], []),
        new(
            "fastapi-lambda-var-task",
            """"
            Traceback (most recent call last):
              File "/var/lang/lib/python3.12/asyncio/runners.py", line 118, in run
                return self._loop.run_until_complete(task)
              File "/var/task/app/api/routes.py", line 19, in get_item
                raise ValueError(f"bad item id {item_id}")
            ValueError: bad item id 42
            """",
            "app/api/routes.py", 19, null, "ValueError", [], []),
        new(
            "python-311-carets",
            """"
            Traceback (most recent call last):
              File "/app/worker/main.py", line 30, in <module>
                run()
                ~~~^^
              File "/app/worker/tasks.py", line 12, in process
                total = price * qty + None
                        ~~~~~~~~~~~~^~~~~~
            TypeError: unsupported operand type(s) for +: 'int' and 'NoneType'
            """",
            "worker/tasks.py", 12, null, "TypeError", [], []),
        new(
            "python-during-handling-last-traceback",
            """"
            Traceback (most recent call last):
              File "/app/billing/invoice.py", line 20, in render
                rate = RATES[currency]
            KeyError: 'CHF'

            During handling of the above exception, another exception occurred:

            Traceback (most recent call last):
              File "/app/billing/jobs.py", line 8, in run
                render(invoice)
              File "/app/billing/invoice.py", line 22, in render
                raise RuntimeError("unsupported currency") from None
            RuntimeError: unsupported currency
            """",
            "billing/invoice.py", 22, null, "RuntimeError", [], []),
        new(
            "python-opt-path-heuristic-src",
            """"
            Traceback (most recent call last):
              File "manage.py", line 22, in <module>
                main()
              File "/usr/lib/python3/dist-packages/click/core.py", line 1157, in __call__
                return self.main(*args, **kwargs)
              File "/opt/etl/src/etl/load.py", line 64, in load_rows
                int(row["qty"])
            ValueError: invalid literal for int() with base 10: 'n/a'
            """",
            "src/etl/load.py", 64, null, "ValueError", [], []),
        new(
            "python-frozen-importlib",
            """"
            Traceback (most recent call last):
              File "/app/manage.py", line 10, in <module>
                import config.settings
              File "<frozen importlib._bootstrap>", line 1360, in _find_and_load
              File "<frozen importlib._bootstrap>", line 1331, in _find_and_load_unlocked
              File "/app/config/settings.py", line 5, in <module>
                import environ
            ModuleNotFoundError: No module named 'environ'
            """",
            "config/settings.py", 5, null, "ModuleNotFoundError", [], []),
        new(
            "go-nil-pointer-http-handler",
            """"
            panic: runtime error: invalid memory address or nil pointer dereference
            [signal SIGSEGV: segmentation violation code=0x1 addr=0x28 pc=0x6d1f3a]

            goroutine 1 [running]:
            github.com/acme/orders/internal/server.(*Server).handleOrder(0xc000123450, {0x7f1e2c, 0xc0001a2000}, 0xc0001b4000)
            	/home/runner/work/orders/orders/internal/server/orders.go:57 +0x1d2
            net/http.HandlerFunc.ServeHTTP(0xc000010000?, {0x7f1e2c?, 0xc0001a2000?}, 0x0?)
            	/usr/local/go/src/net/http/server.go:2136 +0x29
            main.main()
            	/home/runner/work/orders/orders/cmd/orders/main.go:22 +0x8e
            exit status 2
            """",
            "internal/server/orders.go", 57, null, "panic", [], []),
        new(
            "go-http-panic-serving-index",
            """"
            2024/01/01 10:00:00 http: panic serving 10.0.0.1:54321: runtime error: index out of range [3] with length 3
            goroutine 34 [running]:
            net/http.(*conn).serve.func1()
            	/usr/local/go/src/net/http/server.go:1868 +0xb9
            panic({0x6e4b40?, 0xc0000a2018?})
            	/usr/local/go/src/runtime/panic.go:920 +0x270
            github.com/acme/shop/internal/cart.Total(...)
            	/app/internal/cart/total.go:14
            github.com/acme/shop/internal/cart.(*Handler).ServeHTTP(0xc00009e000, {0x7a2b40, 0xc0000f4000}, 0xc0000f2000)
            	/app/internal/cart/handler.go:31 +0x5a
            """",
            "internal/cart/total.go", 14, null, "panic", [], []),
        new(
            "go-gopath-created-by",
            """"
            panic: runtime error: invalid memory address or nil pointer dereference
            [signal SIGSEGV: segmentation violation code=0x1 addr=0xa0 pc=0x4d0ca6]

            goroutine 154 [running]:
            os/exec.(*Cmd).Wait(0x0, 0x5bc683, 0xc42000a060)
                  /usr/local/go/src/os/exec/exec.go:453 +0x26
            github.com/acme/gaper.(*runner).runBin.func1(0xc4200b2000)
                  /go/src/github.com/acme/gaper/runner.go:159 +0x2f
            created by github.com/acme/gaper.(*runner).runBin
                  /go/src/github.com/acme/gaper/runner.go:158 +0x25d
            """",
            "runner.go", 159, null, "panic", [], []),
        new(
            "go-trimpath-module-paths",
            """"
            panic: unknown plan "gold" [recovered]
            	panic: unknown plan "gold"

            goroutine 1 [running]:
            runtime/debug.Stack()
            	runtime/debug/stack.go:24 +0x5e
            github.com/acme/api/internal/billing.PlanFor({0xc000014090, 0x4})
            	github.com/acme/api/internal/billing/plans.go:42 +0x1d
            main.main()
            	github.com/acme/api/cmd/server/main.go:18 +0x25
            """",
            "internal/billing/plans.go", 42, null, "panic", [], []),
        new(
            "go-first-goroutine-only",
            """"
            panic: runtime error: slice bounds out of range [:5] with capacity 3

            goroutine 1 [running]:
            main.ReadRoutines(0xc000228000, 0xa1, 0x200, 0x10, 0xff, 0x0, 0x0, 0x0)
            	/Users/dev/go/src/github.com/acme/grmon/parse.go:76 +0x19c
            main.main()
            	/Users/dev/go/src/github.com/acme/grmon/main.go:202 +0xe7

            goroutine 6 [chan send]:
            main.poll(0x105a2f0, 0x0)
            	/Users/dev/go/src/github.com/acme/grmon/client.go:38 +0x17c
            created by main.main in goroutine 1
            	/Users/dev/go/src/github.com/acme/grmon/main.go:190 +0x26
            """",
            "parse.go", 76, null, "panic", [], []),
        new(
            "go-fatal-error-concurrent-map",
            """"
            fatal error: concurrent map writes

            goroutine 7 [running]:
            runtime.throw({0x4b8e2f?, 0x0?})
            	/usr/local/go/src/runtime/panic.go:1047 +0x5d fp=0xc000049f38 sp=0xc000049f08 pc=0x434cfd
            runtime.mapassign_faststr(0x0?, 0x0?, {0x4b6b1a, 0x3})
            	/usr/local/go/src/runtime/map_faststr.go:205 +0x3b0 fp=0xc000049fa0 sp=0xc000049f38 pc=0x412870
            main.(*Cache).Set(...)
            	/app/cache/cache.go:31
            main.worker(0xc00001c0c0)
            	/app/cache/worker.go:12 +0x65 fp=0xc000049fe0 sp=0xc000049fa0 pc=0x48fd85
            created by main.main in goroutine 1
            	/app/main.go:20 +0x4f
            """",
            "cache/cache.go", 31, null, "fatal error", [], []),
        new(
            "rails-log-relative-backtrace",
            """"
            NoMethodError (undefined method `name' for nil:NilClass):

            app/controllers/homepage_controller.rb:28:in `index'
            config/initializers/oneline_logging.rb:31:in `block (2 levels) in <top (required)>'
            lib/rack_middleware/custom_domain_cookie.rb:20:in `call'
            """",
            "app/controllers/homepage_controller.rb", 28, null, "NoMethodError", [], []),
        new(
            "ruby-34-uncaught-heroku-app-root",
            """"
            /app/app/models/cart.rb:10:in 'Cart#total': undefined method 'sum' for nil (NoMethodError)
            	from /app/app/services/checkout.rb:5:in 'Checkout.call'
            	from /app/vendor/bundle/ruby/3.4.0/gems/sidekiq-7.2.0/lib/sidekiq/processor.rb:202:in 'Sidekiq::Processor#execute_job'
            """",
            "app/models/cart.rb", 10, null, "NoMethodError", [], []),
        new(
            "rails-capistrano-gems-newest",
            """"
            ActiveRecord::RecordNotFound (Couldn't find Order with 'id'=42):
              /var/www/shop/shared/bundle/ruby/3.2.0/gems/activerecord-7.1.2/lib/active_record/core.rb:253:in `find'
              /var/www/shop/releases/20240101120000/app/models/order.rb:55:in `total'
              /var/www/shop/releases/20240101120000/app/controllers/orders_controller.rb:12:in `show'
              /var/www/shop/shared/bundle/ruby/3.2.0/gems/actionpack-7.1.2/lib/action_controller/metal/basic_implicit_render.rb:6:in `send_action'
            """",
            "app/models/order.rb", 55, null, "ActiveRecord::RecordNotFound", [], []),
        new(
            "sidekiq-job-usr-src-app",
            """"
            Faraday::TimeoutError: execution expired
              /usr/local/bundle/gems/faraday-2.7.10/lib/faraday/adapter/net_http.rb:69:in `rescue in call'
              /usr/src/app/app/jobs/sync_job.rb:14:in `perform'
              /usr/local/bundle/gems/sidekiq-7.1.2/lib/sidekiq/processor.rb:202:in `execute_job'
            """",
            "app/jobs/sync_job.rb", 14, null, "Faraday::TimeoutError", [], []),
        new(
            "ruby-internal-frames",
            """"
            /app/lib/poller.rb:9:in 'block in Poller#run': poll failed (RuntimeError)
            	from <internal:kernel>:187:in 'Kernel#loop'
            	from /app/lib/poller.rb:7:in 'Poller#run'
            	from /app/bin/poll:4:in '<main>'
            """",
            "lib/poller.rb", 9, null, "RuntimeError", [], []),
        new(
            "spring-boot-npe-with-root-cause-log",
            """"
            2024-05-18 22:58:07.204 ERROR 27272 --- [nio-8080-exec-3] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause

            java.lang.NullPointerException: null
            	at com.acme.portal.controllers.PasswordController.reset(PasswordController.java:52) ~[classes/:na]
            	at sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method) ~[na:1.8.0_201]
            	at java.lang.reflect.Method.invoke(Method.java:498) ~[na:1.8.0_201]
            	at org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:190) ~[spring-web-5.2.5.RELEASE.jar:5.2.5.RELEASE]
            """",
            "com/acme/portal/controllers/PasswordController.java", 52, null, "java.lang.NullPointerException", [], []),
        new(
            "spring-bean-creation-caused-by",
            """"
            org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'billingConfig': Invocation of init method failed; nested exception is com.acme.billing.ConfigException: missing key billing.currency
            	at org.springframework.beans.factory.annotation.InitDestroyAnnotationBeanPostProcessor.postProcessBeforeInitialization(InitDestroyAnnotationBeanPostProcessor.java:160)
            	at org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1628)
            	at com.acme.billing.BillingApplication.main(BillingApplication.java:10)
            Caused by: com.acme.billing.ConfigException: missing key billing.currency
            	at com.acme.billing.config.BillingConfig.init(BillingConfig.java:33)
            	at sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
            	at java.lang.reflect.Method.invoke(Method.java:498)
            	... 25 common frames omitted
            """",
            "com/acme/billing/config/BillingConfig.java", 33, null, "com.acme.billing.ConfigException", [], []),
        new(
            "java-main-thread-modules",
            """"
            Exception in thread "main" java.lang.IllegalStateException: queue closed
            	at app//com.acme.cli.Worker.take(Worker.java:44)
            	at app//com.acme.cli.Main.run(Main.java:20)
            	at java.base/java.lang.Thread.run(Thread.java:833)
            """",
            "com/acme/cli/Worker.java", 44, null, "java.lang.IllegalStateException", [], []),
        new(
            "kotlin-top-level-function",
            """"
            java.lang.IllegalArgumentException: Required value was null.
            	at com.acme.shop.CartServiceKt.total(CartService.kt:14)
            	at com.acme.shop.CartController.show(CartController.kt:27)
            	at kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith(ContinuationImpl.kt:33)
            """",
            "com/acme/shop/CartService.kt", 14, null, "java.lang.IllegalArgumentException", [], []),
        new(
            "java-with-code-mapping",
            """"
            com.acme.orders.OutOfStockException: sku 881 out of stock
            	at com.acme.orders.OrderService.reserve(OrderService.java:118)
            	at com.acme.orders.OrderController.create(OrderController.java:40)
            	at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)
            """",
            "src/main/java/com/acme/orders/OrderService.java", 118, null, "com.acme.orders.OutOfStockException", [], [new CodeMapping("com/acme/", "src/main/java/com/acme/")]),
    ];

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var trace in Cases)
        {
            names.Add(trace.Name);
        }

        return names;
    }

    public static TraceCase Get(string name) => Cases.Single(trace => trace.Name == name);
}

internal sealed record TraceCase(
    string Name,
    string Trace,
    string? FilePath,
    int? LineNumber,
    int? ColumnNumber,
    string? ErrorType,
    IReadOnlyList<string> Notes,
    IReadOnlyList<CodeMapping> CodeMappings);
