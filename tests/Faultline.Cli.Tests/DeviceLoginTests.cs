using System.Net;
using System.Text;
using Faultline.Client;
using Faultline.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Faultline.Cli.Tests;

public sealed class DeviceLoginTests
{
    private static readonly DeviceAuthorization Authorization = new("device-1", "ABCD-1234", "https://github.com/login/device", 900, 5);

    [Fact]
    public async Task Wait_HonoursIntervalAndSlowDown_UntilApproved()
    {
        var (login, delays) = Create("authorization_pending", "slow_down", "authorization_pending", null);

        var (tokens, failure) = await login.WaitAsync(Authorization, TestContext.Current.CancellationToken);

        Assert.Null(failure);
        Assert.Equal("fl_at_ok", tokens!.AccessToken);
        Assert.Equal([5, 5, 10, 10], delays.Select(d => (int)d.TotalSeconds));
    }

    [Theory]
    [InlineData("access_denied", "denied")]
    [InlineData("expired_token", "expired")]
    public async Task Wait_WhenRefused_ReturnsTheReason(string error, string expected)
    {
        var (login, _) = Create("authorization_pending", error);

        var (tokens, failure) = await login.WaitAsync(Authorization, TestContext.Current.CancellationToken);

        Assert.Null(tokens);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    /// <summary>A client whose polls answer the given RFC 8628 errors in turn (null: the tokens).</summary>
    private static (DeviceLogin Login, List<TimeSpan> Delays) Create(params string?[] answers)
    {
        var queue = new Queue<string?>(answers);
        var client = new FaultlineClient(new Uri("http://faultline.test"), handler: new Answering(() => queue.Dequeue()));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var delays = new List<TimeSpan>();
        return (new DeviceLogin(client, time, (delay, _) =>
        {
            delays.Add(delay);
            time.Advance(delay);
            return Task.CompletedTask;
        }), delays);
    }

    private sealed class Answering(Func<string?> next) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(next() is { } error
                ? new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent($$"""{"error":"{{error}}"}""", Encoding.UTF8, "application/json") }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"access_token":"fl_at_ok","refresh_token":"fl_rt_ok","token_type":"Bearer","expires_in":3600}""", Encoding.UTF8, "application/json") });
    }
}
