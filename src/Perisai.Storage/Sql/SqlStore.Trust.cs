using System.Data.Common;
using System.Text;
using Dapper;
using Perisai.Stix;
using Perisai.Stix.Markings;
using Perisai.Stix.Sharing;

namespace Perisai.Storage.Sql;

// Trust: communities, collection policy, the trust model, the sharing filter inside queries, and the audit log.
public abstract partial class SqlStore
{
    /// <summary>Appended to every statement that changes trust, so servers reload their model.</summary>
    private const string BumpTrust = "UPDATE trust_version SET version = version + 1 WHERE id = 1";

    /// <inheritdoc />
    public Task SetCollectionPolicyAsync(string collectionId, TlpLevel defaultTlp, bool isPublic, CancellationToken ct = default) =>
        // Unmarked objects take the new default at once; marked ones keep theirs (SharingPolicy.Effective).
        ExecuteAsync("UPDATE collections SET default_tlp = @d, is_public = @pub WHERE id = @c; " +
            "UPDATE objects SET tlp = CASE WHEN tlp_floor > @d THEN tlp_floor ELSE @d END WHERE collection_id = @c AND tlp_marked = 0; " + BumpTrust,
            new { c = collectionId, d = (long)defaultTlp, pub = isPublic ? 1 : 0 }, ct);

    /// <inheritdoc />
    public async Task<Community> AddCommunityAsync(string name, string definition, CancellationToken ct = default)
    {
        var c = new Community(Guid.NewGuid().ToString(), name, definition, []);
        await ExecuteAsync("INSERT INTO communities (id, name, definition, created) VALUES (@Id, @Name, @Definition, @created); " + BumpTrust,
            new { c.Id, c.Name, c.Definition, created = NowMicros() }, ct).ConfigureAwait(false);
        return c;
    }

    /// <inheritdoc />
    public Task SetCommunityMemberAsync(string communityId, string orgId, bool member, CancellationToken ct = default) =>
        ExecuteAsync((member
            ? "INSERT INTO community_members (community_id, org_id) VALUES (@communityId, @orgId) ON CONFLICT (community_id, org_id) DO NOTHING; "
            : "DELETE FROM community_members WHERE community_id = @communityId AND org_id = @orgId; ") + BumpTrust,
            new { communityId, orgId }, ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Community>> ListCommunitiesAsync(CancellationToken ct = default)
    {
        var communities = await QueryAsync<(string Id, string Name, string Definition)>("SELECT id, name, definition FROM communities ORDER BY name", null, ct).ConfigureAwait(false);
        var members = (await QueryAsync<(string Community, string Org)>("SELECT community_id, org_id FROM community_members ORDER BY org_id", null, ct).ConfigureAwait(false))
            .ToLookup(m => m.Community, m => m.Org, StringComparer.Ordinal);
        return [.. communities.Select(c => new Community(c.Id, c.Name, c.Definition, [.. members[c.Id]]))];
    }

    /// <inheritdoc />
    public async Task<Community?> FindCommunityAsync(string idOrName, CancellationToken ct = default) =>
        (await ListCommunitiesAsync(ct).ConfigureAwait(false)).FirstOrDefault(c => c.Id == idOrName || c.Name == idOrName);

    /// <inheritdoc />
    public async Task<long> TrustVersionAsync(CancellationToken ct = default)
    {
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT version FROM trust_version WHERE id = 1", cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<(long Version, TrustModel Model)> LoadTrustAsync(CancellationToken ct = default)
    {
        // The version first: a change that lands while the rest is read leaves this version stale, so the next check
        // reloads (the reverse order could pair a new version with old data).
        long version = await TrustVersionAsync(ct).ConfigureAwait(false);
        var orgs = await ListOrganizationsAsync(ct).ConfigureAwait(false);
        var communities = await ListCommunitiesAsync(ct).ConfigureAwait(false);
        var collections = await ListCollectionsAsync(null, ct).ConfigureAwait(false);
        var grants = (await ListGrantsAsync(null, ct).ConfigureAwait(false)).ToLookup(g => g.CollectionId, StringComparer.Ordinal);
        HashSet<string> Set(IEnumerable<Grant> g, PrincipalKind kind, Func<Grant, bool> right) =>
            g.Where(x => x.Kind == kind && right(x)).Select(x => x.PrincipalId).ToHashSet(StringComparer.Ordinal);
        var model = new TrustModel(
            orgs.Select(o => new TrustedOrg(o.Id, o.ParentId)),
            communities.ToDictionary(c => c.Id, c => (IReadOnlySet<string>)c.Members.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
            collections.Select(c =>
            {
                var g = grants[c.Id].ToList();
                return new CollectionTrust(c.Id, c.OwnerOrg ?? "", c.DefaultTlp, c.IsPublic,
                    Set(g, PrincipalKind.Org, x => x.CanRead), Set(g, PrincipalKind.Community, x => x.CanRead),
                    Set(g, PrincipalKind.Org, x => x.CanWrite), Set(g, PrincipalKind.Community, x => x.CanWrite));
            }),
            await TrustedPeersAsync(orgs, ct).ConfigureAwait(false));
        return (version, model);
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> VisibleRefsAsync(SharingFilter reader, IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(ids);
        var visible = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var p = new DynamicParameters();
            var sharing = new SharingSql(this, p, reader, null);
            string sql = $"SELECT g.id FROM organizations g WHERE {InList(p, "g.id", "ids", chunk)} UNION " +
                $"SELECT u.id FROM objects u WHERE {InList(p, "u.id", "ids", chunk)} AND {sharing.VisibleAsRef("u", SharingPolicy.RefDepth - 1)}";
            visible.UnionWith(await QueryAsync<string>(sql, p, ct).ConfigureAwait(false));
        }
        return visible;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SharedObject>> SharedVersionsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var result = new List<SharedObject>();
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var p = new DynamicParameters();
            var rows = await QueryAsync<(string Collection, string Producer, string Json)>(
                $"SELECT collection_id, producer, json FROM objects WHERE {InList(p, "id", "ids", chunk)}", p, ct).ConfigureAwait(false);
            foreach (var r in rows)
            {
                using var doc = System.Text.Json.JsonDocument.Parse(r.Json);
                result.Add(SharedObject.Of(StixObject.FromJson(doc.RootElement), r.Collection, r.Producer));
            }
        }
        return result;
    }

    /// <summary>Writes the recipients and refs of new rows: the sharing filter probes them by primary key.</summary>
    private static async Task InsertSharingRowsAsync(DbConnection conn, DbTransaction tx, string collectionId, IReadOnlyList<ObjectRowToInsert> rows, CancellationToken ct)
    {
        var recipients = rows.SelectMany(r => r.Shared.Recipients.Select(o => new { c = collectionId, d = r.DateAdded, o })).ToList();
        if (recipients.Count > 0)
        {
            await conn.ExecuteAsync(new CommandDefinition("INSERT INTO object_recipients (collection_id, date_added, org_id) VALUES (@c, @d, @o)", recipients, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        var values = rows.SelectMany(r => ObjectValues.Of(r.Stix.Json).Select(v => new { c = collectionId, d = r.DateAdded, v })).ToList();
        if (values.Count > 0)
        {
            await conn.ExecuteAsync(new CommandDefinition("INSERT INTO object_values (collection_id, date_added, value) VALUES (@c, @d, @v)", values, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        var refs = rows.SelectMany(r => r.Shared.Refs.Distinct(StringComparer.Ordinal).Select(x => new { c = collectionId, d = r.DateAdded, x })).ToList();
        if (refs.Count > 0)
        {
            await conn.ExecuteAsync(new CommandDefinition("INSERT INTO object_refs (collection_id, date_added, ref_id) VALUES (@c, @d, @x)", refs, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<int> DeleteVersionsAsync(string collectionId, string objectId, IReadOnlyList<long> dateAdded, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dateAdded);
        if (dateAdded.Count == 0)
        {
            return 0;
        }
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
        int removed = await DeleteRowsAsync(conn, tx, collectionId, objectId, dateAdded, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return removed;
    }

    private async Task<int> DeleteRowsAsync(DbConnection conn, DbTransaction tx, string collectionId, string objectId, IReadOnlyList<long> dateAdded, CancellationToken ct)
    {
        int removed = 0;
        foreach (var chunk in dateAdded.Chunk(500))
        {
            foreach (string table in new[] { "object_recipients", "object_refs", "object_values" })
            {
                var q = new DynamicParameters(new { c = collectionId });
                await conn.ExecuteAsync(new CommandDefinition($"DELETE FROM {table} WHERE collection_id = @c AND {InList(q, "date_added", "d", chunk)}", q, tx, cancellationToken: ct)).ConfigureAwait(false);
            }
            var p = new DynamicParameters(new { c = collectionId, id = objectId });
            removed += await conn.ExecuteAsync(new CommandDefinition($"DELETE FROM objects WHERE collection_id = @c AND id = @id AND {InList(p, "date_added", "d", chunk)}", p, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        if (removed > 0)
        {
            // Re-mark the first and last of what remains.
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE objects SET " +
                "is_first = CASE WHEN version_key = (SELECT MIN(o.version_key) FROM objects o WHERE o.collection_id = @c AND o.id = @id) THEN 1 ELSE 0 END, " +
                "is_last = CASE WHEN version_key = (SELECT MAX(o.version_key) FROM objects o WHERE o.collection_id = @c AND o.id = @id) THEN 1 ELSE 0 END " +
                "WHERE collection_id = @c AND id = @id", new { c = collectionId, id = objectId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        return removed;
    }

    // ---- audit log ----------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public async Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_log (id, at, account_id, org_id, action, target, detail, source) VALUES (@Id, @At, @AccountId, @OrgId, @Action, @Target, @Detail, @Source)",
            entries, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT id AS Id, at AS At, account_id AS AccountId, org_id AS OrgId, action AS Action, target AS Target, detail AS Detail, source AS Source FROM audit_log WHERE 1 = 1");
        var p = new DynamicParameters();
        if (query.Since is { } since)
        {
            sql.Append(" AND at >= @since");
            p.Add("since", since);
        }
        if (query.OrgId is { } org)
        {
            sql.Append(" AND org_id = @org");
            p.Add("org", org);
        }
        if (query.ActionPrefix is { } prefix)
        {
            // A prefix compare that needs no LIKE escaping: every action starting with it sorts in [prefix, prefix + U+FFFF).
            sql.Append(" AND action >= @prefix AND action < @prefixEnd");
            p.Add("prefix", prefix);
            p.Add("prefixEnd", prefix + '\uffff');
        }
        sql.Append(" ORDER BY at DESC, id DESC LIMIT @limit");
        p.Add("limit", Math.Clamp(query.Limit, 1, 100_000));
        return QueryAsync<AuditEntry>(sql.ToString(), p, ct);
    }

    /// <summary>
    /// The sharing policy (<see cref="SharingPolicy"/>) as SQL over an alias of <c>objects</c>, with the reader's sets bound
    /// once as parameters. Each method mirrors the C# function of the same name; a property test holds them together.
    /// </summary>
    /// <summary>
    /// The reader's filter as SQL: <see cref="SharingPolicy.IsVisible"/> for one organization, or for any of several
    /// (a peer node reads for each organization it speaks for, each judged whole by its own side of the policy: a
    /// relationship passes only when one organization sees both its ends, never half by one and half by another).
    /// </summary>
    private sealed class SharingSql
    {
        private readonly List<OneReader> _members;
        private readonly SharingFilter _f;
        private readonly DynamicParameters _p;

        /// <summary>A generator binding the reader's sets into <paramref name="p"/>.</summary>
        /// <param name="store">The dialect.</param>
        /// <param name="p">The statement's parameters.</param>
        /// <param name="f">The reader.</param>
        /// <param name="collection">The collection of the outermost rows, when fixed: its checks become constants.</param>
        public SharingSql(SqlStore store, DynamicParameters p, SharingFilter f, string? collection)
        {
            (_f, _p) = (f, p);
            var shared = new int[1];
            _members = [.. f.Members.Select((m, i) => new OneReader(store, p, m, collection, i == 0 ? "" : $"m{i}_", shared))];
        }

        /// <summary>Whether the reader may read the collection at all (the channel, before any marking).</summary>
        public static bool MayReadCollection(SharingFilter f, string collectionId) => f.Members.Any(m => m.Readable.Contains(collectionId));

        /// <summary>SharingPolicy.IsVisible, for rows of the fixed collection; a peer's own versions are not sent back.</summary>
        public string Visible(string t)
        {
            string any = _members.Count == 1 ? _members[0].Visible(t) : "(" + string.Join(" OR ", _members.Select(m => m.Visible(t))) + ")";
            if (_f.NotVia is { } via)
            {
                _p.Add("notvia", via);
                any += $" AND {t}.via <> @notvia";
            }
            if (_f.NotProducer is { } producer)
            {
                _p.Add("notproducer", producer);
                any += $" AND {t}.producer <> @notproducer";
            }
            return "(" + any + ")";
        }

        /// <summary>Whether a row, in any collection, is visible as a ref would be at <paramref name="depth"/>.</summary>
        public string VisibleAsRef(string t, int depth) =>
            "(" + string.Join(" OR ", _members.Select(m => $"({m.Base(t)} AND {m.RefsOk(t, depth)})")) + ")";
    }

    /// <summary>One organization's side of <see cref="SharingSql"/>, its parameters named with <c>prefix</c>.</summary>
    private sealed class OneReader
    {
        private readonly SqlStore _store;
        private readonly DynamicParameters _p;
        private readonly SharingFilter _f;
        private readonly string? _collection;
        private readonly string _n;
        private readonly int[] _aliases;

        public OneReader(SqlStore store, DynamicParameters p, SharingFilter f, string? collection, string prefix, int[] aliases)
        {
            (_store, _p, _f, _collection, _n, _aliases) = (store, p, f, collection, prefix, aliases);
            p.Add(_n + "rd", f.OrgId);
            if (collection is not null)
            {
                p.Add(_n + "green", f.Green.Contains(collection) ? 1 : 0);
                p.Add(_n + "readable", f.Readable.Contains(collection) ? 1 : 0);
            }
        }

        private string Alias(string prefix) => $"{prefix}{++_aliases[0]}";

        /// <summary>SharingPolicy.MayRead: the collection may be read, and the TLP rule allows it.</summary>
        public string Base(string t, bool inFixedCollection = false)
        {
            string x = Alias("x");
            string red = _f.LeavingNode ? $"{t}.tlp <> {(int)TlpLevel.Red} AND " : "";
            string collectionOk = inFixedCollection ? $"@{_n}readable = 1" : _store.InList(_p, $"{t}.collection_id", _n + "rc", _f.Readable);
            string green = inFixedCollection ? $"@{_n}green = 1" : _store.InList(_p, $"{t}.collection_id", _n + "gc", _f.Green);
            // One probe of the recipients for AMBER (the reader or the organization it is a constituent of) and for
            // AMBER+STRICT and RED (the reader itself).
            // TLP:CLEAR first: the commonest marking in shared feeds settles the row with one integer comparison.
            if (_f.RelayOnly)
            {
                // Relayed for, not its own node (a hub): CLEAR, and GREEN within the community; nothing else.
                return $"({red}{collectionOk} AND ({t}.tlp = {(int)TlpLevel.Clear} OR ({t}.tlp = {(int)TlpLevel.Green} AND {green})))";
            }
            return $"({red}{collectionOk} AND ({t}.tlp = {(int)TlpLevel.Clear} OR {t}.producer = @{_n}rd OR ({t}.tlp = {(int)TlpLevel.Green} AND {green})" +
                $" OR ({t}.tlp >= {(int)TlpLevel.Amber} AND EXISTS (SELECT 1 FROM object_recipients {x} WHERE {x}.collection_id = {t}.collection_id AND {x}.date_added = {t}.date_added" +
                $" AND ({x}.org_id = @{_n}rd OR ({t}.tlp = {(int)TlpLevel.Amber} AND {_store.InList(_p, $"{x}.org_id", _n + "reach", _f.AmberReach)}))))))";
        }

        /// <summary>
        /// SharingPolicy.RefsAllow, with one probe of the refs for both rules: an object that needs all its refs is
        /// hidden by one ref that is not visible; one that needs any is shown by one that is. So both ask "is there a
        /// ref whose visibility equals (rule = Any)?", and the answer means hidden for All and shown for Any. One
        /// probe per level keeps the statement linear in <see cref="SharingPolicy.RefDepth"/>, not exponential.
        /// </summary>
        public string RefsOk(string t, int depth)
        {
            string r = Alias("r");
            return $"({t}.ref_rule = {(int)RefRule.None} OR (({t}.ref_rule = {(int)RefRule.Any}) = EXISTS (SELECT 1 FROM object_refs {r} WHERE {r}.collection_id = {t}.collection_id" +
                $" AND {r}.date_added = {t}.date_added AND ({RefVisible($"{r}.ref_id", depth)}) = ({t}.ref_rule = {(int)RefRule.Any}))))";
        }

        /// <summary>SharingPolicy.RefVisible.</summary>
        public string RefVisible(string id, int depth)
        {
            string g = Alias("g"), u = Alias("u");
            // RefsOk already admits an object that stands alone; at the last level only such an object counts.
            string refs = depth > 1 ? RefsOk(u, depth - 1) : $"{u}.ref_rule = {(int)RefRule.None}";
            return $"(EXISTS (SELECT 1 FROM organizations {g} WHERE {g}.id = {id}) OR EXISTS (SELECT 1 FROM objects {u} WHERE {u}.id = {id} AND {Base(u)} AND {refs}))";
        }

        /// <summary>SharingPolicy.IsVisible, for rows of the fixed collection.</summary>
        public string Visible(string t) => $"({Base(t, _collection is not null)} AND {RefsOk(t, SharingPolicy.RefDepth)})";
    }
}
