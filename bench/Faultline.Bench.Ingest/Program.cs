// Ingest benchmark (issue 3): starts faultline-server with its embedded PostgreSQL, sends realistic
// single-incident requests (a ~1.5 KB Node stack trace) from 64 concurrent connections for 20 s,
// then measures on the same database the raw ceiling — the same rows inserted by 4 connections as
// multi-row INSERTs of 100 rows — and prints incidents/s, p50/p99 latency, the ceiling and the ratio.
// Options: --seconds N (default 20), --connections N (default 64), --http-floor (then also the same
// load against an endpoint that only parses the JSON: what HTTP and the driver cost here by themselves).
using Faultline.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

var seconds = ArgValue("--seconds", 20);
var connections = ArgValue("--connections", 64);

Console.WriteLine($"Ingest benchmark: {connections} connections for {seconds} s, {Environment.ProcessorCount} cores");
using (var server = Faultline.Bench.BenchServer.Start(new Dictionary<string, string> { ["Faultline:Ingest:RateLimitPerSecond"] = "0" }))
{
    var baseAddress = server.BaseAddress;
    var connectionString = server.ConnectionString;
    var key = await CreateProjectAsync(connectionString);

    // wrk (Debian's package) is the lighter load driver, leaving more of the two cores to the server;
    // without it the built-in HttpClient driver runs.
    var useWrk = args.Contains("--driver=dotnet") ? false : Wrk.IsInstalled;
    CpuTimes Cpu() => CpuTimes.Read(server.ProcessId, server.DataDirectory);
    var (count, errors, p50, p99, elapsed, cpu) = useWrk
        ? await WrkLoadAsync(baseAddress, key, connections, seconds, Cpu)
        : await LoadAsync(baseAddress, key, connections, TimeSpan.FromSeconds(seconds), Cpu);
    var rate = count / elapsed.TotalSeconds;
    await using (var check = new NpgsqlConnection(connectionString))
    {
        await check.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*), COUNT(DISTINCT event_id) FROM incidents", check);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine($"stored:  {reader.GetInt64(0)} rows, {reader.GetInt64(1)} distinct event ids");
    }

    Console.WriteLine($"driver:  {(useWrk ? "wrk" : "HttpClient")}");
    Console.WriteLine($"server:  {count} incidents in {elapsed.TotalSeconds:0.0} s = {rate:0} incidents/s, errors {errors}");
    Console.WriteLine($"latency: p50 {p50:0.00} ms, p99 {p99:0.00} ms");
    Console.WriteLine($"cpu:     {cpu.PerItem(count)} (per incident)");

    var beforeCeiling = Cpu();
    var (ceiling, ceilingRows) = await RawCeilingAsync(connectionString, TimeSpan.FromSeconds(Math.Min(seconds, 10)));
    Console.WriteLine($"ceiling: {ceiling:0} rows/s (4 connections, multi-row INSERTs of 100 rows)");
    Console.WriteLine($"cpu:     {(Cpu() - beforeCeiling).PerItem(ceilingRows)} (per row; server idle, rest is this process)");
    Console.WriteLine($"ratio:   {rate / ceiling:0.00} of the raw ceiling");
    Console.WriteLine($"targets: >= 10000 incidents/s {(rate >= 10_000 ? "met" : "MISSED")}, >= 0.5 of ceiling {(rate / ceiling >= 0.5 ? "met" : "MISSED")}, no errors {(errors == 0 ? "met" : "MISSED")}");
}

if (args.Contains("--http-floor") && Wrk.IsInstalled)
{
    await using var floor = await HttpFloor.StartAsync();
    CpuTimes Own() => CpuTimes.Read(Environment.ProcessId, dataDirectory: null);
    var (count, errors, p50, p99, elapsed, cpu) = await WrkLoadAsync(HttpFloor.Address(floor), "fl_ingest_floor", connections, seconds, Own);
    Console.WriteLine($"floor:   {count / elapsed.TotalSeconds:0} requests/s, errors {errors}, p50 {p50:0.00} ms, p99 {p99:0.00} ms (JSON parsed, nothing stored)");
    Console.WriteLine($"cpu:     {cpu.PerItem(count).Replace("server", "endpoint", StringComparison.Ordinal)} (per request)");
}

static async Task<(long Count, long Errors, double P50, double P99, TimeSpan Elapsed, CpuTimes Cpu)> WrkLoadAsync(
    Uri baseAddress, string key, int connections, int seconds, Func<CpuTimes> cpu)
{
    // Warm-up (the JIT tiers the server's code up over the first seconds of load, slowly while the
    // two cores are busy serving), then the measured run, each with event ids of its own: were the
    // measured run to repeat the warm-up's ids, most of its answers would be duplicates.
    await RunWrkAsync(baseAddress, key, connections, seconds: 15, run: 1);
    var before = cpu();
    var output = await RunWrkAsync(baseAddress, key, connections, seconds, run: 2);
    var used = cpu() - before;
    var requests = long.Parse(Regex.Match(output, @"(\d+) requests in").Groups[1].Value, CultureInfo.InvariantCulture);
    var elapsedSeconds = double.Parse(Regex.Match(output, @"requests in ([0-9.]+)s").Groups[1].Value, CultureInfo.InvariantCulture);
    var non2xx = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)") is { Success: true } bad ? long.Parse(bad.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    var socketErrors = Regex.Matches(output, @"(connect|read|write|timeout) (\d+)").Sum(m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    return (requests - non2xx, non2xx + socketErrors, Wrk.Percentile(output, "50%"), Wrk.Percentile(output, "99%"), TimeSpan.FromSeconds(elapsedSeconds), used);
}

static async Task<string> RunWrkAsync(Uri baseAddress, string key, int connections, int seconds, int run)
{
    var script = Path.Combine(Path.GetTempPath(), $"faultline-ingest-{Environment.ProcessId}-{run}.lua");
    var trace = System.Text.Json.JsonSerializer.Serialize(NodeTrace());
    await File.WriteAllTextAsync(script, $$"""
        -- Each request carries a unique event id: the run, a per-thread number and a counter.
        local trace = {{Wrk.LuaString(trace)}}
        local threads = 0
        function setup(thread) threads = threads + 1; thread:set("tid", threads) end
        local counter = 0
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer {{key}}"
        function request()
          counter = counter + 1
          local id = string.format("%08x%08x%016x", {{run}}, tid, counter)
          return wrk.format(nil, "/api/v1/incidents", nil, '{"event_id":"' .. id .. '","error_message":"Cannot read properties of undefined (reading \'id\')","error_type":"TypeError","commit_sha":"0123456789abcdef0123456789abcdef01234567","deployment_id":"dpl_8fJ2kQzX1","environment":"production","stack_trace":' .. trace .. '}')
        end
        """);
    var latency = run > 1 ? ["--latency"] : Array.Empty<string>();
    var output = await Wrk.RunAsync(["-t2", "-c", connections.ToString(CultureInfo.InvariantCulture), $"-d{seconds}s", .. latency, "-s", script, baseAddress.ToString()]);
    File.Delete(script);
    return output;
}

static async Task<(long Count, long Errors, double P50, double P99, TimeSpan Elapsed, CpuTimes Cpu)> LoadAsync(
    Uri baseAddress, string key, int connections, TimeSpan duration, Func<CpuTimes> cpu)
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
    using var client = new HttpClient(handler) { BaseAddress = baseAddress };
    var template = IncidentJson();
    long count = 0, errors = 0;
    var perWorker = new List<double>[connections];

    // Warm up for 15 s: connections, the database's caches, and the JIT's tiering of the server's code.
    var warmUp = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
    {
        while (warmUp.Elapsed < TimeSpan.FromSeconds(15))
        {
            await SendAsync(client, key, template);
        }
    }));

    var before = cpu();
    var stopwatch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
    {
        var latencies = perWorker[worker] = new List<double>(100_000);
        while (stopwatch.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            var status = await SendAsync(client, key, template);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (status == HttpStatusCode.Created)
            {
                Interlocked.Increment(ref count);
            }
            else
            {
                Interlocked.Increment(ref errors);
            }
        }
    }));
    var elapsed = stopwatch.Elapsed;
    var used = cpu() - before;
    var latencies = perWorker.SelectMany(l => l).Order().ToList();
    return (count, errors, Faultline.Bench.BenchServer.Percentile(latencies, 0.50), Faultline.Bench.BenchServer.Percentile(latencies, 0.99), elapsed, used);
}

static async Task<HttpStatusCode> SendAsync(HttpClient client, string key, string template)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents")
    {
        Content = new StringContent(template.Replace("EVENT_ID", Guid.NewGuid().ToString("N"), StringComparison.Ordinal), Encoding.UTF8, "application/json"),
    };
    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
    using var response = await client.SendAsync(request);
    return response.StatusCode;
}

static async Task<(double RowsPerSecond, long Rows)> RawCeilingAsync(string connectionString, TimeSpan duration)
{
    await using var dataSource = NpgsqlDataSource.Create(connectionString);

    // The same rows as the server stored: one of its incidents copied, each copy with an incident
    // id made as the server makes them (time-ordered), an event id of its own and the time now.
    const string columns = "project_id, error_message, error_type, stack_trace, file_path, line_number, column_number, commit_sha, deployment_id, environment, fingerprint, metadata";
    object?[] template;
    await using (var command = dataSource.CreateCommand($"SELECT {columns} FROM incidents ORDER BY occurred_at DESC LIMIT 1"))
    await using (var reader = await command.ExecuteReaderAsync())
    {
        await reader.ReadAsync();
        template = new object?[reader.FieldCount];
        for (var i = 0; i < reader.FieldCount; i++)
        {
            template[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }
    }

    var width = 3 + template.Length;
    var values = string.Join(",", Enumerable.Range(0, 100).Select(row =>
        "(" + string.Join(", ", Enumerable.Range(1, width).Select(column => column == width ? $"${row * width + column}::jsonb" : $"${row * width + column}")) + ")"));
    var sql = $"INSERT INTO incidents (incident_id, event_id, occurred_at, {columns}) VALUES {values}";
    long rows = 0;
    var stopwatch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
    {
        // Prepared once per connection, as the server's statements are.
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < 100; i++)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "" });
            command.Parameters.Add(new NpgsqlParameter<Guid>());
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = DateTime.UtcNow });
            foreach (var value in template)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }
        }

        await command.PrepareAsync();
        while (stopwatch.Elapsed < duration)
        {
            for (var i = 0; i < 100; i++)
            {
                var now = DateTimeOffset.UtcNow;
                ((NpgsqlParameter<string>)command.Parameters[i * width]).TypedValue = Faultline.Core.Identifiers.PublicIds.NewIncidentId(now);
                ((NpgsqlParameter<Guid>)command.Parameters[i * width + 1]).TypedValue = Guid.NewGuid();
                ((NpgsqlParameter<DateTime>)command.Parameters[i * width + 2]).TypedValue = now.UtcDateTime;
            }

            await command.ExecuteNonQueryAsync();
            Interlocked.Add(ref rows, 100);
        }
    }));
    return (rows / stopwatch.Elapsed.TotalSeconds, rows);
}

static async Task<string> CreateProjectAsync(string connectionString)
{
    var key = Faultline.Core.Identifiers.SecretToken.Generate(Faultline.Core.Identifiers.SecretToken.IngestKeyPrefix);
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(
        """
        WITH u AS (INSERT INTO users (github_id, github_login) VALUES (1, 'bench') RETURNING id),
        p AS (INSERT INTO projects (project_id, owner_id, repo_owner, repo_name, repo_full_name, ingest_api_key)
              SELECT 'proj_benchbenchbe', id, 'bench', 'shop', 'bench/shop', $1 FROM u RETURNING id)
        INSERT INTO api_key_usage (project_id, key_type, usage_count) SELECT id, 'ingest', 0 FROM p
        """, connection);
    command.Parameters.Add(new NpgsqlParameter { Value = key });
    await command.ExecuteNonQueryAsync();
    return key;
}

static string IncidentJson()
{
    var trace = NodeTrace();
    return "{\"event_id\":\"EVENT_ID\",\"error_message\":\"Cannot read properties of undefined (reading 'id')\",\"error_type\":\"TypeError\"," +
        "\"commit_sha\":\"0123456789abcdef0123456789abcdef01234567\",\"deployment_id\":\"dpl_8fJ2kQzX1\",\"environment\":\"production\"," +
        "\"stack_trace\":" + System.Text.Json.JsonSerializer.Serialize(trace) + "}";
}

static string NodeTrace() => Faultline.Bench.BenchTraces.Node;

int ArgValue(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
