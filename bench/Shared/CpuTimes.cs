using System.Globalization;

namespace Faultline.Bench;

/// <summary>
/// Where the machine's CPU went during a run, from <c>/proc</c>: the server process, the embedded
/// PostgreSQL (its postmaster, live backends and those that exited), everything else that ran
/// (the load driver, kernel threads), and what stayed idle. Linux only; elsewhere it reads zeros.
/// </summary>
internal readonly record struct CpuTimes(double Total, double Idle, double Server, double Postgres)
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux we run on

    /// <summary>The CPU seconds so far of the machine, <paramref name="serverPid"/> and the cluster in <paramref name="dataDirectory"/> (none when null).</summary>
    public static CpuTimes Read(int serverPid, string? dataDirectory)
    {
        if (!File.Exists("/proc/stat"))
        {
            return default;
        }

        // "cpu  user nice system idle iowait irq softirq steal …", in ticks.
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..9]
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = cpu.Sum() / TicksPerSecond;
        var idle = (cpu[3] + cpu[4]) / TicksPerSecond;
        return new CpuTimes(total, idle, ProcessSeconds(serverPid, children: false), dataDirectory is null ? 0 : PostgresSeconds(dataDirectory));
    }

    public static CpuTimes operator -(CpuTimes after, CpuTimes before) =>
        new(after.Total - before.Total, after.Idle - before.Idle, after.Server - before.Server, after.Postgres - before.Postgres);

    /// <summary>Microseconds of CPU per item, as "server N µs, PostgreSQL N µs, rest N µs, idle N%".</summary>
    public string PerItem(double items) =>
        items <= 0 || Total <= 0
            ? "not measured"
            : FormattableString.Invariant(
                $"server {Server * 1e6 / items:0} µs, PostgreSQL {Postgres * 1e6 / items:0} µs, rest (driver, kernel) {(Total - Idle - Server - Postgres) * 1e6 / items:0} µs; idle {Idle * 100 / Total:0}% of the cores");

    private static double PostgresSeconds(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postgres", "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), NumberStyles.None, CultureInfo.InvariantCulture, out var postmaster))
        {
            return 0;
        }

        // The postmaster with its exited children, and each live child (backends, WAL writer, …).
        var seconds = ProcessSeconds(postmaster, children: true);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } fields && fields[1] == postmaster.ToString(CultureInfo.InvariantCulture))
            {
                seconds += ProcessSeconds(pid, children: true);
            }
        }

        return seconds;
    }

    /// <summary>utime + stime (and with <paramref name="children"/> cutime + cstime, the reaped children's).</summary>
    private static double ProcessSeconds(int pid, bool children)
    {
        if (Stat(pid) is not { } fields)
        {
            return 0;
        }

        var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
        if (children)
        {
            ticks += double.Parse(fields[13], CultureInfo.InvariantCulture) + double.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>The fields of /proc/PID/stat after the command name (state is [0], ppid [1], utime [11]), or null when it has gone.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
