using System.Buffers;
using System.Text.RegularExpressions;

namespace Faultline.Core.StackTraces;

/// <summary>
/// Decides whether a frame is the application's own code, from its path and function name alone.
/// Library, runtime and framework frames are not in-app: <c>node_modules</c>, Node builtins
/// (<c>node:</c>, <c>internal/</c>), Next.js internals, Python's <c>site-packages</c>/<c>dist-packages</c>
/// and standard library, Go's runtime and module cache, Ruby gems and standard library, .NET framework
/// namespaces (<c>System.</c>, <c>Microsoft.</c>, and the SDK defaults below) and JVM platform and
/// framework packages.
/// </summary>
internal static partial class InAppClassifier
{
    private static readonly string[] NotInAppPathFragments =
    [
        "/node_modules/", "next/dist/", "/webpack/bootstrap", "/webpack/runtime", "webpack-runtime.js",
        "/site-packages/", "/dist-packages/", "<frozen ", "/usr/lib/python", "/usr/local/lib/python",
        "/usr/local/go/src/", "/usr/lib/go/src/", "/usr/lib/golang/src/", "/go/pkg/mod/", "/pkg/mod/",
        "/opt/hostedtoolcache/go/",
        "/gems/", "/rubygems/", "<internal:",
        "/_next/static/chunks/framework-", "/_next/static/chunks/webpack-", "/_next/static/chunks/polyfills-",
        "/_next/static/chunks/main-",
    ];

    /// <summary><see cref="NotInAppPathFragments"/> searched in one pass.</summary>
    private static readonly SearchValues<string> NotInAppPathFragmentValues =
        SearchValues.Create(NotInAppPathFragments, StringComparison.OrdinalIgnoreCase);

    private static readonly string[] NotInAppPathPrefixes =
    [
        "node:", "internal/", "node_modules/", "native", "<anonymous>", "runtime/", "webpack/",
    ];

    /// <summary>.NET: the framework plus sentry-dotnet's default InAppExclude list (the common ones).</summary>
    private static readonly string[] DotNetFrameworkPrefixes =
    [
        "System.", "Microsoft.", "Mono.", "Sentry.", "Newtonsoft.Json.", "Npgsql.", "Dapper.", "Polly.",
        "Serilog.", "NLog.", "StackExchange.Redis.", "Grpc.", "MediatR.", "AutoMapper.", "FluentValidation.",
        "Swashbuckle.", "Hangfire.", "Autofac.", "Azure.", "Amazon.", "Google.", "MongoDB.", "RabbitMQ.",
    ];

    /// <summary>JVM: the platform and the frameworks almost every stack passes through.</summary>
    private static readonly string[] JvmFrameworkPrefixes =
    [
        "java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.", "scala.",
        "org.springframework.", "org.apache.", "org.hibernate.", "org.eclipse.jetty.", "io.netty.",
        "reactor.", "com.fasterxml.", "org.junit.", "groovy.", "org.codehaus.groovy.", "io.undertow.",
    ];

    public static bool IsInApp(StackFrame frame) => frame.InApp ?? Classify(frame.File, frame.Function, frame.Module);

    public static bool Classify(string? file, string? function, string? module = null)
    {
        if (string.IsNullOrWhiteSpace(file) && string.IsNullOrWhiteSpace(function))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(file))
        {
            var path = file.Length > StackTraceLimits.MaxPathChars ? file[..StackTraceLimits.MaxPathChars] : file;
            path = path.Replace('\\', '/');
            if (path.AsSpan().ContainsAny(NotInAppPathFragmentValues))
            {
                return false;
            }

            foreach (var prefix in NotInAppPathPrefixes)
            {
                if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            // Both patterns start with /lib/.
            if (path.Contains("/lib/", StringComparison.OrdinalIgnoreCase)
                && (PythonStandardLibrary().IsMatch(path) || RubyStandardLibrary().IsMatch(path)))
            {
                return false;
            }
        }

        var name = QualifiedNameSpan(module ?? function);
        if (!name.IsEmpty)
        {
            if (StartsWithAny(name, DotNetFrameworkPrefixes) || StartsWithAny(name, JvmFrameworkPrefixes)
                || name.StartsWith("runtime.", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return !string.IsNullOrEmpty(file);
    }

    /// <summary>
    /// The qualified name in a function as runtimes print it: sentry-dotnet's
    /// <c>async Task&lt;int&gt; Program.&lt;Main&gt;$(?)</c> becomes <c>Program.&lt;Main&gt;$</c>, Java's
    /// <c>java.base/java.lang.Thread.run</c> becomes <c>java.lang.Thread.run</c>.
    /// </summary>
    internal static string? QualifiedName(string? function)
    {
        var name = QualifiedNameSpan(function);
        return name.IsEmpty ? null : name.Length == function!.Length ? function : name.ToString();
    }

    /// <summary><see cref="QualifiedName"/> as a slice of <paramref name="function"/> (empty for <c>null</c>).</summary>
    private static ReadOnlySpan<char> QualifiedNameSpan(string? function)
    {
        if (string.IsNullOrWhiteSpace(function))
        {
            return default;
        }

        var text = function.AsSpan(0, Math.Min(function.Length, StackTraceLimits.MaxPathChars));
        var parenthesis = text.IndexOf('(');
        if (parenthesis > 0)
        {
            text = text[..parenthesis];
        }

        text = text.Trim();
        var space = text.LastIndexOf(' ');
        if (space >= 0)
        {
            text = text[(space + 1)..];
        }

        var slash = text.LastIndexOf('/');
        if (slash >= 0 && !text.Contains("(*", StringComparison.Ordinal))
        {
            text = text[(slash + 1)..];
        }

        return text;
    }

    private static bool StartsWithAny(ReadOnlySpan<char> value, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>CPython's standard library: <c>…/lib/python3.12/x.py</c> without <c>site-packages</c>.</summary>
    [GeneratedRegex(@"/lib/python\d(?:\.\d+)?/", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PythonStandardLibrary();

    /// <summary>Ruby's standard library: <c>/usr/local/lib/ruby/3.3.0/x.rb</c>.</summary>
    [GeneratedRegex(@"/lib/ruby/\d", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RubyStandardLibrary();
}
