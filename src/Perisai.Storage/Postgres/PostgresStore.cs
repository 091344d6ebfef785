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
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // JIT off: the sharing filter's correlated subqueries make the planner's cost estimate for a whole collection
        // huge, which triggers JIT compilation of thousands of expressions (seconds) for a page that runs in
        // milliseconds under its LIMIT.
        builder.Options = $"{builder.Options} -c jit=off".Trim();
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <inheritdoc />
    protected override string ForUpdate => " FOR UPDATE";

    /// <inheritdoc />
    protected override string Dialect => "postgres";

    /// <inheritdoc />
    protected override string ContainsSql(string expression, string parameter) => $"strpos({expression}, @{parameter}) > 0";

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
    protected override string VersionsOfIdsSql(DynamicParameters p, IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(p);
        p.Add("ids", ids.ToArray());
        // One index probe per id. "id = ANY(@ids)" is planned from statistics, and before the first ANALYZE (or as a
        // table grows past them) PostgreSQL assumes each equality matches 0.5% of rows: 500 ids then look like the
        // whole table and it scans it. The subquery behind the OFFSET 0 fence cannot be flattened into such a plan.
        return "SELECT o.collection_id, o.id, o.version_key, o.json, o.revoked, o.producer FROM UNNEST(@ids) AS u(id) " +
               "CROSS JOIN LATERAL (SELECT collection_id, id, version_key, json, revoked, producer FROM objects WHERE id = u.id OFFSET 0) o";
    }

    /// <inheritdoc />
    protected override async Task InsertRowsAsync(DbConnection conn, DbTransaction tx, string collectionId, IReadOnlyList<ObjectRowToInsert> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }
        // Binary COPY: the whole batch in one stream, no statement to plan, no text to parse. It runs inside the
        // caller's transaction, so it commits or rolls back with the rest of the write.
        var copy = await ((NpgsqlConnection)conn).BeginBinaryImportAsync(
            "COPY objects (collection_id, date_added, id, type, spec_version, version_key, version, is_first, is_last, revoked, tlp, markings, json, producer, tlp_marked, tlp_floor, ref_rule, granular, via) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        await using (copy.ConfigureAwait(false))
        {
            foreach (var r in rows)
            {
                await copy.StartRowAsync(ct).ConfigureAwait(false);
                await copy.WriteAsync(collectionId, NpgsqlTypes.NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.DateAdded, NpgsqlTypes.NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.Stix.Id, NpgsqlTypes.NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.Stix.Type, NpgsqlTypes.NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.Stix.SpecVersion, NpgsqlTypes.NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.VersionKey, NpgsqlTypes.NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.VersionText, NpgsqlTypes.NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.IsFirst ? 1L : 0L, NpgsqlTypes.NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.IsLast ? 1L : 0L, NpgsqlTypes.NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.Stix.Revoked ? 1L : 0L, NpgsqlTypes.NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.Tlp, NpgsqlTypes.NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.Markings, NpgsqlTypes.NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.Stix.Json, NpgsqlTypes.NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.Producer, NpgsqlTypes.NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.TlpMarked, NpgsqlTypes.NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.TlpFloor, NpgsqlTypes.NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.RefRule, NpgsqlTypes.NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.Granular, NpgsqlTypes.NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.Via, NpgsqlTypes.NpgsqlDbType.Text, ct).ConfigureAwait(false);
            }
            await copy.CompleteAsync(ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
