// Incidents API query benchmark (issue 5 part 3): starts faultline-server in local mode with its
// embedded PostgreSQL, signs in through POST /api/v1/auth/local, loads 1,000,000 incidents across
// 1,000 projects by binary COPY (the signed-in user's project holds 200,000, 10% open), VACUUM ANALYZEs,
// then for each request kind runs 16 concurrent clients for 20 s through HTTP and the same SQL
// (the server's own query text) directly with Npgsql, and prints p50/p95/p99 of both and the ratio.
// Options: --seconds N (default 20), --incidents N (default 1000000), --clients N (default 16),
// --data DIR (a data directory kept afterwards; loaded only when empty, so later runs skip the load),
// --kind PREFIX (only the request kinds whose name starts with it, e.g. "groups"),
// --driver=dotnet (HttpClient for the HTTP side even when wrk is installed).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Faultline.Bench;
using Faultline.Bench.Queries;
using Faultline.Server.Incidents;
using Npgsql;

var seconds = ArgValue("--seconds", 20);
var incidents = ArgValue("--incidents", 1_000_000);
var clients = ArgValue("--clients", 16);
Console.WriteLine($"Queries benchmark: {incidents:N0} incidents, {clients} clients, {seconds} s per kind, {Environment.ProcessorCount} cores");

using var server = BenchServer.Start(dataDirectory: ArgText("--data"));
// As the server's own data source (DatabaseExtensions.CreateDataSource): statements prepared
// automatically, 64 KB reads, no reset when a connection goes back to the pool.
await using var db = NpgsqlDataSource.Create(server.ConnectionString + $";Maximum Pool Size={clients + 4};Max Auto Prepare=64;Read Buffer Size=65536;No Reset On Close=true");
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress };

// Local mode: the first local sign-in creates the local user (github_id 0); the big project is theirs.
var signIn = await http.PostAsync("/api/v1/auth/local", null);
var token = (await signIn.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
var userId = (Guid)(await db.CreateCommand("SELECT id FROM users WHERE github_id = 0").ExecuteScalarAsync())!;

var present = (long)(await db.CreateCommand("SELECT count(*) FROM incidents").ExecuteScalarAsync())!;
if (present == 0)
{
    var load = Stopwatch.StartNew();
    await DataLoader.LoadAsync(db, userId, incidents);
    Console.WriteLine($"loaded:  {incidents:N0} incidents by COPY + VACUUM ANALYZE + CHECKPOINT in {load.Elapsed.TotalSeconds:0} s");
}
else
{
    incidents = (int)present;
    Console.WriteLine($"reused:  {present:N0} incidents already in {server.DataDirectory}");
}

var bigProjectId = (Guid)(await db.CreateCommand($"SELECT id FROM projects WHERE repo_full_name = '{DataLoader.BigRepository}'").ExecuteScalarAsync())!;
var list = $"/api/v1/repos/{DataLoader.BigRepository}/incidents";
var groups = $"/api/v1/repos/{DataLoader.BigRepository}/incident-groups";
// 50 pages deep, or less for a quick run with fewer incidents (the big project holds a fifth, 10% open).
var depth = Math.Min(50, (incidents / 5 / 10 / IncidentFilter.DefaultLimit) - 1);
var (deepCursor, etag) = await WalkAsync(http, list, depth);
IncidentCursor.TryDecode(deepCursor, out var cursor);
var parameters = new IncidentListParameters("open", null, null, null, null, IncidentFilter.DefaultLimit, null);

// The raw side of each kind: what the server sends to PostgreSQL for it (its own statements,
// text and parameters), run directly with Npgsql.
NpgsqlBatch ListBatch(IncidentListParameters filter, string columns) => IncidentQueries.ListBatch(userId, DataLoader.BigRepository, filter, columns);
NpgsqlBatch GroupsBatch(IncidentListParameters filter)
{
    // The groups statement with the parameters Dapper sends for it: the values' properties it names.
    var sql = IncidentQueries.ListGroupsSql(filter, bigProjectId);
    var command = new NpgsqlBatchCommand(sql);
    var values = IncidentQueries.Parameters(userId, DataLoader.BigRepository, filter);
    foreach (var property in values.GetType().GetProperties().Where(p => sql.Contains("@" + p.Name, StringComparison.Ordinal)))
    {
        command.Parameters.Add(new NpgsqlParameter(property.Name, property.GetValue(values) ?? DBNull.Value));
    }

    return new NpgsqlBatch { BatchCommands = { command } };
}

var kinds = new (string Name, string Url, string? IfNoneMatch, Func<NpgsqlBatch> Raw)[]
{
    ("open list, first page", list, null, () => ListBatch(parameters, IncidentRow.ListColumns)),
    ($"open list, page {depth + 1}", $"{list}?cursor={deepCursor}", null, () => ListBatch(parameters with { Cursor = cursor }, IncidentRow.ListColumns)),
    ("groups, first page", groups, null, () => GroupsBatch(parameters)),
    ("304 (open list)", list, etag, () => ListBatch(parameters, IncidentRow.VersionColumns)),
};

// wrk (Debian's package), when installed, drives the HTTP side: an HttpClient in this process
// spends almost as much CPU reading a 100 KB page as the server spends writing it, on the same two cores.
var useWrk = !args.Contains("--driver=dotnet") && Wrk.IsInstalled;
Console.WriteLine($"driver:  {(useWrk ? "wrk" : "HttpClient")} for HTTP, Npgsql for the raw SQL");
Console.WriteLine();
Console.WriteLine($"{"kind",-22} {"requests",9} {"p50",7} {"p95",7} {"p99",7} | {"raw p50",7} {"p95",7} {"p99",7} | {"ratio",5}");
var met = true;
// The server's code is tiered up by the JIT over the first seconds of load, slowly when the two
// cores are busy serving: 20 s of the first page's load first, so that every kind is measured in
// the steady state a long-running server is in. The raw side's code here gets the same 20 s.
if (useWrk)
{
    await Wrk.GetAsync(new Uri(server.BaseAddress, list), new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" }, 200, clients, 10);
}
else
{
    await MeasureAsync(clients, 10, static () => default, async () => (await http.GetAsync(list)).IsSuccessStatusCode);
}

await MeasureAsync(clients, 17, static () => default, () => RawQueryAsync(db, kinds[0].Raw));

var only = ArgText("--kind");
CpuTimes Cpu() => CpuTimes.Read(server.ProcessId, server.DataDirectory);
var cpuLines = new List<string>();
foreach (var kind in kinds.Where(k => only is null || k.Name.StartsWith(only, StringComparison.Ordinal)))
{
    var expected = kind.IfNoneMatch is null ? HttpStatusCode.OK : HttpStatusCode.NotModified;
    var (served, servedCpu) = useWrk
        ? await Wrk.GetAsync(
            new Uri(server.BaseAddress, kind.Url),
            kind.IfNoneMatch is { } ifNoneMatch ? new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}", ["If-None-Match"] = ifNoneMatch } : new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
            (int)expected, clients, seconds, Cpu)
        : await MeasureAsync(clients, seconds, Cpu, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, kind.Url);
            if (kind.IfNoneMatch is { } tag)
            {
                request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(tag));
            }

            using var response = await http.SendAsync(request);
            await response.Content.CopyToAsync(Stream.Null);
            return response.StatusCode == expected;
        });
    var (raw, rawCpu) = await MeasureAsync(clients, seconds, Cpu, () => RawQueryAsync(db, kind.Raw));
    var ratio = served.P50 / raw.P50;
    met &= served.P99 < 20 && ratio <= 2 && served.Unexpected == 0;
    Console.WriteLine($"{kind.Name,-22} {served.Count,9} {served.P50,7:0.00} {served.P95,7:0.00} {served.P99,7:0.00} | {raw.P50,7:0.00} {raw.P95,7:0.00} {raw.P99,7:0.00} | {ratio,5:0.00}"
        + (served.Unexpected > 0 ? $"  ({served.Unexpected} unexpected answers)" : string.Empty));
    cpuLines.Add($"{kind.Name,-22} HTTP: {servedCpu.PerItem(served.Count)}");
    cpuLines.Add($"{"",-22} raw:  {rawCpu.PerItem(raw.Count).Replace("rest (driver, kernel)", "rest (this process, kernel)", StringComparison.Ordinal)}");
}

Console.WriteLine();
Console.WriteLine("latencies in ms; ratio = server p50 / raw SQL p50");
Console.WriteLine();
Console.WriteLine("CPU per request:");
cpuLines.ForEach(Console.WriteLine);
Console.WriteLine();
Console.WriteLine($"targets: p99 < 20 ms for every kind, ratio <= 2, no unexpected answers: {(met ? "met" : "MISSED")}");

// Pages through the list and returns the cursor of page pages + 1, and the first page's ETag.
static async Task<(string Cursor, string ETag)> WalkAsync(HttpClient http, string url, int pages)
{
    string? etag = null;
    string? cursor = null;
    for (var page = 0; page < pages; page++)
    {
        using var response = await http.GetAsync(cursor is null ? url : $"{url}?cursor={cursor}");
        etag ??= response.EnsureSuccessStatusCode().Headers.ETag!.ToString();
        cursor = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("next_cursor").GetString()
            ?? throw new InvalidOperationException($"The list ended before page {page + 2}; load more incidents.");
    }

    return (cursor!, etag!);
}

// The server's statements for a kind, every column of every row of every result read.
static async Task<bool> RawQueryAsync(NpgsqlDataSource db, Func<NpgsqlBatch> create)
{
    await using var connection = await db.OpenConnectionAsync();
    await using var batch = create();
    batch.Connection = connection;
    await using var reader = await batch.ExecuteReaderAsync();
    var rows = 0;
    do
    {
        while (await reader.ReadAsync())
        {
            for (var column = 0; column < reader.FieldCount; column++)
            {
                _ = reader.IsDBNull(column) ? null : reader.GetValue(column);
            }

            rows++;
        }
    }
    while (await reader.NextResultAsync());

    return rows > 0;
}

// clients workers send requests back to back for the given seconds, after a short warm-up.
static async Task<((long Count, long Unexpected, double P50, double P95, double P99) Result, CpuTimes Cpu)> MeasureAsync(
    int clients, int seconds, Func<CpuTimes> cpu, Func<Task<bool>> send)
{
    // Warm-up: the same load for a few seconds first, so that both sides run optimised code with
    // their statements prepared (the JIT tiers code up over several seconds of load).
    var warmUp = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        while (warmUp.Elapsed < TimeSpan.FromSeconds(3))
        {
            await send();
        }
    }));

    long errors = 0;
    var perWorker = new List<double>[clients];
    var before = cpu();
    var stopwatch = Stopwatch.StartNew();
    var duration = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async worker =>
    {
        var latencies = perWorker[worker] = new List<double>(10_000);
        while (stopwatch.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            var ok = await send();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!ok)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }));
    var used = cpu() - before;
    var all = perWorker.SelectMany(l => l).Order().ToList();
    return ((all.Count, errors, BenchServer.Percentile(all, 0.50), BenchServer.Percentile(all, 0.95), BenchServer.Percentile(all, 0.99)), used);
}

string? ArgText(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int ArgValue(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
