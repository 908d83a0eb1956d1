using Faultline.Client;
using Faultline.Contracts;

namespace Faultline.Cli;

/// <summary>
/// Polls the device flow (RFC 8628) until the user approves: every <c>interval</c> seconds, five
/// more after each <c>slow_down</c>, giving up when the code expires or the user denies.
/// </summary>
internal sealed class DeviceLogin(FaultlineClient client, TimeProvider time, Func<TimeSpan, CancellationToken, Task> delay)
{
    public const int SlowDownSeconds = 5;

    /// <summary>The tokens, or the reason there are none (for the user).</summary>
    public async Task<(TokenPair? Tokens, string? Failure)> WaitAsync(DeviceAuthorization authorization, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, authorization.Interval));
        var deadline = time.GetUtcNow().AddSeconds(authorization.ExpiresIn);
        while (time.GetUtcNow() < deadline)
        {
            await delay(interval, cancellationToken);
            var result = await client.PollDeviceAuthorizationAsync(authorization.DeviceCode, cancellationToken);
            switch (result)
            {
                case { Tokens: { } tokens }:
                    return (tokens, null);
                case { Error: "authorization_pending" }:
                    break;
                case { Error: "slow_down" }:
                    interval += TimeSpan.FromSeconds(SlowDownSeconds);
                    break;
                case { Error: "access_denied" }:
                    return (null, "Sign-in was denied in the browser.");
                case { Error: "expired_token" }:
                    return (null, "The code expired before it was approved; run `faultline login` again.");
                default:
                    return (null, $"The server refused the sign-in ({result.Error}).");
            }
        }

        return (null, "The code expired before it was approved; run `faultline login` again.");
    }
}
