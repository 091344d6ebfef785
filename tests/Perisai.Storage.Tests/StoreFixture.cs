using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Perisai.Storage.Postgres;
using Perisai.Storage.Sqlite;

namespace Perisai.Storage.Tests;

/// <summary>Makes an empty, migrated store of one kind for one test, and removes it afterwards.</summary>
public interface IStoreFactory
{
    /// <summary>Why this kind of store cannot be tested here, or null when it can.</summary>
    string? SkipReason { get; }

    Task<(IStixStore Store, Func<Task> Cleanup)> CreateAsync(TimeProvider time);
}

public sealed class SqliteFactory : IStoreFactory
{
    public string? SkipReason => null;

    public async Task<(IStixStore Store, Func<Task> Cleanup)> CreateAsync(TimeProvider time)
    {
        string dir = Path.Combine(Path.GetTempPath(), "perisai-test-" + Guid.NewGuid().ToString("N"));
        var store = new SqliteStore(dir, time);
        await store.MigrateAsync();
        return (store, async () =>
        {
            await store.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        });
    }
}

public sealed class PostgresFactory : IStoreFactory
{
    /// <summary>The connection string CI sets (see .ci/run); a database is created per test inside that server.</summary>
    public static readonly string? ConnectionString = Environment.GetEnvironmentVariable("PERISAI_TEST_POSTGRES");

    public string? SkipReason => string.IsNullOrEmpty(ConnectionString)
        ? "PostgreSQL tests need PERISAI_TEST_POSTGRES (a connection string to a server on loopback); .ci/run sets it."
        : null;

    public async Task<(IStixStore Store, Func<Task> Cleanup)> CreateAsync(TimeProvider time)
    {
        string db = "perisai_t_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(ConnectionString))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {db}", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = db };
        var store = new PostgresStore(builder.ConnectionString, time);
        await store.MigrateAsync();
        return (store, async () =>
        {
            await store.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(ConnectionString);
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {db} WITH (FORCE)", admin);
            await cmd.ExecuteNonQueryAsync();
        });
    }
}

public static class Clock
{
    public static FakeTimeProvider At(string iso) => new(DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture));
}
