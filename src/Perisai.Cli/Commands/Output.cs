using System.Text.Json;
using Spectre.Console;

namespace Perisai.Cli.Commands;

/// <summary>Prints results as a table for people or as JSON for scripts (<c>--json</c>).</summary>
internal static class Output
{
    // Relaxed escaping: this JSON goes to a terminal or a script, never into HTML, and patterns are full of apostrophes.
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Prints rows as a table or JSON; returns the exit code of success.</summary>
    public static int Print<T>(bool json, IReadOnlyList<T> rows, params (string Header, Func<T, string?> Value)[] columns)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
            return 0;
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (header, _) in columns)
        {
            table.AddColumn(header);
        }
        foreach (var row in rows)
        {
            table.AddRow([.. columns.Select(c => Markup.Escape(c.Value(row) ?? ""))]);
        }
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>Prints one result as text or JSON; returns the exit code of success.</summary>
    public static int PrintOne<T>(bool json, T value, string text)
    {
        Console.WriteLine(json ? JsonSerializer.Serialize(value, JsonOptions) : text);
        return 0;
    }

    /// <summary>Prints what was done and returns the exit code of success.</summary>
    public static int Done(string text)
    {
        Console.WriteLine(text);
        return 0;
    }

    public static int Fail(string verb, string message)
    {
        Console.Error.WriteLine($"perisai {verb}: {message}");
        return 1;
    }
}
