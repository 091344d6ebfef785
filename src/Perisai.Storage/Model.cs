namespace Perisai.Storage;

/// <summary>A member organization of the node (a national CERT, a partner, the node operator).</summary>
public sealed record Organization(string Id, string Name);

/// <summary>An account of an organization; API keys belong to accounts.</summary>
public sealed record Account(string Id, string OrgId, string Name, bool IsAdmin);

/// <summary>An API key as stored: never the secret, only its salted hash.</summary>
public sealed record ApiKeyRecord(string Id, string AccountId, string Label, string Salt, string Hash, long Created, bool Revoked);

/// <summary>A TAXII API root (TAXII 2.1 §4.2).</summary>
public sealed record ApiRoot(string Name, string Title, string? Description);

/// <summary>A TAXII collection (TAXII 2.1 §5.2) within an API root.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "'Collection' is the TAXII 2.1 term for this resource.")]
public sealed record TaxiiCollection(string Id, string ApiRoot, string Title, string? Description, string? Alias);

/// <summary>What an organization may do with a collection.</summary>
public sealed record Grant(string CollectionId, string OrgId, bool CanRead, bool CanWrite);

/// <summary>One stored version of an object in a collection.</summary>
public sealed record StoredObject(string Id, string Type, string SpecVersion, string Version, long DateAdded, string Json);

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
public sealed record AddResult(string Id, string Version, AddOutcome Outcome, string? Message = null);

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

    /// <summary>Ids to match (OR).</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary>Types to match (OR).</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>Versions to return.</summary>
    public VersionFilter Versions { get; init; } = VersionFilter.LastOnly;

    /// <summary>Specification versions to match (OR); null for the latest each object has.</summary>
    public IReadOnlyList<string>? SpecVersions { get; init; }

    /// <summary>Most objects to return.</summary>
    public int Limit { get; init; } = 1000;

    /// <summary>
    /// The reader's sharing filter: only objects whose strictest TLP level (<see cref="Perisai.Stix.Markings.TlpLevel"/>)
    /// is in this set. Null means no restriction. Applied inside the query, before paging, so a page is never short
    /// because of what the reader may not see and <c>more</c>/<c>next</c> stay exact.
    /// </summary>
    public IReadOnlyList<Perisai.Stix.Markings.TlpLevel>? VisibleTlp { get; init; }
}

/// <summary>A page of results and whether more follow.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, bool More);

/// <summary>A TAXII status resource as stored (TAXII 2.1 §4.3.1).</summary>
public sealed record StatusRecord(
    string Id, string ApiRoot, string CollectionId, string AccountId, string Status, long RequestTimestamp,
    int TotalCount, int SuccessCount, int FailureCount, int PendingCount, string Details);

/// <summary>An envelope acknowledged but not yet applied.</summary>
public sealed record PendingEnvelope(string StatusId, string CollectionId, string Body);
