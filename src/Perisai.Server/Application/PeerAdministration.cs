using System.Text.Json;
using Perisai.Server.Auth;
using Perisai.Server.Federation;
using Perisai.Storage;

namespace Perisai.Server.Application;

/// <summary>What the node says of itself to peers.</summary>
/// <param name="Home">Its home organization (the CERT that runs it), or null before it is set.</param>
/// <param name="Url">Its public address, as peers reach it.</param>
/// <param name="AlsoServes">Organizations it speaks for beyond its home organization and that one's constituents (a regional hub).</param>
public sealed record NodeIdentity(Organization? Home, string? Url, IReadOnlyList<string> AlsoServes);

/// <summary>A peer with its links and what it has conflicted on.</summary>
public sealed record PeerView(Peer Peer, IReadOnlyList<PeerLink> Links, IReadOnlyList<PeerConflict> Conflicts);

/// <summary>An invitation made: the token to hand over (once) and what it allows.</summary>
public sealed record InviteMade(string Token, PeerInvite Invite);

/// <summary>
/// The one administration of peers (issue 17): the node's identity, invitations and joining, peers added by hand,
/// removal, and their status. The command line, the API and the web page call it; every change is audited.
/// Refusals are <see cref="TrustAdministrationException"/>s, as for every other change of trust.
/// </summary>
public sealed class PeerAdministration(IStixStore store, TrustAdministration trust, PeerSync sync, TimeProvider time)
{
    private const string HomeSetting = "federation.home";
    private const string UrlSetting = "federation.url";
    private const string ServesSetting = "federation.serves";

    /// <summary>How long an invitation may be used by default.</summary>
    public static readonly TimeSpan InviteLifetime = TimeSpan.FromDays(2);

    private IPeerStore Peers => store as IPeerStore ?? throw new InvalidOperationException("This store keeps no peers.");

    /// <summary>The node's identity as peers see it.</summary>
    public async Task<NodeIdentity> IdentityAsync(CancellationToken ct)
    {
        string? home = await Peers.GetSettingAsync(HomeSetting, ct).ConfigureAwait(false);
        string? url = await Peers.GetSettingAsync(UrlSetting, ct).ConfigureAwait(false);
        string? serves = await Peers.GetSettingAsync(ServesSetting, ct).ConfigureAwait(false);
        return new NodeIdentity(home is null ? null : await store.FindOrganizationAsync(home, ct).ConfigureAwait(false), url,
            serves is null ? [] : JsonSerializer.Deserialize<List<string>>(serves) ?? []);
    }

    /// <summary>Sets what is given of the node's identity (administrators and the operator).</summary>
    public async Task<NodeIdentity> ConfigureAsync(Actor actor, string? home, string? url, IReadOnlyList<string>? alsoServes, CancellationToken ct)
    {
        RequireAdmin(actor);
        if (home is not null)
        {
            var org = await OrgAsync(home, ct).ConfigureAwait(false);
            await Peers.SetSettingAsync(HomeSetting, org.Id, ct).ConfigureAwait(false);
        }
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp))
            {
                throw Refuse(TrustRefusal.Invalid, FederationMessages.NotAUrl(url));
            }
            await Peers.SetSettingAsync(UrlSetting, url, ct).ConfigureAwait(false);
        }
        if (alsoServes is not null)
        {
            var ids = new List<string>();
            foreach (string o in alsoServes)
            {
                ids.Add((await OrgAsync(o, ct).ConfigureAwait(false)).Id);
            }
            await Peers.SetSettingAsync(ServesSetting, JsonSerializer.Serialize(ids), ct).ConfigureAwait(false);
        }
        var identity = await IdentityAsync(ct).ConfigureAwait(false);
        await trust.RecordAsync(actor, "node.identity", identity.Home?.Id, $"url={identity.Url} also_serves={identity.AlsoServes.Count}", ct).ConfigureAwait(false);
        return identity;
    }

    /// <summary>The organizations this node speaks for: its home organization first, its constituents, then the others it was given.</summary>
    public async Task<IReadOnlyList<Organization>> ServedAsync(NodeIdentity identity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Home is null)
        {
            return [];
        }
        var orgs = await store.ListOrganizationsAsync(ct).ConfigureAwait(false);
        return [.. new[] { identity.Home }
            .Concat(orgs.Where(o => o.ParentId == identity.Home.Id))
            .Concat(orgs.Where(o => identity.AlsoServes.Contains(o.Id)))
            .DistinctBy(o => o.Id)];
    }

    /// <summary>
    /// Invites a node to join: a sync account for it in <paramref name="forOrg"/>, a fresh key, and a one-time token that
    /// carries them with this node's address, certificate fingerprint, identity and the collections linked both ways.
    /// The invitee speaks for <paramref name="serves"/> (by default its organization and that one's constituents).
    /// </summary>
    public async Task<InviteMade> InviteAsync(Actor actor, string name, string forOrg, IReadOnlyList<string>? serves, IReadOnlyList<string> collections,
        string? fingerprint, TimeSpan? lifetime, CancellationToken ct)
    {
        RequireAdmin(actor);
        ArgumentNullException.ThrowIfNull(collections);
        var identity = await IdentityAsync(ct).ConfigureAwait(false);
        if (identity.Home is null || identity.Url is null)
        {
            throw Refuse(TrustRefusal.Invalid, FederationMessages.NoIdentity);
        }
        await RequireNewNameAsync(name, ct).ConfigureAwait(false);
        var invitee = await OrgAsync(forOrg, ct).ConfigureAwait(false);
        var orgs = await store.ListOrganizationsAsync(ct).ConfigureAwait(false);
        var theirs = new List<Organization> { invitee };
        if (serves is { Count: > 0 })
        {
            foreach (string s in serves)
            {
                theirs.Add(await OrgAsync(s, ct).ConfigureAwait(false));
            }
        }
        else
        {
            theirs.AddRange(orgs.Where(o => o.ParentId == invitee.Id));
        }
        theirs = [.. theirs.DistinctBy(o => o.Id)];
        var offered = new List<OfferedChannel>();
        foreach (string c in collections)
        {
            var col = await store.GetCollectionAsync(c, ct).ConfigureAwait(false) ?? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoCollection(c));
            offered.Add(new OfferedChannel(col.Id, col.Alias, col.Title));
        }
        if (offered.Count == 0)
        {
            throw Refuse(TrustRefusal.Invalid, FederationMessages.NoCollections);
        }
        var key = await trust.IssueKeyAsync(actor, AccountName(name), invitee.Id, "sync", $"peer {name}", ct).ConfigureAwait(false);
        if (key.Account.Role != Role.Sync)
        {
            throw Refuse(TrustRefusal.Conflict, FederationMessages.AccountNotSync(key.Account.Name));
        }
        var invite = new PeerInvite(Guid.NewGuid().ToString(), name, key.Account.Id, [.. theirs.Select(o => o.Id)], [.. offered.Select(o => o.Id)],
            Micros(time.GetUtcNow() + (lifetime ?? InviteLifetime)));
        await Peers.AddInviteAsync(invite, ct).ConfigureAwait(false);
        var served = await ServedAsync(identity, ct).ConfigureAwait(false);
        var token = new PeerToken(1, identity.Url, invite.Id, key.Secret, fingerprint, identity.Home.Name,
            [.. served.Select(o => Entry(o, orgs))], [.. theirs.Select(o => Entry(o, orgs))], offered);
        await trust.RecordAsync(actor, "peer.invite", invite.Id, $"name={name} for={invitee.Id} serves={theirs.Count} collections={offered.Count}", ct).ConfigureAwait(false);
        return new InviteMade(token.Encode(), invite);
    }

    /// <summary>
    /// The inviting side of a join: the caller holds the invitation's key; the invitation is spent, the peer made with
    /// the joiner's address and key, and a push link made for each collection the invitation offered and the joiner
    /// paired.
    /// </summary>
    public async Task<Peer> AcceptJoinAsync(Caller caller, JoinRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var invite = await Peers.UseInviteAsync(request.Invite, Micros(time.GetUtcNow()), ct).ConfigureAwait(false);
        if (invite is null || invite.AccountId != caller.Account.Id)
        {
            throw Refuse(TrustRefusal.Forbidden, FederationMessages.InviteSpent);
        }
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out _))
        {
            throw Refuse(TrustRefusal.Invalid, FederationMessages.NotAUrl(request.Url));
        }
        var peer = new Peer(Guid.NewGuid().ToString(), invite.Name, request.Url, invite.Serves[0], invite.Serves, invite.AccountId, request.Key, request.Fingerprint, Micros(time.GetUtcNow()));
        await Peers.AddPeerAsync(peer, ct).ConfigureAwait(false);
        foreach (var pair in request.Collections.Where(p => invite.Collections.Contains(p.Inviter)))
        {
            await Peers.AddLinkAsync(new PeerLink(Guid.NewGuid().ToString(), peer.Id, LinkDirection.Push, pair.Inviter, pair.Joiner, 0), ct).ConfigureAwait(false);
        }
        await trust.RecordAsync(Actor.Of(caller), "peer.add", peer.Id, $"name={peer.Name} by=invite serves={peer.Serves.Count}", ct).ConfigureAwait(false);
        return peer;
    }

    /// <summary>
    /// The joining side: this node takes the token, checks it can reach the inviter with its key (and pinned
    /// certificate), adds the organizations the token names that it does not know (same ids), makes a sync account and
    /// key for the inviter, completes the join there, and makes the peer with a push link per paired collection. Both
    /// directions exist when this returns.
    /// </summary>
    public async Task<PeerView> JoinAsync(Actor actor, string tokenText, string? name, CancellationToken ct)
    {
        RequireAdmin(actor);
        if (!PeerToken.TryDecode(tokenText, out var token, out string? error))
        {
            throw Refuse(TrustRefusal.Invalid, error!);
        }
        var identity = await IdentityAsync(ct).ConfigureAwait(false);
        if (identity.Home is null || identity.Url is null)
        {
            throw Refuse(TrustRefusal.Invalid, FederationMessages.NoIdentity);
        }
        if (token!.You[0].Id != identity.Home.Id)
        {
            throw Refuse(TrustRefusal.Invalid, FederationMessages.InviteForOther(token.You[0].Name, identity.Home.Name));
        }
        string peerName = name ?? token.Name;
        await RequireNewNameAsync(peerName, ct).ConfigureAwait(false);
        foreach (var entry in token.Serves)
        {
            await EnsureOrganizationAsync(entry, ct).ConfigureAwait(false);
        }
        var pairs = new List<CollectionPair>();
        foreach (var offered in token.Collections)
        {
            var local = await store.GetCollectionAsync(offered.Id, ct).ConfigureAwait(false)
                ?? (offered.Alias is null ? null : await store.GetCollectionAsync(offered.Alias, ct).ConfigureAwait(false));
            if (local is not null)
            {
                pairs.Add(new CollectionPair(offered.Id, local.Id));
            }
        }
        if (pairs.Count == 0)
        {
            throw Refuse(TrustRefusal.NotFound, FederationMessages.NoCollectionInCommon(string.Join(", ", token.Collections.Select(c => c.Alias ?? c.Id))));
        }
        using var client = await TaxiiClient.ConnectAsync(token.Url, sync.ClientOptions(token.Key, token.Fingerprint), ct).ConfigureAwait(false);
        var key = await trust.IssueKeyAsync(actor, AccountName(peerName), token.Serves[0].Id, "sync", $"peer {peerName}", ct).ConfigureAwait(false);
        if (key.Account.Role != Role.Sync)
        {
            throw Refuse(TrustRefusal.Conflict, FederationMessages.AccountNotSync(key.Account.Name));
        }
        var request = new JoinRequest(token.Invite, identity.Url, key.Secret, null, identity.Home.Name, pairs);
        await client.PostNodeApiAsync("api/v1/peers/join", JsonSerializer.Serialize(request), ct).ConfigureAwait(false);
        var peer = new Peer(Guid.NewGuid().ToString(), peerName, token.Url, token.Serves[0].Id, [.. token.Serves.Select(s => s.Id)], key.Account.Id, token.Key, token.Fingerprint, Micros(time.GetUtcNow()));
        await Peers.AddPeerAsync(peer, ct).ConfigureAwait(false);
        foreach (var pair in pairs)
        {
            await Peers.AddLinkAsync(new PeerLink(Guid.NewGuid().ToString(), peer.Id, LinkDirection.Push, pair.Joiner, pair.Inviter, 0), ct).ConfigureAwait(false);
        }
        await trust.RecordAsync(actor, "peer.add", peer.Id, $"name={peer.Name} by=join serves={peer.Serves.Count}", ct).ConfigureAwait(false);
        return await ViewAsync(peer, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds a peer by hand: any TAXII 2.1 server (Perisai or not), the key this node calls it with, who it speaks for,
    /// and its links (<c>remote=local</c> pulls, <c>local=remote</c> pushes). A sync account is made for it too, so a
    /// Perisai peer can be given a key to call in.
    /// </summary>
    public async Task<PeerView> AddAsync(Actor actor, string name, string url, string? key, string? fingerprint, string home, IReadOnlyList<string> serves,
        IReadOnlyList<(string Remote, string Local)> pulls, IReadOnlyList<(string Local, string Remote)> pushes, long everySeconds, CancellationToken ct)
    {
        RequireAdmin(actor);
        ArgumentNullException.ThrowIfNull(serves);
        ArgumentNullException.ThrowIfNull(pulls);
        ArgumentNullException.ThrowIfNull(pushes);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp))
        {
            throw Refuse(TrustRefusal.Invalid, FederationMessages.NotAUrl(url));
        }
        if (everySeconds < 0)
        {
            throw Refuse(TrustRefusal.Invalid, FederationMessages.BadInterval(everySeconds));
        }
        await RequireNewNameAsync(name, ct).ConfigureAwait(false);
        var homeOrg = await OrgAsync(home, ct).ConfigureAwait(false);
        var served = new List<string> { homeOrg.Id };
        foreach (string s in serves)
        {
            served.Add((await OrgAsync(s, ct).ConfigureAwait(false)).Id);
        }
        var links = new List<(LinkDirection, string Local, string Remote)>();
        foreach (var (remote, local) in pulls)
        {
            links.Add((LinkDirection.Pull, await CollectionIdAsync(local, ct).ConfigureAwait(false), remote));
        }
        foreach (var (local, remote) in pushes)
        {
            links.Add((LinkDirection.Push, await CollectionIdAsync(local, ct).ConfigureAwait(false), remote));
        }
        if (links.Count == 0)
        {
            throw Refuse(TrustRefusal.Invalid, FederationMessages.NoLinks);
        }
        var account = await trust.AddSyncAccountAsync(actor, AccountName(name), homeOrg.Id, ct).ConfigureAwait(false);
        var peer = new Peer(Guid.NewGuid().ToString(), name, url, homeOrg.Id, [.. served.Distinct(StringComparer.Ordinal)], account.Id, key, fingerprint, Micros(time.GetUtcNow()));
        await Peers.AddPeerAsync(peer, ct).ConfigureAwait(false);
        foreach (var (direction, local, remote) in links)
        {
            await Peers.AddLinkAsync(new PeerLink(Guid.NewGuid().ToString(), peer.Id, direction, local, remote, everySeconds), ct).ConfigureAwait(false);
        }
        await trust.RecordAsync(actor, "peer.add", peer.Id, $"name={name} by=hand serves={peer.Serves.Count} links={links.Count}", ct).ConfigureAwait(false);
        return await ViewAsync(peer, ct).ConfigureAwait(false);
    }

    /// <summary>Removes a peer: its links stop, its keys are revoked; what it sent stays (administrators and the operator).</summary>
    public async Task RemoveAsync(Actor actor, string idOrName, CancellationToken ct)
    {
        RequireAdmin(actor);
        var peer = await FindAsync(idOrName, ct).ConfigureAwait(false);
        await Peers.RemovePeerAsync(peer.Id, ct).ConfigureAwait(false);
        await trust.RecordAsync(actor, "peer.remove", peer.Id, $"name={peer.Name}", ct).ConfigureAwait(false);
    }

    /// <summary>Every peer with its links and latest conflicts.</summary>
    public async Task<IReadOnlyList<PeerView>> ListAsync(CancellationToken ct)
    {
        var result = new List<PeerView>();
        foreach (var p in await Peers.ListPeersAsync(ct).ConfigureAwait(false))
        {
            result.Add(await ViewAsync(p, ct).ConfigureAwait(false));
        }
        return result;
    }

    /// <summary>One peer by id or name, or the refusal.</summary>
    public async Task<Peer> FindAsync(string idOrName, CancellationToken ct) =>
        (await Peers.ListPeersAsync(ct).ConfigureAwait(false)).FirstOrDefault(p => p.Id == idOrName || p.Name == idOrName)
        ?? throw Refuse(TrustRefusal.NotFound, FederationMessages.NoPeer(idOrName));

    /// <summary>Runs every link of a peer now (administrators and the operator); one link's failure does not stop the others.</summary>
    public async Task<IReadOnlyList<(PeerLink Link, LinkRun Run)>> RunAsync(Actor actor, string idOrName, CancellationToken ct)
    {
        RequireAdmin(actor);
        var peer = await FindAsync(idOrName, ct).ConfigureAwait(false);
        var runs = new List<(PeerLink, LinkRun)>();
        foreach (var link in await Peers.ListLinksAsync(peer.Id, ct).ConfigureAwait(false))
        {
            runs.Add((link, await sync.RunAsync(peer, link, ct).ConfigureAwait(false)));
        }
        return runs;
    }

    private async Task<PeerView> ViewAsync(Peer peer, CancellationToken ct) =>
        new(peer, await Peers.ListLinksAsync(peer.Id, ct).ConfigureAwait(false), await Peers.ListConflictsAsync(peer.Id, 20, ct).ConfigureAwait(false));

    private async Task EnsureOrganizationAsync(DirectoryEntry entry, CancellationToken ct)
    {
        var byId = await store.FindOrganizationAsync(entry.Id, ct).ConfigureAwait(false);
        if (byId is not null)
        {
            return;
        }
        if (await store.FindOrganizationAsync(entry.Name, ct).ConfigureAwait(false) is { } byName)
        {
            // Two ids for one CERT would split what is addressed to it: the operator must settle which is right.
            throw Refuse(TrustRefusal.Conflict, FederationMessages.OrganizationIdDiffers(entry.Name, byName.Id, entry.Id));
        }
        string? parent = entry.Parent is not null && await store.FindOrganizationAsync(entry.Parent, ct).ConfigureAwait(false) is { } p ? p.Id : null;
        await Peers.AddOrganizationWithIdAsync(new Organization(entry.Id, entry.Name, entry.Country, TrustNames.KindOf(entry.Kind), parent), ct).ConfigureAwait(false);
    }

    private static DirectoryEntry Entry(Organization o, IReadOnlyList<Organization> all) =>
        new(o.Id, o.Name, o.Country, TrustNames.Of(o.Kind), o.ParentId is null ? null : all.FirstOrDefault(p => p.Id == o.ParentId)?.Id);

    private async Task RequireNewNameAsync(string name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw Refuse(TrustRefusal.Invalid, FederationMessages.BadPeerName);
        }
        if ((await Peers.ListPeersAsync(ct).ConfigureAwait(false)).Any(p => p.Name == name))
        {
            throw Refuse(TrustRefusal.Conflict, FederationMessages.PeerExists(name));
        }
    }

    private async Task<Organization> OrgAsync(string idOrName, CancellationToken ct) =>
        await store.FindOrganizationAsync(idOrName, ct).ConfigureAwait(false) ?? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoOrganizationToAdd(idOrName));

    private async Task<string> CollectionIdAsync(string idOrAlias, CancellationToken ct) =>
        (await store.GetCollectionAsync(idOrAlias, ct).ConfigureAwait(false) ?? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoCollection(idOrAlias))).Id;

    /// <summary>The local sync account a peer calls this node with.</summary>
    public static string AccountName(string peerName) => "peer-" + peerName;

    private static void RequireAdmin(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            throw Refuse(TrustRefusal.Forbidden, TrustMessages.AdminOnly);
        }
    }

    private static TrustAdministrationException Refuse(TrustRefusal refusal, string message) => new(refusal, message);

    private static long Micros(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks / 10;
}
