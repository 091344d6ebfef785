namespace Perisai.Storage;

/// <summary>What kind of organization a member is.</summary>
public enum OrgKind
{
    /// <summary>A national CERT or CSIRT.</summary>
    NationalCert,

    /// <summary>A government CSIRT.</summary>
    GovernmentCsirt,

    /// <summary>A sector CERT (finance, energy, ...).</summary>
    SectorCert,

    /// <summary>A regional body (e.g. the ASEAN Regional CERT).</summary>
    RegionalBody,

    /// <summary>A partner outside the region, or the node's own operator.</summary>
    Partner,
}

/// <summary>
/// A member organization of the node. Its id is the id of its STIX <c>identity</c> (class organization), so
/// objects name it (<c>x_perisai_recipients</c>, <c>where_sighted_refs</c>) the way STIX names any identity.
/// </summary>
/// <param name="Id">STIX identity id.</param>
/// <param name="Name">Unique name.</param>
/// <param name="Country">ISO 3166-1 alpha-2 code, upper case; null for bodies without one.</param>
/// <param name="Kind">What kind of organization it is.</param>
/// <param name="ParentId">The organization it is a constituent of, if any.</param>
public sealed record Organization(string Id, string Name, string? Country = null, OrgKind Kind = OrgKind.Partner, string? ParentId = null);

/// <summary>What an account may do (issue 3): each role includes the ones below it except <see cref="Sync"/>.</summary>
public enum Role
{
    /// <summary>Reads intelligence.</summary>
    Reader,

    /// <summary>Reads and writes intelligence.</summary>
    Analyst,

    /// <summary>An analyst who also manages the collections and trust of the organization.</summary>
    Lead,

    /// <summary>Manages the node: organizations, accounts, keys; and everything a lead may.</summary>
    Admin,

    /// <summary>A peer node that synchronizes: reads and writes intelligence, manages nothing.</summary>
    Sync,
}

/// <summary>An account of an organization; API keys belong to accounts.</summary>
public sealed record Account(string Id, string OrgId, string Name, Role Role)
{
    /// <summary>Whether the account administers the node.</summary>
    public bool IsAdmin => Role == Role.Admin;

    /// <summary>Whether the account may write intelligence.</summary>
    public bool CanWriteIntel => Role is Role.Analyst or Role.Lead or Role.Admin or Role.Sync;

    /// <summary>Whether the account may manage collections and trust.</summary>
    public bool CanManageTrust => Role is Role.Lead or Role.Admin;
}

/// <summary>A named trust group of organizations, with its written definition (TLP:GREEN's community, made explicit).</summary>
public sealed record Community(string Id, string Name, string Definition, IReadOnlyList<string> Members);

/// <summary>Who a grant is for.</summary>
public enum PrincipalKind
{
    /// <summary>One organization.</summary>
    Org,

    /// <summary>Every member of a community.</summary>
    Community,
}

/// <summary>An API key as stored: never the secret, only its salted hash.</summary>
public sealed record ApiKeyRecord(string Id, string AccountId, string Label, string Salt, string Hash, long Created, bool Revoked);

/// <summary>A TAXII API root (TAXII 2.1 §4.2).</summary>
public sealed record ApiRoot(string Name, string Title, string? Description);

/// <summary>A TAXII collection (TAXII 2.1 §5.2) within an API root.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "'Collection' is the TAXII 2.1 term for this resource.")]
public sealed record TaxiiCollection(string Id, string ApiRoot, string Title, string? Description, string? Alias,
    string? OwnerOrg = null, Perisai.Stix.Markings.TlpLevel DefaultTlp = Perisai.Stix.Markings.TlpLevel.Amber, bool IsPublic = false);

/// <summary>What an organization, or every member of a community, may do with a collection.</summary>
public sealed record Grant(string CollectionId, string PrincipalId, bool CanRead, bool CanWrite, PrincipalKind Kind = PrincipalKind.Org);

/// <summary>One stored version of an object in a collection.</summary>
/// <param name="Id">STIX id.</param>
/// <param name="Type">STIX type.</param>
/// <param name="SpecVersion">spec_version.</param>
/// <param name="Version">Version as written.</param>
/// <param name="DateAdded">date_added, µs since the epoch.</param>
/// <param name="Json">The object as received.</param>
/// <param name="Producer">The organization that wrote it.</param>
/// <param name="RefRule">How its refs govern its visibility.</param>
/// <param name="Granular">Whether it carries granular TLP markings (properties may have to be withheld).</param>
/// <param name="Via">The peer it came from, or "" when it was written on this node.</param>
public sealed record StoredObject(string Id, string Type, string SpecVersion, string Version, long DateAdded, string Json,
    string Producer = "", Perisai.Stix.Sharing.RefRule RefRule = Perisai.Stix.Sharing.RefRule.None, bool Granular = false, string Via = "");

/// <summary>What happened to one object of a write.</summary>
public enum AddOutcome
{
    /// <summary>A new object or a new version was stored.</summary>
    Added,

    /// <summary>That exact version was already present; nothing changed (TAXII 2.1 §5.5: not an error).</summary>
    Duplicate,

    /// <summary>The object was refused (e.g. a new version of a revoked object, STIX 2.1 §3.6).</summary>
    Rejected,
}

/// <summary>The result for one object of a write.</summary>
/// <param name="Id">The object's id.</param>
/// <param name="Version">Its version.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Message">Why it was refused, for people.</param>
/// <param name="Conflict">Refused because the same id and modified are stored with other content (a write from a peer).</param>
public sealed record AddResult(string Id, string Version, AddOutcome Outcome, string? Message = null, bool Conflict = false);

/// <summary>Which versions of each object a read returns (TAXII 2.1 §3.4.1 <c>match[version]</c>).</summary>
public sealed record VersionFilter(bool All, bool First, bool Last, IReadOnlyList<string> Keys)
{
    /// <summary>The default: the latest version of each object.</summary>
    public static readonly VersionFilter LastOnly = new(false, false, true, []);

    /// <summary>Every version.</summary>
    public static readonly VersionFilter Every = new(true, false, false, []);
}

/// <summary>A read of objects in one collection, in date_added order (TAXII 2.1 §3.3–§3.5).</summary>
public sealed record ObjectQuery(string CollectionId)
{
    /// <summary>Only objects added strictly after this instant (µs since the epoch).</summary>
    public long? AddedAfter { get; init; }

    /// <summary>Only objects added at or before this instant (µs since the epoch).</summary>
    public long? AddedThrough { get; init; }

    /// <summary>Ids to match (OR).</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary>Types to match (OR).</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>Versions to return.</summary>
    public VersionFilter Versions { get; init; } = VersionFilter.LastOnly;

    /// <summary>Specification versions to match (OR); null for the latest each object has.</summary>
    public IReadOnlyList<string>? SpecVersions { get; init; }

    /// <summary>
    /// Only objects that hold this value exactly, in any case: a literal of their pattern, or an observable's value, name
    /// or hash (<see cref="ObjectValues"/>). Read through an index.
    /// </summary>
    public string? Value { get; init; }

    /// <summary>Newest first (the web interface's "latest"); TAXII pages always run oldest first.</summary>
    public bool Descending { get; init; }

    /// <summary>Only objects whose JSON contains this text, case-insensitively (the web interface's search).</summary>
    public string? Contains { get; init; }

    /// <summary>Most objects to return.</summary>
    public int Limit { get; init; } = 1000;

    /// <summary>
    /// The reader whose view this is: only what the sharing policy lets it see, with "first" and "last" version meant
    /// among those. Null means no restriction (the operator's own tools). Applied inside the query, before paging, so a
    /// page is never short because of what the reader may not see and <c>more</c>/<c>next</c> stay exact.
    /// </summary>
    public SharingFilter? Reader { get; init; }
}

/// <summary>A page of results and whether more follow.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, bool More);

/// <summary>A TAXII status resource as stored (TAXII 2.1 §4.3.1).</summary>
public sealed record StatusRecord(
    string Id, string ApiRoot, string CollectionId, string AccountId, string Status, long RequestTimestamp,
    int TotalCount, int SuccessCount, int FailureCount, int PendingCount, string Details);

/// <summary>An envelope acknowledged but not yet applied.</summary>
public sealed record PendingEnvelope(string StatusId, string CollectionId, string Body, string Producer = "");

/// <summary>
/// One reader's side of the sharing policy, in the form the store's query takes it: computed from the trust model by
/// <see cref="For"/>, applied by the store exactly as <see cref="Perisai.Stix.Sharing.SharingPolicy"/> decides.
/// </summary>
/// <param name="OrgId">The reader's organization.</param>
/// <param name="AmberReach">The organization and the one it is a constituent of.</param>
/// <param name="Readable">Collections it may read.</param>
/// <param name="Green">Collections whose TLP:GREEN community it belongs to.</param>
/// <param name="LeavingNode">The objects leave the node (export, feed, peer): TLP:RED is withheld from everyone.</param>
public sealed record SharingFilter(string OrgId, IReadOnlyList<string> AmberReach, IReadOnlyList<string> Readable, IReadOnlyList<string> Green, bool LeavingNode = false)
{
    /// <summary>
    /// More organizations read through this filter (a peer node reads for every organization it speaks for): a version
    /// passes when it passes for <see cref="OrgId"/> or for any of these, each judged whole by its own side of the policy.
    /// </summary>
    public IReadOnlyList<SharingFilter> Others { get; init; } = [];

    /// <summary>
    /// An organization a peer only relays for (not its own): under FIRST TLP 2.0 it receives CLEAR and GREEN (by its
    /// community) this way, never AMBER, AMBER+STRICT or RED, nor anything by being its producer.
    /// </summary>
    public bool RelayOnly { get; init; }

    /// <summary>A peer reading: versions that came from it are not sent back (issue 17).</summary>
    public string? NotVia { get; init; }

    /// <summary>A peer reading: versions produced by its home organization are not sent to its node (issue 17).</summary>
    public string? NotProducer { get; init; }

    /// <summary>This filter and <see cref="Others"/>: each organization's own side of the policy.</summary>
    public IEnumerable<SharingFilter> Members => Others.Count == 0 ? [this] : Others.Prepend(this);

    /// <summary>The filter of a peer node: every organization it speaks for, leaving the node, nothing sent back.</summary>
    public static SharingFilter ForPeer(Perisai.Stix.Sharing.TrustModel model, Perisai.Stix.Sharing.TrustedPeer peer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(peer);
        var each = peer.Serves.Distinct(StringComparer.Ordinal).Select(o => For(model, o, leavingNode: true) with { RelayOnly = !peer.Own.Contains(o) }).ToList();
        // A peer reads only the collections linked to it, whatever its organizations may read on the node.
        each = [.. each.Select(f => f with { Readable = [.. f.Readable.Where(peer.Collections.Contains)], Green = [.. f.Green.Where(peer.Collections.Contains)] })];
        return each[0] with { Others = each.Skip(1).ToList(), NotVia = peer.Id, NotProducer = peer.HomeOrg };
    }

    /// <summary>The filter of one organization under a trust model.</summary>
    public static SharingFilter For(Perisai.Stix.Sharing.TrustModel model, string orgId, bool leavingNode = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var readable = model.Collections.Keys.Where(c => model.CanRead(orgId, c)).Order(StringComparer.Ordinal).ToList();
        return new SharingFilter(orgId, model.AmberReach(orgId), readable,
            [.. readable.Where(c => model.InGreenCommunity(orgId, c))], leavingNode);
    }
}

/// <summary>One entry of the audit log.</summary>
/// <param name="Id">Unique id.</param>
/// <param name="At">When, µs since the epoch.</param>
/// <param name="AccountId">Who (null for the operator's command line).</param>
/// <param name="OrgId">Their organization.</param>
/// <param name="Action">What, e.g. <c>objects.read</c>, <c>objects.write</c>, <c>key.revoke</c>.</param>
/// <param name="Target">On what (a collection, a key, an organization).</param>
/// <param name="Detail">Counts and parameters; never object content.</param>
/// <param name="Source">From where (remote address, or <c>cli</c>).</param>
public sealed record AuditEntry(string Id, long At, string? AccountId, string? OrgId, string Action, string? Target, string? Detail, string? Source);

/// <summary>A read of the audit log, newest first.</summary>
public sealed record AuditQuery
{
    /// <summary>Only entries at or after this instant (µs).</summary>
    public long? Since { get; init; }

    /// <summary>Only entries of this organization.</summary>
    public string? OrgId { get; init; }

    /// <summary>Only entries whose action starts with this.</summary>
    public string? ActionPrefix { get; init; }

    /// <summary>Most entries to return.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>A feed the server pulls on a schedule, with how its last run went.</summary>
/// <param name="Id">Feed id.</param>
/// <param name="Name">Unique name, for people.</param>
/// <param name="Source">Directory, file or http(s) URL.</param>
/// <param name="Format">misp-feed, misp, csv or stix.</param>
/// <param name="Preset">CSV preset, if any.</param>
/// <param name="CollectionId">Collection the objects go to.</param>
/// <param name="Producer">Organization the objects come from.</param>
/// <param name="EverySeconds">Interval between runs.</param>
/// <param name="State">Pull state (JSON), kept between runs.</param>
/// <param name="LastRun">Start of the last run (microseconds since 1970), or null before the first.</param>
/// <param name="LastDurationMs">How long the last run took.</param>
/// <param name="LastAdded">Versions the last run stored.</param>
/// <param name="LastUnchanged">Versions the last run found already stored.</param>
/// <param name="LastRejected">Objects or rows the last run refused.</param>
/// <param name="LastError">Why the last run failed, or null when it did not.</param>
/// <param name="Runs">Runs so far.</param>
/// <param name="Failures">Runs that failed.</param>
public sealed record FeedRecord(string Id, string Name, string Source, string Format, string? Preset, string CollectionId, string Producer, long EverySeconds,
    string State, long? LastRun = null, long? LastDurationMs = null, long LastAdded = 0, long LastUnchanged = 0, long LastRejected = 0, string? LastError = null,
    long Runs = 0, long Failures = 0);

/// <summary>The outcome of one run of a feed.</summary>
public sealed record FeedRun(string FeedId, long Started, long DurationMs, long Added, long Unchanged, long Rejected, string? Error, string State);

/// <summary>What sign-in needs of an account: its password hash and lockout counters.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="PasswordHash">The stored hash, or null when the account has no password.</param>
/// <param name="FailedLogins">Failures since the last success.</param>
/// <param name="LockedUntil">Microseconds since 1970 until which sign-in is refused (0: not locked).</param>
public sealed record LoginRecord(string AccountId, string? PasswordHash, long FailedLogins, long LockedUntil);
