namespace Perisai.Cli.Tests;

/// <summary>
/// A fresh, empty store for one end-to-end test: SQLite in a new folder, or a new database on the PostgreSQL server of
/// PERISAI_TEST_POSTGRES. Without that server the test is skipped; a PostgreSQL database is dropped when the test ends.
/// </summary>
internal sealed class TestStore : IAsyncDisposable
{
    private const string NoPostgres = "PostgreSQL end-to-end tests need PERISAI_TEST_POSTGRES (a server on loopback); .ci/run sets it.";

    private static readonly string? Server = Environment.GetEnvironmentVariable("PERISAI_TEST_POSTGRES");

    private readonly string? _database;

    private TestStore(string[] args, string? database)
    {
        Args = args;
        _database = database;
    }

    /// <summary>The arguments that choose the store (<c>--data DIR</c> or <c>--postgres CONN</c>).</summary>
    public string[] Args { get; }

    public static async Task<TestStore> CreateAsync(string kind)
    {
        if (kind == "sqlite")
        {
            return new TestStore(["--data", Path.Combine(PerisaiProcess.TempDir(), "data")], null);
        }
        Assert.SkipWhen(string.IsNullOrEmpty(Server), NoPostgres);
        string db = "perisai_e2e_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE {db}");
        return new TestStore(["--postgres", new Npgsql.NpgsqlConnectionStringBuilder(Server) { Database = db }.ConnectionString], db);
    }

    /// <summary>Drops the PostgreSQL database (SQLite folders are left to the temp cleaner).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            try
            {
                await ExecuteAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
            }
            catch (Npgsql.PostgresException ex) when (ex.SqlState == "55006")
            {
                // A session the server has not finished tearing down (the node was just killed): retry once it has, and
                // never let the clean-up hide the test's own outcome.
                await Task.Delay(2000);
                await ExecuteAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
            }
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var admin = new Npgsql.NpgsqlConnection(Server);
        await admin.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, admin);
        await cmd.ExecuteNonQueryAsync();
    }
}
