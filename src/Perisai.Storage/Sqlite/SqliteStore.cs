using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Perisai.Storage.Sql;

namespace Perisai.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite database file in the data directory, in WAL mode (readers never wait for
/// the writer) with synchronous=FULL, so a commit is on disk before a write is acknowledged.
/// </summary>
public sealed class SqliteStore : SqlStore
{
    private readonly string _connectionString;

    /// <summary>Opens (creating if needed) <c>perisai.db</c> in <paramref name="dataDirectory"/>.</summary>
    public SqliteStore(string dataDirectory, TimeProvider time) : base(time)
    {
        Directory.CreateDirectory(dataDirectory);
        DatabasePath = Path.GetFullPath(Path.Combine(dataDirectory, "perisai.db"));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Seconds a statement waits for the write lock before it fails (SQLITE_BUSY).
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    protected override string ForUpdate => "";

    /// <inheritdoc />
    protected override string Dialect => "sqlite";

    /// <inheritdoc />
    protected override string InList<T>(DynamicParameters p, string column, string name, IReadOnlyCollection<T> values)
    {
        ArgumentNullException.ThrowIfNull(p);
        p.Add(name, JsonSerializer.Serialize(values));
        return $"{column} IN (SELECT value FROM json_each(@{name}))";
    }

    /// <inheritdoc />
    public override async Task MigrateAsync(CancellationToken ct = default)
    {
        await using (var conn = await OpenAsync(ct).ConfigureAwait(false))
        await using (var cmd = conn.CreateCommand())
        {
            // WAL is a property of the database file and persists once set.
            cmd.CommandText = "PRAGMA journal_mode = WAL;";
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await base.MigrateAsync(ct).ConfigureAwait(false);
        await using (var conn = await OpenAsync(ct).ConfigureAwait(false))
        {
            await AfterLargeWriteAsync(conn, ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override string TypeIndexHint => " INDEXED BY objects_type";

    /// <summary>
    /// Refreshes the planner's statistics when the tables have grown (SQLite's own advice: PRAGMA optimize, here over
    /// every table, on a sample). Without them SQLite has no idea that an id is nearly unique in a collection of a
    /// million objects, and reading one object by id walked the whole collection (1.1 s, against 4 ms with them).
    /// </summary>
    protected override async Task AfterLargeWriteAsync(DbConnection conn, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;";
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        // FULL: the WAL is synced at every commit, so an acknowledged write survives a crash of the machine, not only
        // of the process. foreign_keys is per connection in SQLite.
        cmd.CommandText = "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;";
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return conn;
    }

    /// <inheritdoc />
    protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        // BEGIN IMMEDIATE (deferred: false): take the write lock now rather than on the first write, so two writers
        // cannot both read last_added and deadlock on the upgrade.
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        // Close this database's pooled connections (and only this database's) so its files can be moved or deleted.
        using (var conn = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(conn);
        }
        return base.DisposeAsync();
    }
}
