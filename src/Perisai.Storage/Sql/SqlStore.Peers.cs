using System.Data.Common;
using System.Text.Json;
using Dapper;
using Perisai.Stix.Sharing;

namespace Perisai.Storage.Sql;

/// <summary>Federation (issue 17): peers, links, conflicts, invitations, and writes of what peers send.</summary>
public abstract partial class SqlStore
{
    private const string PeerColumns = "SELECT id AS Id, name AS Name, url AS Url, home_org AS HomeOrg, serves AS Serves, account_id AS AccountId, " +
        "remote_key AS RemoteKey, fingerprint AS Fingerprint, created AS Created FROM peers";

    private const string LinkColumns = "SELECT id AS Id, peer_id AS PeerId, direction AS Direction, local_collection AS LocalCollection, remote_collection AS RemoteCollection, " +
        "every_seconds AS EverySeconds, cursor AS Cursor, newest AS Newest, last_run AS LastRun, last_duration_ms AS LastDurationMs, last_error AS LastError, " +
        "objects_in AS ObjectsIn, objects_out AS ObjectsOut, reasons AS Reasons, runs AS Runs, failures AS Failures FROM peer_links";

    /// <inheritdoc />
    public Task AddPeerAsync(Peer peer, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return ExecuteAsync("INSERT INTO peers (id, name, url, home_org, serves, account_id, remote_key, fingerprint, created) " +
            "VALUES (@Id, @Name, @Url, @HomeOrg, @serves, @AccountId, @RemoteKey, @Fingerprint, @Created); " + BumpTrust,
            new { peer.Id, peer.Name, peer.Url, peer.HomeOrg, serves = JsonSerializer.Serialize(peer.Serves), peer.AccountId, peer.RemoteKey, peer.Fingerprint, peer.Created }, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Peer>> ListPeersAsync(CancellationToken ct = default) =>
        [.. (await QueryAsync<PeerRow>($"{PeerColumns} ORDER BY name", null, ct).ConfigureAwait(false)).Select(r => r.ToPeer())];

    /// <inheritdoc />
    public async Task<bool> RemovePeerAsync(string peerId, CancellationToken ct = default)
    {
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
        string? account = await conn.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT account_id FROM peers WHERE id = @peerId", new { peerId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (account is null)
        {
            return false;
        }
        // Its keys stop working at once; the account stays, for the audit log and the objects that name it.
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM peer_links WHERE peer_id = @peerId; DELETE FROM peers WHERE id = @peerId; " +
            "UPDATE api_keys SET revoked = 1 WHERE account_id = @account; " + BumpTrust, new { peerId, account }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public Task AddLinkAsync(PeerLink link, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        return ExecuteAsync("INSERT INTO peer_links (id, peer_id, direction, local_collection, remote_collection, every_seconds) " +
            "VALUES (@Id, @PeerId, @direction, @LocalCollection, @RemoteCollection, @EverySeconds) " +
            "ON CONFLICT (peer_id, direction, local_collection, remote_collection) DO NOTHING; " + BumpTrust,
            new { link.Id, link.PeerId, direction = TrustNames.Of(link.Direction), link.LocalCollection, link.RemoteCollection, link.EverySeconds }, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PeerLink>> ListLinksAsync(string? peerId, CancellationToken ct = default) =>
        [.. (await QueryAsync<LinkRow>($"{LinkColumns} WHERE @peerId IS NULL OR peer_id = @peerId ORDER BY peer_id, direction, local_collection, remote_collection",
            new { peerId }, ct).ConfigureAwait(false)).Select(r => r.ToLink())];

    /// <inheritdoc />
    public async Task RecordProgressAsync(LinkProgress progress, CancellationToken ct = default)
    {
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
        await RecordProgressAsync(conn, tx, progress, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    private async Task RecordProgressAsync(DbConnection conn, DbTransaction tx, LinkProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(progress);
        string? stored = await conn.ExecuteScalarAsync<string?>(new CommandDefinition($"SELECT reasons FROM peer_links WHERE id = @LinkId{ForUpdate}",
            new { progress.LinkId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        var reasons = stored is null ? [] : JsonSerializer.Deserialize<Dictionary<string, long>>(stored) ?? [];
        foreach (var (reason, n) in progress.Reasons)
        {
            reasons[reason] = reasons.GetValueOrDefault(reason) + n;
        }
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE peer_links SET cursor = @Cursor, newest = CASE WHEN @Newest IS NULL OR (newest IS NOT NULL AND newest >= @Newest) THEN newest ELSE @Newest END, " +
            "objects_in = objects_in + @In, objects_out = objects_out + @Out, reasons = @reasons WHERE id = @LinkId",
            new { progress.Cursor, progress.Newest, progress.In, progress.Out, reasons = JsonSerializer.Serialize(reasons), progress.LinkId }, tx, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordReceivedAsync(string peerId, string collectionId, long added, IReadOnlyDictionary<string, long> reasons, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
        var links = await conn.QueryAsync<(string Id, string Cursor)>(new CommandDefinition(
            "SELECT id, cursor FROM peer_links WHERE peer_id = @peerId AND local_collection = @collectionId ORDER BY direction, id", new { peerId, collectionId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        foreach (var (id, cursor) in links.Take(1))
        {
            await RecordProgressAsync(conn, tx, new LinkProgress(id, cursor, null, added, 0, reasons), ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task RecordLinkRunAsync(string linkId, long started, long durationMs, string? failure, CancellationToken ct = default) =>
        ExecuteAsync("UPDATE peer_links SET last_run = @started, last_duration_ms = @durationMs, last_error = @error, runs = runs + 1, failures = failures + @failed WHERE id = @linkId",
            new { linkId, started, durationMs, error = failure, failed = failure is null ? 0 : 1 }, ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddResult>> AddFromPeerAsync(string collectionId, string peerId, IReadOnlyList<PeerObject> objects, LinkProgress? progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(objects);
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
        var peer = new PeerWrite(peerId);
        var results = objects.Count == 0 ? [] : await AddInTransactionAsync(conn, tx, collectionId, i => objects[i].Producer, [.. objects.Select(o => o.Stix)], peer, ct).ConfigureAwait(false);
        long now = NowMicros();
        foreach (var (id, version, detail) in peer.Conflicts)
        {
            await conn.ExecuteAsync(new CommandDefinition("INSERT INTO peer_conflicts (id, peer_id, collection_id, object_id, version, at, detail) VALUES (@cid, @peerId, @collectionId, @id, @version, @now, @detail)",
                new { cid = Guid.NewGuid().ToString(), peerId, collectionId, id, version, now, detail }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        if (progress is not null)
        {
            var reasons = new Dictionary<string, long>(progress.Reasons, StringComparer.Ordinal);
            foreach (var (reason, n) in LinkReasons.Of(results))
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + n;
            }
            await RecordProgressAsync(conn, tx, progress with { In = progress.In + results.Count(r => r.Outcome == AddOutcome.Added), Reasons = reasons }, ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return results;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PeerConflict>> ListConflictsAsync(string? peerId, int limit, CancellationToken ct = default) =>
        QueryAsync<PeerConflict>("SELECT id AS Id, peer_id AS PeerId, collection_id AS CollectionId, object_id AS ObjectId, version AS Version, at AS At, detail AS Detail " +
            "FROM peer_conflicts WHERE @peerId IS NULL OR peer_id = @peerId ORDER BY at DESC, id LIMIT @limit", new { peerId, limit }, ct);

    /// <inheritdoc />
    public Task AddInviteAsync(PeerInvite invite, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(invite);
        return ExecuteAsync("INSERT INTO peer_invites (id, name, account_id, serves, collections, expires) VALUES (@Id, @Name, @AccountId, @serves, @collections, @Expires)",
            new { invite.Id, invite.Name, invite.AccountId, serves = JsonSerializer.Serialize(invite.Serves), collections = JsonSerializer.Serialize(invite.Collections), invite.Expires }, ct);
    }

    /// <inheritdoc />
    public async Task<PeerInvite?> UseInviteAsync(string inviteId, long now, CancellationToken ct = default)
    {
        await using var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(conn, ct).ConfigureAwait(false);
        // One statement decides: of two joins racing with the same token, one updates the row and the other finds it spent.
        int spent = await conn.ExecuteAsync(new CommandDefinition("UPDATE peer_invites SET used = @now WHERE id = @inviteId AND used = 0 AND expires > @now",
            new { inviteId, now }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (spent == 0)
        {
            return null;
        }
        var row = (await conn.QueryAsync<(string Id, string Name, string AccountId, string Serves, string Collections, long Expires, long Used)>(new CommandDefinition(
            "SELECT id, name, account_id, serves, collections, expires, used FROM peer_invites WHERE id = @inviteId", new { inviteId }, tx, cancellationToken: ct)).ConfigureAwait(false)).Single();
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new PeerInvite(row.Id, row.Name, row.AccountId, Strings(row.Serves), Strings(row.Collections), row.Expires, row.Used);
    }

    /// <inheritdoc />
    public Task AddOrganizationWithIdAsync(Organization org, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(org);
        return ExecuteAsync("INSERT INTO organizations (id, name, country, kind, parent_id, created) VALUES (@Id, @Name, @Country, @kind, @ParentId, @created); " + BumpTrust,
            new { org.Id, org.Name, org.Country, kind = TrustNames.Of(org.Kind), org.ParentId, created = NowMicros() }, ct);
    }

    /// <inheritdoc />
    public Task<string?> GetSettingAsync(string name, CancellationToken ct = default) =>
        QueryFirstAsync<string?>("SELECT value FROM node_settings WHERE name = @name", new { name }, ct);

    /// <inheritdoc />
    public Task SetSettingAsync(string name, string value, CancellationToken ct = default) =>
        ExecuteAsync("INSERT INTO node_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value; " + BumpTrust, new { name, value }, ct);

    private async Task<IReadOnlyList<TrustedPeer>> TrustedPeersAsync(IReadOnlyList<Organization> orgs, CancellationToken ct)
    {
        var peers = await ListPeersAsync(ct).ConfigureAwait(false);
        var links = (await ListLinksAsync(null, ct).ConfigureAwait(false)).ToLookup(l => l.PeerId, l => l.LocalCollection, StringComparer.Ordinal);
        var parent = orgs.ToDictionary(o => o.Id, o => o.ParentId, StringComparer.Ordinal);
        // Constituency is this node's directory's to say, not the peer's: its home and the home's constituents are its own.
        return [.. peers.Select(p => new TrustedPeer(p.Id, p.AccountId, p.HomeOrg, p.Serves, links[p.Id].ToHashSet(StringComparer.Ordinal),
            p.Serves.Where(o => o == p.HomeOrg || (parent.TryGetValue(o, out string? up) && up == p.HomeOrg)).ToHashSet(StringComparer.Ordinal)))];
    }

    private static List<string> Strings(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    private sealed record PeerRow(string Id, string Name, string Url, string HomeOrg, string Serves, string AccountId, string? RemoteKey, string? Fingerprint, long Created)
    {
        public Peer ToPeer() => new(Id, Name, Url, HomeOrg, Strings(Serves), AccountId, RemoteKey, Fingerprint, Created);
    }

    private sealed record LinkRow(string Id, string PeerId, string Direction, string LocalCollection, string RemoteCollection, long EverySeconds, string Cursor,
        long? Newest, long? LastRun, long? LastDurationMs, string? LastError, long ObjectsIn, long ObjectsOut, string Reasons, long Runs, long Failures)
    {
        public PeerLink ToLink() => new(Id, PeerId, TrustNames.DirectionOf(Direction), LocalCollection, RemoteCollection, EverySeconds, Cursor, Newest, LastRun, LastDurationMs,
            LastError, ObjectsIn, ObjectsOut, JsonSerializer.Deserialize<Dictionary<string, long>>(Reasons) ?? [], Runs, Failures);
    }
}
