using Dapper;
using Faultline.Contracts;
using Faultline.Core.Identifiers;
using Npgsql;

namespace Faultline.Server.Auth;

/// <summary>A poll's outcome: Faultline tokens, or an RFC 8628 error name (with the interval for slow_down).</summary>
internal sealed record DevicePollOutcome(TokenResponse? Tokens, string? Error, int Interval = 0);

/// <summary>
/// GitHub's device flow, proxied so that clients never hold the OAuth app's secret. The server keeps
/// the polling interval per device code (only its hash) and answers <c>slow_down</c> itself when a
/// client polls early, adding 5 seconds each time, before GitHub would.
/// </summary>
internal sealed class DeviceFlow(NpgsqlDataSource db, TimeProvider time, GitHubClient gitHub, UserStore users, SessionStore sessions, ILogger<DeviceFlow> logger)
{
    public const int SlowDownIncrementSeconds = 5;

    private const string InsertSql = """
        DELETE FROM device_authorizations WHERE expires_at < @Now;
        INSERT INTO device_authorizations (device_code_hash, interval_seconds, next_poll_at, expires_at, created_at)
        VALUES (@Hash, @Interval, @NextPollAt, @ExpiresAt, @Now);
        """;

    private const string SelectForUpdateSql = """
        SELECT interval_seconds AS IntervalSeconds, next_poll_at AS NextPollAt, expires_at AS ExpiresAt
        FROM device_authorizations WHERE device_code_hash = @Hash FOR UPDATE
        """;

    private const string ScheduleSql = """
        UPDATE device_authorizations SET interval_seconds = @Interval, next_poll_at = @NextPollAt WHERE device_code_hash = @Hash
        """;

    private const string DeleteSql = "DELETE FROM device_authorizations WHERE device_code_hash = @Hash";

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<DeviceStartResponse> StartAsync(CancellationToken cancellationToken)
    {
        var code = await gitHub.StartDeviceFlowAsync(cancellationToken);
        var now = Now;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            Hash = SecretToken.Hash(code.DeviceCode),
            code.Interval,
            NextPollAt = now.AddSeconds(code.Interval),
            ExpiresAt = now.AddSeconds(code.ExpiresIn),
            Now = now,
        }, cancellationToken: cancellationToken));
        return new DeviceStartResponse(code.DeviceCode, code.UserCode, code.VerificationUri, code.ExpiresIn, code.Interval);
    }

    public async Task<DevicePollOutcome> PollAsync(string deviceCode, CancellationToken cancellationToken)
    {
        var hash = SecretToken.Hash(deviceCode);
        int interval;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<DeviceRow>(new CommandDefinition(SelectForUpdateSql, new { Hash = hash }, transaction, cancellationToken: cancellationToken));
            if (row is null || row.ExpiresAt <= Now)
            {
                await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { Hash = hash }, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                return new DevicePollOutcome(null, "expired_token");
            }

            var early = Now < row.NextPollAt;
            interval = early ? row.IntervalSeconds + SlowDownIncrementSeconds : row.IntervalSeconds;
            await connection.ExecuteAsync(new CommandDefinition(ScheduleSql, new { Hash = hash, Interval = interval, NextPollAt = Now.AddSeconds(interval) }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            if (early)
            {
                return new DevicePollOutcome(null, "slow_down", interval);
            }
        }

        var answer = await gitHub.PollDeviceFlowAsync(deviceCode, cancellationToken);
        switch (answer)
        {
            case { AccessToken: { Length: > 0 } gitHubToken }:
                await ForgetAsync(hash, cancellationToken);
                var user = await gitHub.GetUserAsync(gitHubToken, cancellationToken);
                var userId = await users.UpsertAsync(user, cancellationToken);
                Log.SignedIn(logger, user.Login, user.Id, "device");
                return new DevicePollOutcome(await sessions.CreateAsync(userId, SessionKind.Device, gitHubToken, cancellationToken), null);
            case { Error: "slow_down" }:
                interval = Math.Max(answer.Interval ?? 0, interval + SlowDownIncrementSeconds);
                await RescheduleAsync(hash, interval, cancellationToken);
                return new DevicePollOutcome(null, "slow_down", interval);
            case { Error: "expired_token" or "access_denied" or "authorization_pending" }:
                if (answer.Error != "authorization_pending")
                {
                    await ForgetAsync(hash, cancellationToken);
                }

                return new DevicePollOutcome(null, answer.Error, interval);
            default:
                // incorrect_client_credentials, device_flow_disabled, unsupported_grant_type, …: the server's setup.
                throw new HttpRequestException($"GitHub refused the device grant: {answer.Error}");
        }
    }

    private async Task RescheduleAsync(byte[] hash, int interval, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ScheduleSql, new { Hash = hash, Interval = interval, NextPollAt = Now.AddSeconds(interval) }, cancellationToken: cancellationToken));
    }

    private async Task ForgetAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { Hash = hash }, cancellationToken: cancellationToken));
    }

    private sealed record DeviceRow(int IntervalSeconds, DateTime NextPollAt, DateTime ExpiresAt);
}
