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
    public SharingFilter Filter => _filter ??= SharingFilter.For(Trust, OrgId, leavingNode: Account.Role == Role.Sync);

    /// <summary>Whether the caller may know that the collection exists: it may read or write it.</summary>
    public bool CanSee(string collectionId) => Trust.CanRead(OrgId, collectionId) || Trust.CanWrite(OrgId, collectionId);

    /// <summary>Whether the caller may read objects of the collection (what it sees there is the policy's to say).</summary>
    public bool CanRead(string collectionId) => Trust.CanRead(OrgId, collectionId);

    /// <summary>Whether the caller may add objects to the collection: its organization may, and its role writes.</summary>
    public bool CanWrite(string collectionId) => Account.CanWriteIntel && Trust.CanWrite(OrgId, collectionId);

    /// <summary>Whether the caller manages the collection: a lead of the owning organization, or an administrator.</summary>
    public bool Manages(string collectionId) =>
        IsAdmin || (Account.Role == Role.Lead && Trust.Collections.TryGetValue(collectionId, out var c) && c.OwnerOrg == OrgId);
}
