using System.Collections.Frozen;
using Perisai.Stix.Markings;

namespace Perisai.Stix.Sharing;

/// <summary>An organization as the sharing policy sees it: its id and the organization it is a constituent of, if any.</summary>
/// <param name="Id">The organization's STIX identity id.</param>
/// <param name="ParentId">The organization whose constituent (client) it is: TLP:AMBER may reach it through its parent.</param>
public sealed record TrustedOrg(string Id, string? ParentId);

/// <summary>Who may use a collection, as the sharing policy sees it.</summary>
/// <param name="Id">Collection id.</param>
/// <param name="OwnerOrg">The organization that owns it (its leads manage it).</param>
/// <param name="DefaultTlp">The marking of objects that carry no TLP marking of their own.</param>
/// <param name="IsPublic">Readable by every organization of the node.</param>
/// <param name="ReaderOrgs">Organizations named as readers.</param>
/// <param name="ReaderCommunities">Communities named as readers: their members form the collection's TLP:GREEN community.</param>
/// <param name="WriterOrgs">Organizations named as writers.</param>
/// <param name="WriterCommunities">Communities named as writers.</param>
public sealed record CollectionTrust(
    string Id, string OwnerOrg, TlpLevel DefaultTlp, bool IsPublic,
    IReadOnlySet<string> ReaderOrgs, IReadOnlySet<string> ReaderCommunities,
    IReadOnlySet<string> WriterOrgs, IReadOnlySet<string> WriterCommunities);

/// <summary>Another node, as the sharing policy sees it (issue 17).</summary>
/// <param name="Id">Peer id.</param>
/// <param name="AccountId">The local sync account it calls this node with.</param>
/// <param name="HomeOrg">The organization that runs it.</param>
/// <param name="Serves">The organizations it speaks for, its home organization first.</param>
/// <param name="Collections">The local collections linked to it: the only ones it reads or writes.</param>
/// <param name="Own">
/// Of <paramref name="Serves"/>, its home organization and that one's constituents: the node is theirs. The others it
/// only relays for (a regional hub), and FIRST TLP 2.0 lets a relay pass on CLEAR and GREEN (within the community),
/// never AMBER, AMBER+STRICT or RED, which go only to the node of a named recipient.
/// </param>
public sealed record TrustedPeer(string Id, string AccountId, string HomeOrg, IReadOnlyList<string> Serves, IReadOnlySet<string> Collections, IReadOnlySet<string> Own)
{
    /// <summary>Whether the peer speaks for the organization (what it says that organization produced is taken as such).</summary>
    public bool SpeaksFor(string orgId) => Serves.Contains(orgId);
}

/// <summary>
/// Everything the sharing policy needs to know about the node's trust relationships: organizations, communities and
/// collections. Immutable: a change of trust builds a new model.
/// </summary>
public sealed class TrustModel
{
    /// <summary>Builds a model.</summary>
    public TrustModel(IEnumerable<TrustedOrg> orgs, IReadOnlyDictionary<string, IReadOnlySet<string>> communityMembers, IEnumerable<CollectionTrust> collections,
        IEnumerable<TrustedPeer>? peers = null)
    {
        Orgs = orgs.ToFrozenDictionary(o => o.Id, StringComparer.Ordinal);
        Communities = communityMembers.ToFrozenDictionary(StringComparer.Ordinal);
        Collections = collections.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        Peers = (peers ?? []).ToFrozenDictionary(p => p.AccountId, StringComparer.Ordinal);
    }

    /// <summary>Peers by the local sync account they call with.</summary>
    public FrozenDictionary<string, TrustedPeer> Peers { get; }

    /// <summary>Organizations by id.</summary>
    public FrozenDictionary<string, TrustedOrg> Orgs { get; }

    /// <summary>Members of each community, by community id.</summary>
    public FrozenDictionary<string, IReadOnlySet<string>> Communities { get; }

    /// <summary>Collections by id.</summary>
    public FrozenDictionary<string, CollectionTrust> Collections { get; }

    /// <summary>Whether <paramref name="org"/> may read the collection at all (the channel, before any marking).</summary>
    public bool CanRead(string org, string collectionId) =>
        Collections.TryGetValue(collectionId, out var c) && Orgs.ContainsKey(org)
        && (c.IsPublic || c.OwnerOrg == org || c.ReaderOrgs.Contains(org) || InAny(org, c.ReaderCommunities));

    /// <summary>Whether <paramref name="org"/> may add objects to the collection (its role aside).</summary>
    public bool CanWrite(string org, string collectionId) =>
        Collections.TryGetValue(collectionId, out var c) && Orgs.ContainsKey(org)
        && (c.OwnerOrg == org || c.WriterOrgs.Contains(org) || InAny(org, c.WriterCommunities));

    /// <summary>
    /// Whether <paramref name="org"/> belongs to the collection's TLP:GREEN community: a member of a community that reads
    /// it, or its owner. Organizations named individually as readers are not a community and receive CLEAR only (and
    /// what is addressed to them).
    /// </summary>
    public bool InGreenCommunity(string org, string collectionId) =>
        Collections.TryGetValue(collectionId, out var c) && (c.OwnerOrg == org || InAny(org, c.ReaderCommunities));

    /// <summary>The organization and the one it is a constituent of: the set a TLP:AMBER recipient list reaches it through.</summary>
    public IReadOnlyList<string> AmberReach(string org) =>
        Orgs.TryGetValue(org, out var o) && o.ParentId is { } p && p != org ? [org, p] : [org];

    private bool InAny(string org, IReadOnlySet<string> communities)
    {
        foreach (string c in communities)
        {
            if (Communities.TryGetValue(c, out var members) && members.Contains(org))
            {
                return true;
            }
        }
        return false;
    }
}
