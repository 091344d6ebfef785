using Perisai.Stix;

namespace Perisai.Storage;

/// <summary>
/// The one storage contract of a node. Every write is one transaction, durable before it returns; every read is one
/// query with its filters (and, from the trust layer, the reader's sharing filter) applied before paging.
/// </summary>
public interface IStixStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema. Safe to call at every start.</summary>
    Task MigrateAsync(CancellationToken ct = default);

    /// <summary>Adds an organization; its id is a new STIX identity id.</summary>
    Task<Organization> AddOrganizationAsync(string name, string? country = null, OrgKind kind = OrgKind.Partner, string? parentId = null, CancellationToken ct = default);

    /// <summary>All organizations, by name.</summary>
    Task<IReadOnlyList<Organization>> ListOrganizationsAsync(CancellationToken ct = default);

    /// <summary>Finds an organization by id or by name.</summary>
    Task<Organization?> FindOrganizationAsync(string idOrName, CancellationToken ct = default);

    /// <summary>Adds an account to an organization.</summary>
    Task<Account> AddAccountAsync(string orgId, string name, Role role, CancellationToken ct = default);

    /// <summary>Finds an account by name.</summary>
    Task<Account?> FindAccountAsync(string name, CancellationToken ct = default);

    /// <summary>Finds an account by id.</summary>
    Task<Account?> GetAccountAsync(string id, CancellationToken ct = default);

    /// <summary>How many administrator accounts exist.</summary>
    Task<int> CountAdminsAsync(CancellationToken ct = default);

    /// <summary>Stores an API key (hash only).</summary>
    Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default);

    /// <summary>Finds an API key by its public id.</summary>
    Task<ApiKeyRecord?> FindApiKeyAsync(string keyId, CancellationToken ct = default);

    /// <summary>Revokes an API key; false when there is no such key.</summary>
    Task<bool> RevokeApiKeyAsync(string keyId, CancellationToken ct = default);

    /// <summary>The keys of every account, or of one.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string? accountId, CancellationToken ct = default);

    /// <summary>Adds or updates an API root.</summary>
    Task UpsertApiRootAsync(ApiRoot root, CancellationToken ct = default);

    /// <summary>All API roots, by name.</summary>
    Task<IReadOnlyList<ApiRoot>> ListApiRootsAsync(CancellationToken ct = default);

    /// <summary>Adds a collection.</summary>
    Task AddCollectionAsync(TaxiiCollection collection, CancellationToken ct = default);

    /// <summary>Collections of an API root (all roots when null), in a stable order.</summary>
    Task<IReadOnlyList<TaxiiCollection>> ListCollectionsAsync(string? apiRoot, CancellationToken ct = default);

    /// <summary>One collection by id or alias.</summary>
    Task<TaxiiCollection?> GetCollectionAsync(string idOrAlias, CancellationToken ct = default);

    /// <summary>Sets what an organization or a community may do with a collection (both rights false removes the grant).</summary>
    Task GrantAsync(Grant grant, CancellationToken ct = default);

    /// <summary>The grants naming one organization or community, or all.</summary>
    Task<IReadOnlyList<Grant>> ListGrantsAsync(string? principalId, CancellationToken ct = default);

    /// <summary>
    /// Sets a collection's default marking and whether it is public; objects already stored without a TLP marking take
    /// the new default at once.
    /// </summary>
    Task SetCollectionPolicyAsync(string collectionId, Perisai.Stix.Markings.TlpLevel defaultTlp, bool isPublic, CancellationToken ct = default);

    /// <summary>Adds a community.</summary>
    Task<Community> AddCommunityAsync(string name, string definition, CancellationToken ct = default);

    /// <summary>Adds an organization to a community or removes it.</summary>
    Task SetCommunityMemberAsync(string communityId, string orgId, bool member, CancellationToken ct = default);

    /// <summary>A community with its members, by id or by name.</summary>
    Task<Community?> FindCommunityAsync(string idOrName, CancellationToken ct = default);

    /// <summary>All communities with their members, by name.</summary>
    Task<IReadOnlyList<Community>> ListCommunitiesAsync(CancellationToken ct = default);

    /// <summary>A number that changes whenever trust (organizations, communities, collections, grants) changes.</summary>
    Task<long> TrustVersionAsync(CancellationToken ct = default);

    /// <summary>The trust model of the node as it is now, and its <see cref="TrustVersionAsync"/>.</summary>
    Task<(long Version, Perisai.Stix.Sharing.TrustModel Model)> LoadTrustAsync(CancellationToken ct = default);

    /// <summary>Of the given ids, those a reader sees as refs (an organization, or an object with a version it may see).</summary>
    Task<IReadOnlySet<string>> VisibleRefsAsync(SharingFilter reader, IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>The sharing facts of every stored version of the given ids, in every collection.</summary>
    Task<IReadOnlyList<Perisai.Stix.Sharing.SharedObject>> SharedVersionsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>Appends entries to the audit log.</summary>
    Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct = default);

    /// <summary>Reads the audit log, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken ct = default);

    /// <summary>
    /// Adds objects to a collection in one transaction. Each gets a date_added strictly later than any before it in the
    /// collection. An exact version already present is a duplicate, not an error.
    /// </summary>
    Task<IReadOnlyList<AddResult>> AddObjectsAsync(string collectionId, string producer, IReadOnlyList<StixObject> objects, CancellationToken ct = default);

    /// <summary>Reads objects in date_added order.</summary>
    Task<Page<StoredObject>> QueryObjectsAsync(ObjectQuery query, CancellationToken ct = default);

    /// <summary>Deletes the matching versions of one object; returns how many were removed.</summary>
    Task<int> DeleteObjectAsync(string collectionId, string objectId, VersionFilter versions, IReadOnlyList<string>? specVersions, CancellationToken ct = default);

    /// <summary>Deletes the versions of one object with the given date_added values; returns how many were removed.</summary>
    Task<int> DeleteVersionsAsync(string collectionId, string objectId, IReadOnlyList<long> dateAdded, CancellationToken ct = default);

    /// <summary>Stores or replaces a status resource.</summary>
    Task SaveStatusAsync(StatusRecord status, CancellationToken ct = default);

    /// <summary>Reads a status resource.</summary>
    Task<StatusRecord?> GetStatusAsync(string id, CancellationToken ct = default);

    /// <summary>Stores a status (pending) and the envelope it tracks in one transaction.</summary>
    Task AcceptEnvelopeAsync(StatusRecord status, PendingEnvelope envelope, CancellationToken ct = default);

    /// <summary>Envelopes acknowledged but not yet applied, oldest first.</summary>
    Task<IReadOnlyList<PendingEnvelope>> ListPendingEnvelopesAsync(CancellationToken ct = default);

    /// <summary>
    /// Applies a pending envelope: adds its objects, saves the final status and deletes the envelope, all in one
    /// transaction.
    /// </summary>
    Task<IReadOnlyList<AddResult>> CompleteEnvelopeAsync(PendingEnvelope envelope, IReadOnlyList<StixObject> objects, Func<IReadOnlyList<AddResult>, StatusRecord> finalStatus, CancellationToken ct = default);

    /// <summary>Adds a scheduled feed.</summary>
    Task AddFeedAsync(FeedRecord feed, CancellationToken ct = default);

    /// <summary>Every feed, by name.</summary>
    Task<IReadOnlyList<FeedRecord>> ListFeedsAsync(CancellationToken ct = default);

    /// <summary>Removes a feed by id or name; false when there is none. What it imported stays.</summary>
    Task<bool> RemoveFeedAsync(string idOrName, CancellationToken ct = default);

    /// <summary>Records a run: its counts, error and the feed's new pull state.</summary>
    Task RecordFeedRunAsync(FeedRun run, CancellationToken ct = default);

    /// <summary>Sets or clears an account's password hash and clears its lockout.</summary>
    Task SetPasswordAsync(string accountId, string? passwordHash, CancellationToken ct = default);

    /// <summary>The sign-in facts of an account by name, or null.</summary>
    Task<LoginRecord?> FindLoginAsync(string accountName, CancellationToken ct = default);

    /// <summary>Records a sign-in attempt: success clears the failures; a failure counts and may lock until <paramref name="lockUntil"/>.</summary>
    Task RecordLoginAsync(string accountId, bool success, long lockUntil, CancellationToken ct = default);
}
