using System.CommandLine;
using Perisai.Storage;
using Perisai.Storage.Postgres;
using Perisai.Storage.Sqlite;

namespace Perisai.Cli.Commands;

/// <summary>The options that choose a store, shared by every verb that opens one.</summary>
internal sealed class StoreOptions
{
    public Option<string> Data { get; } = new("--data")
    {
        Description = "Data directory of the embedded SQLite store.",
        DefaultValueFactory = _ => "./perisai-data",
    };

    public Option<string?> Postgres { get; } = new("--postgres")
    {
        Description = "PostgreSQL connection string (instead of SQLite); also read from PERISAI_POSTGRES.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Postgres);
    }

    /// <summary>Opens and migrates the chosen store.</summary>
    public async Task<IStixStore> OpenAsync(ParseResult parse, CancellationToken ct)
    {
        string? pg = parse.GetValue(Postgres) ?? Environment.GetEnvironmentVariable("PERISAI_POSTGRES");
        IStixStore store = string.IsNullOrEmpty(pg)
            ? new SqliteStore(parse.GetValue(Data)!, TimeProvider.System)
            : new PostgresStore(pg, TimeProvider.System);
        await store.MigrateAsync(ct).ConfigureAwait(false);
        return store;
    }

    /// <summary>Describes where the store is, for messages.</summary>
    public string Describe(ParseResult parse) =>
        string.IsNullOrEmpty(parse.GetValue(Postgres) ?? Environment.GetEnvironmentVariable("PERISAI_POSTGRES"))
            ? $"SQLite in {Path.GetFullPath(parse.GetValue(Data)!)}"
            : "PostgreSQL";
}
