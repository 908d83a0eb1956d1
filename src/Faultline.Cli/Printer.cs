using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Faultline.Cli;

/// <summary>
/// Output in three shapes: JSON for scripts, a Spectre.Console table with colours on a terminal,
/// and plain aligned columns without escape codes when stdout is piped.
/// </summary>
internal sealed class Printer(CliContext context)
{
    private IAnsiConsole? console;

    private IAnsiConsole Console => console ??= AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Output) });

    public async Task JsonAsync<T>(T value, JsonTypeInfo<T> typeInfo) =>
        await context.Output.WriteLineAsync(JsonSerializer.Serialize(value, typeInfo));

    public Task LineAsync(string text) => context.Output.WriteLineAsync(text);

    /// <summary>A line with one highlighted part on a terminal (e.g. a code to type).</summary>
    public Task LineAsync(string before, string highlighted, string after = "")
    {
        if (!context.OutputIsTerminal)
        {
            return context.Output.WriteLineAsync(before + highlighted + after);
        }

        Console.MarkupLine($"{Markup.Escape(before)}[bold yellow]{Markup.Escape(highlighted)}[/]{Markup.Escape(after)}");
        return Task.CompletedTask;
    }

    /// <summary><paramref name="styles"/>: an optional Spectre style per cell (terminal only), e.g. "red" for a status.</summary>
    public async Task TableAsync(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, Func<int, string, string?>? styles = null)
    {
        if (context.OutputIsTerminal)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var header in headers)
            {
                table.AddColumn(new TableColumn(new Markup($"[bold]{Markup.Escape(header)}[/]")));
            }

            foreach (var row in rows)
            {
                table.AddRow(row.Select(IRenderable (cell, column) => styles?.Invoke(column, cell) is { } style ? new Text(cell, Style.Parse(style)) : new Text(cell)));
            }

            Console.Write(table);
            return;
        }

        var widths = headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        await context.Output.WriteLineAsync(FormatRow(headers, widths));
        foreach (var row in rows)
        {
            await context.Output.WriteLineAsync(FormatRow(row, widths));
        }
    }

    /// <summary>Runs <paramref name="work"/> under a spinner on a terminal; elsewhere says once what it waits for, on stderr.</summary>
    public async Task<T> WaitAsync<T>(string status, Func<Task<T>> work)
    {
        if (!context.OutputIsTerminal)
        {
            await context.Error.WriteLineAsync(status);
            return await work();
        }

        return await Console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(status), _ => work());
    }

    public static string Ago(DateTimeOffset then, DateTimeOffset now)
    {
        var elapsed = now - then;
        return elapsed switch
        {
            { TotalSeconds: < 60 } => "just now",
            { TotalMinutes: < 60 } => $"{(int)elapsed.TotalMinutes} min ago",
            { TotalHours: < 48 } => $"{(int)elapsed.TotalHours} h ago",
            _ => $"{(int)elapsed.TotalDays} d ago",
        };
    }

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(Faultline.Contracts.UtcTimestampConverter.Format, CultureInfo.InvariantCulture);

    /// <summary>The first line of a message, cut to <paramref name="length"/> characters for a table cell.</summary>
    public static string Shorten(string text, int length = 80)
    {
        var line = text.AsSpan();
        if (line.IndexOfAny('\r', '\n') is var end and >= 0)
        {
            line = line[..end];
        }

        return line.Length <= length ? line.ToString() : string.Concat(line[..(length - 1)], "…");
    }

    private static string FormatRow(IReadOnlyList<string> cells, int[] widths)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            builder.Append(i == cells.Count - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        return builder.ToString();
    }
}
