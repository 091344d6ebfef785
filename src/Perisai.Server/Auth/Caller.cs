using Perisai.Stix.Sharing;
using Perisai.Storage;

namespace Perisai.Server.Auth;

/// <summary>
/// The authenticated caller of a request: its account, its role, and its organization's place in the node's trust
/// model. Every right a handler checks is asked here, and every read carries <see cref="Filter"/>.
/// </summary>
public sealed class Caller(Account account, TrustModel trust, string? source = null)
{
    private SharingFilter? _filter;

    /// <summary>The account.</summary>
    public Account Account { get; } = account;

    /// <summary>The account's organization.</summary>
    public string OrgId => Account.OrgId;

    /// <summary>The trust model the request is judged by.</summary>
    public TrustModel Trust { get; } = trust;

    /// <summary>Where the request came from (remote address), for the audit log.</summary>
    public string? Source { get; } = source;

    /// <summary>Whether the account administers the node.</summary>
    public bool IsAdmin => Account.IsAdmin;

    /// <summary>
    /// The caller's sharing filter, which every read of objects carries. A <see cref="Role.Sync"/> key is another node
    /// reading: what it receives leaves this node, so TLP:RED (objects and granular parts) never reaches it, as for
    /// every other exit that leaves the node (FIRST TLP 2.0; docs/trust.md).
    /// </summary>
    /// <remarks>
    /// A peer's key (a sync account a peer calls with, issue 17) reads for every organization the peer speaks for, and
    /// is never sent back what came from that peer or was produced at its node (<see cref="SharingFilter.ForPeer"/>).
    /// </remarks>
    public SharingFilter Filter => _filter ??= Peer is { } peer ? SharingFilter.ForPeer(Trust, peer) : SharingFilter.For(Trust, OrgId, leavingNode: Account.Role == Role.Sync);

    /// <summary>The peer node calling, when the account is a peer's sync account.</summary>
    public TrustedPeer? Peer => Account.Role == Role.Sync && Trust.Peers.TryGetValue(Account.Id, out var p) ? p : null;

    /// <summary>Whether the caller may know that the collection exists: it may read or write it.</summary>
    public bool CanSee(string collectionId) => CanRead(collectionId) || CanWrite(collectionId);

    /// <summary>
    /// Whether the caller may read objects of the collection (what it sees there is the policy's to say). A peer reads
    /// only the collections linked to it, for the organizations it speaks for.
    /// </summary>
    public bool CanRead(string collectionId) => Peer is { } peer
        ? peer.Collections.Contains(collectionId) && peer.Serves.Any(o => Trust.CanRead(o, collectionId))
        : Trust.CanRead(OrgId, collectionId);

    /// <summary>
    /// Whether the caller may add objects to the collection: its organization may, and its role writes. A peer writes
    /// only into the collections linked to it (issue 17).
    /// </summary>
    public bool CanWrite(string collectionId) => Peer is { } peer
        ? peer.Collections.Contains(collectionId)
        : Account.CanWriteIntel && Trust.CanWrite(OrgId, collectionId);

    /// <summary>Whether the caller manages the collection: a lead of the owning organization, or an administrator.</summary>
    public bool Manages(string collectionId) =>
        IsAdmin || (Account.Role == Role.Lead && Trust.Collections.TryGetValue(collectionId, out var c) && c.OwnerOrg == OrgId);
}
