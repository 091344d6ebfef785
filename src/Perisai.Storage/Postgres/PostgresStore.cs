using System.Data.Common;
using Dapper;
using Npgsql;
using Perisai.Storage.Sql;

namespace Perisai.Storage.Postgres;

/// <summary>The production store: PostgreSQL through a pooled Npgsql data source.</summary>
public sealed class PostgresStore : SqlStore
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Connects with an Npgsql connection string.</summary>
    public PostgresStore(string connectionString, TimeProvider time) : base(time)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <inheritdoc />
    protected override string ForUpdate => " FOR UPDATE";

    /// <inheritdoc />
    protected override string InList<T>(DynamicParameters p, string column, string name, IReadOnlyCollection<T> values)
    {
        ArgumentNullException.ThrowIfNull(p);
        p.Add(name, values.ToArray());
        return $"{column} = ANY(@{name})";
    }

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken ct) =>
        await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(ct).ConfigureAwait(false);

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
