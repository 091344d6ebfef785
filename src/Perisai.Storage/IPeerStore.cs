namespace Perisai.Storage;

/// <summary>
/// Federation's storage (issue 17): peers, their links and invitations, and the writes of what peers send. Apart from
/// <see cref="IStixStore"/> so that the concern stays in one place; the SQL stores implement both.
/// </summary>
public interface IPeerStore
{
    /// <summary>Adds a peer (trust changes: servers reload their model).</summary>
    Task AddPeerAsync(Peer peer, CancellationToken ct = default);

    /// <summary>Every peer, by name.</summary>
    Task<IReadOnlyList<Peer>> ListPeersAsync(CancellationToken ct = default);

    /// <summary>Removes a peer, its links and its sync account's keys; false when there is none. What it sent stays.</summary>
    Task<bool> RemovePeerAsync(string peerId, CancellationToken ct = default);

    /// <summary>Adds a link, or does nothing when the same one exists.</summary>
    Task AddLinkAsync(PeerLink link, CancellationToken ct = default);

    /// <summary>The links of one peer, or of all.</summary>
    Task<IReadOnlyList<PeerLink>> ListLinksAsync(string? peerId, CancellationToken ct = default);

    /// <summary>Records a page of a push, or of a pull that stored nothing: the link's cursor and counts.</summary>
    Task RecordProgressAsync(LinkProgress progress, CancellationToken ct = default);

    /// <summary>Counts on the peer's links of a collection what the peer pushed: versions stored, and what was refused, by reason.</summary>
    Task RecordReceivedAsync(string peerId, string collectionId, long added, IReadOnlyDictionary<string, long> reasons, CancellationToken ct = default);

    /// <summary>Records the end of a run: when, how long, and why it failed (null when it did not).</summary>
    Task RecordLinkRunAsync(string linkId, long started, long durationMs, string? failure, CancellationToken ct = default);

    /// <summary>
    /// Writes what a peer sent into a collection, in one transaction with <paramref name="progress"/> when given (the
    /// cursor is stored with the page it covers). A version already stored with the same content, from anyone, is a
    /// duplicate; with other content it is a conflict: refused, and recorded.
    /// </summary>
    Task<IReadOnlyList<AddResult>> AddFromPeerAsync(string collectionId, string peerId, IReadOnlyList<PeerObject> objects, LinkProgress? progress, CancellationToken ct = default);

    /// <summary>Conflicts recorded, newest first.</summary>
    Task<IReadOnlyList<PeerConflict>> ListConflictsAsync(string? peerId, int limit, CancellationToken ct = default);

    /// <summary>Stores an invitation.</summary>
    Task AddInviteAsync(PeerInvite invite, CancellationToken ct = default);

    /// <summary>Spends an invitation: returns it once, when it exists, is unused and unexpired at <paramref name="now"/>; null otherwise.</summary>
    Task<PeerInvite?> UseInviteAsync(string inviteId, long now, CancellationToken ct = default);

    /// <summary>Adds an organization with a given id (another node's directory entry).</summary>
    Task AddOrganizationWithIdAsync(Organization org, CancellationToken ct = default);

    /// <summary>A setting of the node (its home organization, public address), or null.</summary>
    Task<string?> GetSettingAsync(string name, CancellationToken ct = default);

    /// <summary>Sets a setting of the node.</summary>
    Task SetSettingAsync(string name, string value, CancellationToken ct = default);
}
