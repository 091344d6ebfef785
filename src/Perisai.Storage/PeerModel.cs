namespace Perisai.Storage;

/// <summary>Another node this one exchanges with (issue 17; docs/federation.md).</summary>
/// <param name="Id">Peer id.</param>
/// <param name="Name">Unique name, for people.</param>
/// <param name="Url">Its TAXII server (or API root) address.</param>
/// <param name="HomeOrg">The organization that runs it: what it sends is that organization's unless it speaks for the producer.</param>
/// <param name="Serves">The organizations it speaks for, its home organization first (its constituents, or more for a regional hub).</param>
/// <param name="AccountId">The local sync account whose keys it calls this node with.</param>
/// <param name="RemoteKey">The key this node calls it with (a sync key it issued), or null when it only calls in.</param>
/// <param name="Fingerprint">SHA-256 of its TLS certificate, pinned; null to validate the certificate as usual.</param>
/// <param name="Created">When it was added, µs since the epoch.</param>
public sealed record Peer(string Id, string Name, string Url, string HomeOrg, IReadOnlyList<string> Serves, string AccountId, string? RemoteKey, string? Fingerprint, long Created);

/// <summary>Which way a link carries objects.</summary>
public enum LinkDirection
{
    /// <summary>A remote collection into a local one.</summary>
    Pull,

    /// <summary>A local collection to a remote one.</summary>
    Push,
}

/// <summary>One direction of exchange with a peer, with how it has gone.</summary>
/// <param name="Id">Link id.</param>
/// <param name="PeerId">The peer.</param>
/// <param name="Direction">Pull or push.</param>
/// <param name="LocalCollection">The local collection (written by a pull, read by a push).</param>
/// <param name="RemoteCollection">The peer's collection id.</param>
/// <param name="EverySeconds">Seconds between runs; 0 runs continuously (a few seconds apart).</param>
/// <param name="Cursor">Where the next run starts: the remote date_added of the last page stored (pull) or the local µs of the last row examined (push); "" at the beginning.</param>
/// <param name="Newest">The date_added (µs) of the newest object the link has seen, for its lag.</param>
/// <param name="LastRun">Start of the last run (µs), or null before the first.</param>
/// <param name="LastDurationMs">How long the last run took.</param>
/// <param name="LastError">Why the last run failed, or null.</param>
/// <param name="ObjectsIn">Versions stored from the peer so far.</param>
/// <param name="ObjectsOut">Versions the peer accepted so far.</param>
/// <param name="Reasons">Objects not sent or not accepted so far, by reason (see <see cref="LinkReasons"/>).</param>
/// <param name="Runs">Runs so far.</param>
/// <param name="Failures">Runs that failed.</param>
public sealed record PeerLink(string Id, string PeerId, LinkDirection Direction, string LocalCollection, string RemoteCollection, long EverySeconds,
    string Cursor = "", long? Newest = null, long? LastRun = null, long? LastDurationMs = null, string? LastError = null,
    long ObjectsIn = 0, long ObjectsOut = 0, IReadOnlyDictionary<string, long>? Reasons = null, long Runs = 0, long Failures = 0)
{
    /// <summary>How long ago (seconds) the newest object this link has seen was added at its source; null before any.</summary>
    public long? LagSeconds(long nowMicros) => Newest is { } n ? Math.Max(0, (nowMicros - n) / 1_000_000) : null;
}

/// <summary>The reasons an object is not sent to a peer or not accepted from it, as counted per link.</summary>
public static class LinkReasons
{
    /// <summary>TLP:RED never leaves the node.</summary>
    public const string Red = "red";

    /// <summary>TLP:AMBER or AMBER+STRICT, and none of the peer's organizations is a recipient.</summary>
    public const string NotRecipient = "not-a-recipient";

    /// <summary>TLP:GREEN, and none of the peer's organizations is in the collection's community.</summary>
    public const string NotInCommunity = "not-in-community";

    /// <summary>None of the peer's organizations may read the collection, or the objects it refers to.</summary>
    public const string NotReadable = "not-readable";

    /// <summary>The version came from that peer, or its producer's node is that peer: it is not sent back.</summary>
    public const string FromPeer = "from-the-peer";

    /// <summary>The peer refused it, with its message.</summary>
    public const string Refused = "refused";

    /// <summary>The same id and modified with other content is already stored: the first is kept.</summary>
    public const string Conflict = "conflict";

    /// <summary>It is not valid STIX 2.1.</summary>
    public const string Invalid = "invalid";

    /// <summary>How a node's refusal of a conflicting version begins, so the sending node can count it as one.</summary>
    public const string ConflictPrefix = "Conflict:";

    /// <summary>What a write refused, by reason: conflicts, and other refusals (a new version of a revoked object).</summary>
    public static Dictionary<string, long> Of(IReadOnlyList<AddResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in results.Where(r => r.Outcome == AddOutcome.Rejected))
        {
            string reason = r.Conflict ? Conflict : Refused;
            reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
        }
        return reasons;
    }

    /// <summary>Counts by reason as one line for people ("not-a-recipient 2, red 1").</summary>
    public static string Describe(IReadOnlyDictionary<string, long>? reasons) =>
        string.Join(", ", (reasons ?? new Dictionary<string, long>()).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"));
}

/// <summary>A version a peer sent that conflicts with the one stored (same id and modified, other content).</summary>
public sealed record PeerConflict(string Id, string PeerId, string CollectionId, string ObjectId, string Version, long At, string Detail);

/// <summary>A one-time invitation to join as a peer.</summary>
/// <param name="Id">Invitation id (in the token).</param>
/// <param name="Name">The name the joining peer will have here.</param>
/// <param name="AccountId">The sync account whose key the token carries.</param>
/// <param name="Serves">The organizations the joining peer may speak for, its home organization first.</param>
/// <param name="Collections">The local collections to link both ways.</param>
/// <param name="Expires">Until when it may be used, µs.</param>
/// <param name="Used">When it was used (µs), 0 while unused.</param>
public sealed record PeerInvite(string Id, string Name, string AccountId, IReadOnlyList<string> Serves, IReadOnlyList<string> Collections, long Expires, long Used = 0);

/// <summary>What one page of a link run changed, written together with the objects it covers.</summary>
/// <param name="LinkId">The link.</param>
/// <param name="Cursor">The link's cursor after this page.</param>
/// <param name="Newest">Newest date_added seen (µs), if known.</param>
/// <param name="In">Versions stored.</param>
/// <param name="Out">Versions the peer accepted.</param>
/// <param name="Reasons">Objects not sent or not accepted, by reason.</param>
public sealed record LinkProgress(string LinkId, string Cursor, long? Newest, long In, long Out, IReadOnlyDictionary<string, long> Reasons);

/// <summary>An object from a peer with the organization it is recorded as produced by.</summary>
public sealed record PeerObject(Perisai.Stix.StixObject Stix, string Producer);
