using System.Data.Common;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Dapper;
using Perisai.Stix;
using Perisai.Stix.Markings;

namespace Perisai.Storage.Sql;

/// <summary>
/// The store over ADO.NET, shared by SQLite and PostgreSQL: one schema and one set of statements that both
/// understand; a dialect supplies connections, write transactions and row locking.
/// </summary>
public abstract class SqlStore : IStixStore
{
    private readonly TimeProvider _time;

    /// <summary>Creates a store that stamps date_added from <paramref name="time"/>.</summary>
    protected SqlStore(TimeProvider time) => _time = time;

    /// <summary>Opens a connection, ready for use.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>Begins a transaction that holds the write lock it needs from the start.</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Appended to a SELECT to lock the rows it reads until the transaction ends ("" where writes are serialized anyway).</summary>
    protected abstract string ForUpdate { get; }

    /// <summary>
    /// "column is one of these values" as one bound parameter named <paramref name="name"/>, added to
    /// <paramref name="p"/>: an array with <c>= ANY(@name)</c> for PostgreSQL, a JSON array read by <c>json_each</c> for
    /// SQLite (one parameter instead of one per value, which is both faster to bind and free of SQLite's limit).
    /// </summary>
    protected abstract string InList<T>(DynamicParameters p, string column, string name, IReadOnlyCollection<T> values);

    /// <summary>Microseconds since the Unix epoch, now.</summary>
    protected long NowMicros() => (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;

    /// <inheritdoc />
    public virtual async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY)", cancellationToken: ct)).ConfigureAwait(false);
        var applied = (await conn.QueryAsync<string>(new CommandDefinition("SELECT version FROM schema_migrations", cancellationToken: ct)).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var assembly = typeof(SqlStore).Assembly;
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string version = resource.Split('.')[^2];
            if (applied.Contains(version))
            {
                continue;
            }
            string sql = ReadResource(assembly, resource);
            await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
            await conn.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            await conn.ExecuteAsync(new CommandDefinition("INSERT INTO schema_migrations (version) VALUES (@version)", new { version }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // ---- organizations, accounts, keys --------------------------------------------------------------------------

    /// <inheritdoc />
    public async Task<Organization> AddOrganizationAsync(string name, CancellationToken ct = default)
    {
        var org = new Organization($"identity--{Guid.NewGuid()}", name);
        await ExecuteAsync("INSERT INTO organizations (id, name, created) VALUES (@Id, @Name, @created)", new { org.Id, org.Name, created = NowMicros() }, ct).ConfigureAwait(false);
        return org;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Organization>> ListOrganizationsAsync(CancellationToken ct = default) =>
        QueryAsync<Organization>("SELECT id AS Id, name AS Name FROM organizations ORDER BY name", null, ct);

    /// <inheritdoc />
    public async Task<Organization?> FindOrganizationAsync(string idOrName, CancellationToken ct = default) =>
        await QueryFirstAsync<Organization>("SELECT id AS Id, name AS Name FROM organizations WHERE id = @v OR name = @v", new { v = idOrName }, ct).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<Account> AddAccountAsync(string orgId, string name, bool isAdmin, CancellationToken ct = default)
    {
        var account = new Account(Guid.NewGuid().ToString(), orgId, name, isAdmin);
        await ExecuteAsync("INSERT INTO accounts (id, org_id, name, is_admin, created) VALUES (@Id, @OrgId, @Name, @admin, @created)",
            new { account.Id, account.OrgId, account.Name, admin = isAdmin ? 1 : 0, created = NowMicros() }, ct).ConfigureAwait(false);
        return account;
    }

    private const string AccountColumns = "SELECT id AS Id, org_id AS OrgId, name AS Name, is_admin AS IsAdmin FROM accounts";

    /// <inheritdoc />
    public async Task<Account?> FindAccountAsync(string name, CancellationToken ct = default) =>
        (await QueryFirstAsync<AccountRow>($"{AccountColumns} WHERE name = @name", new { name }, ct).ConfigureAwait(false))?.ToAccount();

    /// <inheritdoc />
    public async Task<Account?> GetAccountAsync(string id, CancellationToken ct = default) =>
        (await QueryFirstAsync<AccountRow>($"{AccountColumns} WHERE id = @id", new { id }, ct).ConfigureAwait(false))?.ToAccount();

    /// <inheritdoc />
    public async Task<int> CountAdminsAsync(CancellationToken ct = default)
    {
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        return Convert.ToInt32(await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM accounts WHERE is_admin = 1", cancellationToken: ct)).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default) =>
        ExecuteAsync("INSERT INTO api_keys (id, account_id, label, salt, hash, created, revoked) VALUES (@Id, @AccountId, @Label, @Salt, @Hash, @Created, 0)", key, ct);

    private const string KeyColumns = "SELECT id AS Id, account_id AS AccountId, label AS Label, salt AS Salt, hash AS Hash, created AS Created, revoked AS Revoked FROM api_keys";

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> FindApiKeyAsync(string keyId, CancellationToken ct = default) =>
        (await QueryFirstAsync<KeyRow>($"{KeyColumns} WHERE id = @keyId", new { keyId }, ct).ConfigureAwait(false))?.ToRecord();

    /// <inheritdoc />
    public async Task<bool> RevokeApiKeyAsync(string keyId, CancellationToken ct = default) =>
        await ExecuteAsync("UPDATE api_keys SET revoked = 1 WHERE id = @keyId", new { keyId }, ct).ConfigureAwait(false) > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string? accountId, CancellationToken ct = default) =>
        [.. (await QueryAsync<KeyRow>($"{KeyColumns} WHERE @accountId IS NULL OR account_id = @accountId ORDER BY created, id", new { accountId }, ct).ConfigureAwait(false)).Select(k => k.ToRecord())];

    // ---- API roots, collections, grants -------------------------------------------------------------------------

    /// <inheritdoc />
    public Task UpsertApiRootAsync(ApiRoot root, CancellationToken ct = default) =>
        ExecuteAsync("INSERT INTO api_roots (name, title, description) VALUES (@Name, @Title, @Description) ON CONFLICT (name) DO UPDATE SET title = excluded.title, description = excluded.description", root, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiRoot>> ListApiRootsAsync(CancellationToken ct = default) =>
        QueryAsync<ApiRoot>("SELECT name AS Name, title AS Title, description AS Description FROM api_roots ORDER BY name", null, ct);

    /// <inheritdoc />
    public Task AddCollectionAsync(TaxiiCollection collection, CancellationToken ct = default) =>
        ExecuteAsync("INSERT INTO collections (id, api_root, title, description, alias, last_added, created) VALUES (@Id, @ApiRoot, @Title, @Description, @Alias, 0, @created)",
            new { collection.Id, collection.ApiRoot, collection.Title, collection.Description, collection.Alias, created = NowMicros() }, ct);

    private const string CollectionColumns = "SELECT id AS Id, api_root AS ApiRoot, title AS Title, description AS Description, alias AS Alias FROM collections";

    /// <inheritdoc />
    public Task<IReadOnlyList<TaxiiCollection>> ListCollectionsAsync(string? apiRoot, CancellationToken ct = default) =>
        QueryAsync<TaxiiCollection>($"{CollectionColumns} WHERE @apiRoot IS NULL OR api_root = @apiRoot ORDER BY created, id", new { apiRoot }, ct);

    /// <inheritdoc />
    public async Task<TaxiiCollection?> GetCollectionAsync(string idOrAlias, CancellationToken ct = default) =>
        await QueryFirstAsync<TaxiiCollection>($"{CollectionColumns} WHERE id = @v OR alias = @v ORDER BY id", new { v = idOrAlias }, ct).ConfigureAwait(false);

    /// <inheritdoc />
    public Task GrantAsync(Grant grant, CancellationToken ct = default) =>
        ExecuteAsync("INSERT INTO collection_grants (collection_id, org_id, can_read, can_write) VALUES (@CollectionId, @OrgId, @r, @w) ON CONFLICT (collection_id, org_id) DO UPDATE SET can_read = excluded.can_read, can_write = excluded.can_write",
            new { grant.CollectionId, grant.OrgId, r = grant.CanRead ? 1 : 0, w = grant.CanWrite ? 1 : 0 }, ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Grant>> ListGrantsAsync(string? orgId, CancellationToken ct = default) =>
        [.. (await QueryAsync<GrantRow>("SELECT collection_id AS CollectionId, org_id AS OrgId, can_read AS CanRead, can_write AS CanWrite FROM collection_grants WHERE @orgId IS NULL OR org_id = @orgId ORDER BY collection_id, org_id", new { orgId }, ct).ConfigureAwait(false))
            .Select(g => new Grant(g.CollectionId, g.OrgId, g.CanRead != 0, g.CanWrite != 0))];

    // ---- objects ------------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddResult>> AddObjectsAsync(string collectionId, IReadOnlyList<StixObject> objects, CancellationToken ct = default)
    {
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
        var results = await AddInTransactionAsync(conn, tx, collectionId, objects, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return results;
    }

    private async Task<IReadOnlyList<AddResult>> AddInTransactionAsync(DbConnection conn, DbTransaction tx, string collectionId, IReadOnlyList<StixObject> objects, CancellationToken ct)
    {
        // Lock the collection row: writers to one collection take turns, so date_added is strictly increasing in commit
        // order and a reader's cursor never skips a row committed later with an earlier stamp (TAXII 2.1 §3.5).
        long? last = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT last_added FROM collections WHERE id = @collectionId{ForUpdate}", new { collectionId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (last is null)
        {
            throw new KeyNotFoundException($"No collection '{collectionId}'.");
        }
        long next = Math.Max(NowMicros(), last.Value + 1);
        var results = new List<AddResult>(objects.Count);
        var known = await ExistingVersionsAsync(conn, tx, collectionId, objects, ct).ConfigureAwait(false);
        var rows = new List<ObjectRowToInsert>(objects.Count);
        var reflagged = new HashSet<string>(StringComparer.Ordinal);

        foreach (var obj in objects)
        {
            ct.ThrowIfCancellationRequested();
            if (!known.TryGetValue(obj.Id, out var existing))
            {
                existing = [];
                known[obj.Id] = existing;
            }
            long dateAdded = next;
            string versionKey, versionText;
            if (obj.Version is { } v)
            {
                versionKey = v.Key;
                versionText = v.Text;
                if (existing.Any(e => e.Key == versionKey))
                {
                    // STIX 2.1 §3.6: id + modified identifies a version; re-sending it changes nothing.
                    results.Add(new AddResult(obj.Id, versionText, AddOutcome.Duplicate));
                    continue;
                }
                if (existing.Any(e => e.Revoked && string.CompareOrdinal(e.Key, versionKey) < 0))
                {
                    // STIX 2.1 §3.6: "Revoking an object is permanent; future versions ... MUST NOT be created."
                    results.Add(new AddResult(obj.Id, versionText, AddOutcome.Rejected, "The object was revoked; no later version may be created (STIX 2.1 §3.6)."));
                    continue;
                }
            }
            else
            {
                // Objects without created/modified (SCOs): identical content is the same object; changed content is a
                // new version, stamped with the server's date_added (TAXII 2.1 §3.4.1 "consistent to the server").
                var same = existing.FirstOrDefault(e => JsonEquals(e.Json, obj.Json));
                if (same.Json is not null)
                {
                    results.Add(new AddResult(obj.Id, VersionText(same.Key), AddOutcome.Duplicate));
                    continue;
                }
                versionText = FormatMicros(dateAdded);
                versionKey = StixTimestamp.Parse(versionText).Key;
            }
            if (existing.Count > 0)
            {
                // A new version of a known object moves its first/last marks; they are settled after the inserts.
                reflagged.Add(obj.Id);
            }
            existing.Add((versionKey, obj.Json, obj.Revoked));
            rows.Add(new ObjectRowToInsert(dateAdded, obj, versionKey, versionText));
            next++;
            results.Add(new AddResult(obj.Id, versionText, AddOutcome.Added));
        }

        // Every version of every id written is in 'known' now, so each new row's first/last mark is final.
        foreach (var r in rows)
        {
            var versions = known[r.Stix.Id];
            r.IsFirst = versions.All(e => string.CompareOrdinal(r.VersionKey, e.Key) <= 0);
            r.IsLast = versions.All(e => string.CompareOrdinal(r.VersionKey, e.Key) >= 0);
        }
        await InsertRowsAsync(conn, tx, collectionId, rows, ct).ConfigureAwait(false);
        foreach (string id in reflagged)
        {
            var versions = known[id];
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE objects SET is_first = CASE WHEN version_key = @min THEN 1 ELSE 0 END, is_last = CASE WHEN version_key = @max THEN 1 ELSE 0 END " +
                "WHERE collection_id = @c AND id = @id",
                new { c = collectionId, id, min = versions.Select(e => e.Key).Min(StringComparer.Ordinal), max = versions.Select(e => e.Key).Max(StringComparer.Ordinal) },
                tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        await conn.ExecuteAsync(new CommandDefinition("UPDATE collections SET last_added = @last WHERE id = @collectionId",
            new { last = next - 1, collectionId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        return results;
    }

    /// <summary>A row about to be written, with its first/last marks settled.</summary>
    protected sealed class ObjectRowToInsert(long dateAdded, StixObject obj, string versionKey, string versionText)
    {
        /// <summary>Server-assigned date_added, µs since the epoch.</summary>
        public long DateAdded { get; } = dateAdded;

        /// <summary>The object.</summary>
        public StixObject Stix { get; } = obj;

        /// <summary>Sortable version key.</summary>
        public string VersionKey { get; } = versionKey;

        /// <summary>Version as written.</summary>
        public string VersionText { get; } = versionText;

        /// <summary>Whether this is the earliest version of its object in the collection.</summary>
        public bool IsFirst { get; set; }

        /// <summary>Whether this is the latest version of its object in the collection.</summary>
        public bool IsLast { get; set; }

        /// <summary>Strictest TLP level of its markings.</summary>
        public long Tlp => (long)TlpMarkings.Strictest(Stix.MarkingRefs);

        /// <summary>Its marking ids, comma-separated.</summary>
        public string Markings => string.Join(',', Stix.MarkingRefs);
    }

    /// <summary>
    /// Writes new rows. The default is one prepared INSERT executed per row, which is cheap in-process (SQLite); a
    /// server database overrides it to send all rows in one round trip.
    /// </summary>
    protected virtual async Task InsertRowsAsync(DbConnection conn, DbTransaction tx, string collectionId, IReadOnlyList<ObjectRowToInsert> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var insert = Command(conn, tx,
            "INSERT INTO objects (collection_id, date_added, id, type, spec_version, version_key, version, is_first, is_last, revoked, tlp, markings, json) " +
            "VALUES (@c, @d, @id, @type, @sv, @vk, @v, @first, @last, @revoked, @tlp, @markings, @json)",
            "c", "d", "id", "type", "sv", "vk", "v", "first", "last", "revoked", "tlp", "markings", "json");
        foreach (var r in rows)
        {
            Set(insert, collectionId, r.DateAdded, r.Stix.Id, r.Stix.Type, r.Stix.SpecVersion, r.VersionKey, r.VersionText,
                r.IsFirst ? 1 : 0, r.IsLast ? 1 : 0, r.Stix.Revoked ? 1 : 0, r.Tlp, r.Markings, r.Stix.Json);
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The versions already stored of every id in a write, read in a few queries rather than one per object: most
    /// ingested objects are new, and a per-object lookup would double the statements of a bulk import. The query
    /// filters on the ids alone (the unique index leads with id) and drops other collections' rows here: a query
    /// planner's estimate for a collection it has no statistics for yet (every new one) is far off, and a plan built
    /// on it scans the whole collection for each batch.
    /// </summary>
    private async Task<Dictionary<string, List<(string Key, string Json, bool Revoked)>>> ExistingVersionsAsync(
        DbConnection conn, DbTransaction tx, string collectionId, IReadOnlyList<StixObject> objects, CancellationToken ct)
    {
        var known = new Dictionary<string, List<(string, string, bool)>>(StringComparer.Ordinal);
        // 500 ids per statement stays well under SQLite's default limit of 32,766 bound parameters.
        foreach (var chunk in objects.Select(o => o.Id).Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var p = new DynamicParameters();
            var rows = await conn.QueryAsync<(string Collection, string Id, string Key, string Json, long Revoked)>(new CommandDefinition(
                VersionsOfIdsSql(p, chunk), p, tx, cancellationToken: ct)).ConfigureAwait(false);
            foreach (var r in rows)
            {
                if (r.Collection != collectionId)
                {
                    continue;
                }
                if (!known.TryGetValue(r.Id, out var list))
                {
                    known[r.Id] = list = [];
                }
                list.Add((r.Key, r.Json, r.Revoked != 0));
            }
        }
        return known;
    }

    /// <summary>
    /// The statement that reads (collection_id, id, version_key, json, revoked) of every stored version of the given
    /// ids, in any collection. It must probe the id-leading unique index once per id.
    /// </summary>
    protected virtual string VersionsOfIdsSql(DynamicParameters p, IReadOnlyCollection<string> ids) =>
        $"SELECT collection_id, id, version_key, json, revoked FROM objects WHERE {InList(p, "id", "ids", ids)}";

    /// <inheritdoc />
    public async Task<Page<StoredObject>> QueryObjectsAsync(ObjectQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT id AS Id, type AS Type, spec_version AS SpecVersion, version AS Version, date_added AS DateAdded, json AS Json FROM objects WHERE collection_id = @c");
        var p = new DynamicParameters();
        p.Add("c", query.CollectionId);
        if (query.AddedAfter is { } after)
        {
            sql.Append(" AND date_added > @after");
            p.Add("after", after);
        }
        if (query.Ids is { Count: > 0 } ids)
        {
            sql.Append(" AND ").Append(InList(p, "id", "ids", ids));
        }
        if (query.Types is { Count: > 0 } types)
        {
            sql.Append(" AND ").Append(InList(p, "type", "types", types));
        }
        AppendVersionFilter(sql, p, query.Versions);
        if (query.SpecVersions is { Count: > 0 } sv)
        {
            sql.Append(" AND ").Append(InList(p, "spec_version", "sv", sv));
        }
        if (query.VisibleTlp is { } visible)
        {
            sql.Append(" AND ").Append(InList(p, "tlp", "tlp", visible.Select(l => (long)l).ToArray()));
        }
        sql.Append(" ORDER BY date_added LIMIT @limit");
        p.Add("limit", query.Limit + 1);
        var rows = await QueryAsync<ObjectRow>(sql.ToString(), p, ct).ConfigureAwait(false);
        bool more = rows.Count > query.Limit;
        var items = rows.Take(query.Limit).Select(r => new StoredObject(r.Id, r.Type, r.SpecVersion, r.Version, r.DateAdded, r.Json)).ToList();
        return new Page<StoredObject>(items, more);
    }

    private void AppendVersionFilter(StringBuilder sql, DynamicParameters p, VersionFilter versions)
    {
        if (versions.All)
        {
            return;
        }
        var parts = new List<string>();
        if (versions.Last)
        {
            parts.Add("is_last = 1");
        }
        if (versions.First)
        {
            parts.Add("is_first = 1");
        }
        if (versions.Keys.Count > 0)
        {
            parts.Add(InList(p, "version_key", "vkeys", versions.Keys));
        }
        sql.Append(" AND (").Append(parts.Count == 0 ? "1 = 0" : string.Join(" OR ", parts)).Append(')');
    }

    /// <inheritdoc />
    public async Task<int> DeleteObjectAsync(string collectionId, string objectId, VersionFilter versions, IReadOnlyList<string>? specVersions, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(versions);
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
        var sql = new StringBuilder("DELETE FROM objects WHERE collection_id = @c AND id = @id");
        var p = new DynamicParameters();
        p.Add("c", collectionId);
        p.Add("id", objectId);
        AppendVersionFilter(sql, p, versions);
        if (specVersions is { Count: > 0 })
        {
            sql.Append(" AND ").Append(InList(p, "spec_version", "sv", specVersions));
        }
        int removed = await conn.ExecuteAsync(new CommandDefinition(sql.ToString(), p, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (removed > 0)
        {
            // Re-mark the first and last of what remains.
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE objects SET " +
                "is_first = CASE WHEN version_key = (SELECT MIN(o.version_key) FROM objects o WHERE o.collection_id = @c AND o.id = @id) THEN 1 ELSE 0 END, " +
                "is_last = CASE WHEN version_key = (SELECT MAX(o.version_key) FROM objects o WHERE o.collection_id = @c AND o.id = @id) THEN 1 ELSE 0 END " +
                "WHERE collection_id = @c AND id = @id", new { c = collectionId, id = objectId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return removed;
    }

    // ---- statuses and pending envelopes -------------------------------------------------------------------------

    private const string UpsertStatus =
        "INSERT INTO statuses (id, api_root, collection_id, account_id, status, request_timestamp, total_count, success_count, failure_count, pending_count, details) " +
        "VALUES (@Id, @ApiRoot, @CollectionId, @AccountId, @Status, @RequestTimestamp, @TotalCount, @SuccessCount, @FailureCount, @PendingCount, @Details) " +
        "ON CONFLICT (id) DO UPDATE SET status = excluded.status, total_count = excluded.total_count, success_count = excluded.success_count, " +
        "failure_count = excluded.failure_count, pending_count = excluded.pending_count, details = excluded.details";

    /// <inheritdoc />
    public Task SaveStatusAsync(StatusRecord status, CancellationToken ct = default) => ExecuteAsync(UpsertStatus, status, ct);

    /// <inheritdoc />
    public async Task<StatusRecord?> GetStatusAsync(string id, CancellationToken ct = default) =>
        (await QueryFirstAsync<StatusRow>(
            "SELECT id AS Id, api_root AS ApiRoot, collection_id AS CollectionId, account_id AS AccountId, status AS Status, request_timestamp AS RequestTimestamp, " +
            "total_count AS TotalCount, success_count AS SuccessCount, failure_count AS FailureCount, pending_count AS PendingCount, details AS Details FROM statuses WHERE id = @id",
            new { id }, ct).ConfigureAwait(false))?.ToRecord();

    /// <inheritdoc />
    public async Task AcceptEnvelopeAsync(StatusRecord status, PendingEnvelope envelope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(UpsertStatus, status, tx, cancellationToken: ct)).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition("INSERT INTO pending_envelopes (status_id, collection_id, body, received) VALUES (@StatusId, @CollectionId, @Body, @received)",
            new { envelope.StatusId, envelope.CollectionId, envelope.Body, received = NowMicros() }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PendingEnvelope>> ListPendingEnvelopesAsync(CancellationToken ct = default) =>
        QueryAsync<PendingEnvelope>("SELECT status_id AS StatusId, collection_id AS CollectionId, body AS Body FROM pending_envelopes ORDER BY received, status_id", null, ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddResult>> CompleteEnvelopeAsync(PendingEnvelope envelope, IReadOnlyList<StixObject> objects, Func<IReadOnlyList<AddResult>, StatusRecord> finalStatus, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(finalStatus);
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
        var results = await AddInTransactionAsync(conn, tx, envelope.CollectionId, objects, ct).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(UpsertStatus, finalStatus(results), tx, cancellationToken: ct)).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM pending_envelopes WHERE status_id = @StatusId", new { envelope.StatusId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return results;
    }

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    /// <summary>Formats µs since the epoch as a STIX/TAXII timestamp with microsecond precision.</summary>
    public static string FormatMicros(long micros) => StixTimestamp.Format(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), 6);

    private static string VersionText(string key) => key[..26] + "Z";

    private static bool JsonEquals(string a, string b)
    {
        if (a == b)
        {
            return true;
        }
        using var da = JsonDocument.Parse(a);
        using var db = JsonDocument.Parse(b);
        return JsonElement.DeepEquals(da.RootElement, db.RootElement);
    }

    private async Task<int> ExecuteAsync(string sql, object? param, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        return await conn.ExecuteAsync(new CommandDefinition(sql, param, cancellationToken: ct)).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        return [.. await conn.QueryAsync<T>(new CommandDefinition(sql, param, cancellationToken: ct)).ConfigureAwait(false)];
    }

    private async Task<T?> QueryFirstAsync<T>(string sql, object? param, CancellationToken ct)
    {
        var rows = await QueryAsync<T>(sql, param, ct).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : default;
    }

    private static DbCommand Command(DbConnection conn, DbTransaction tx, string sql, params string[] names)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
#pragma warning disable CA2100 // The text is a constant of this class; values travel as parameters.
        cmd.CommandText = sql;
#pragma warning restore CA2100
        foreach (string n in names)
        {
            var p = cmd.CreateParameter();
            // With the '@' the provider binds by exact name; without it, it tries each prefix in turn on every execution.
            p.ParameterName = "@" + n;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    private static void Set(DbCommand cmd, params object[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i];
        }
    }

    private sealed record AccountRow(string Id, string OrgId, string Name, long IsAdmin)
    {
        public Account ToAccount() => new(Id, OrgId, Name, IsAdmin != 0);
    }

    private sealed record KeyRow(string Id, string AccountId, string Label, string Salt, string Hash, long Created, long Revoked)
    {
        public ApiKeyRecord ToRecord() => new(Id, AccountId, Label, Salt, Hash, Created, Revoked != 0);
    }

    private sealed record GrantRow(string CollectionId, string OrgId, long CanRead, long CanWrite);

    private sealed record ObjectRow(string Id, string Type, string SpecVersion, string Version, long DateAdded, string Json);

    private sealed record StatusRow(string Id, string ApiRoot, string CollectionId, string AccountId, string Status, long RequestTimestamp,
        long TotalCount, long SuccessCount, long FailureCount, long PendingCount, string Details)
    {
        public StatusRecord ToRecord() => new(Id, ApiRoot, CollectionId, AccountId, Status, RequestTimestamp, (int)TotalCount, (int)SuccessCount, (int)FailureCount, (int)PendingCount, Details);
    }
}
