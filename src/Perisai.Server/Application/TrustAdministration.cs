using System.Text.RegularExpressions;
using Perisai.Server.Auth;
using Perisai.Stix.Markings;
using Perisai.Storage;

namespace Perisai.Server.Application;

/// <summary>
/// Who changes trust: an authenticated caller of the node (the trust API, the web's administration and account pages)
/// or the operator at the machine's command line, who holds every right and has no account.
/// </summary>
public sealed record Actor
{
    private Actor(Caller? caller, string source) => (Caller, Source) = (caller, source);

    /// <summary>The caller, or null for the operator.</summary>
    public Caller? Caller { get; }

    /// <summary>Where the change came from, for the audit log: a remote address, or <c>cli</c>.</summary>
    public string Source { get; }

    /// <summary>The operator of the machine (the <c>perisai</c> command line).</summary>
    public static Actor Operator { get; } = new(null, "cli");

    /// <summary>An authenticated caller.</summary>
    public static Actor Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new Actor(caller, caller.Source ?? "");
    }

    internal bool IsAdmin => Caller is null || Caller.IsAdmin;

    /// <summary>The audit entry of a change this actor makes now.</summary>
    internal AuditEntry Entry(TimeProvider time, string action, string? target, string? detail) =>
        new(Guid.NewGuid().ToString(), (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10, Caller?.Account.Id, Caller?.OrgId, action, target, detail, Source);

    internal bool ManagesTrust => Caller is null || Caller.Account.CanManageTrust;

    internal bool Manages(string collectionId) => Caller is null || Caller.Manages(collectionId);

    internal bool MaySee(string collectionId) => Caller is null || Caller.IsAdmin || Caller.CanSee(collectionId);
}

/// <summary>Why a change of trust was refused.</summary>
public enum TrustRefusal
{
    /// <summary>A value is malformed (a TLP name, a country code, a role).</summary>
    Invalid,

    /// <summary>Something named does not exist, or the actor may not know that it does.</summary>
    NotFound,

    /// <summary>The actor's role does not allow the change.</summary>
    Forbidden,

    /// <summary>It would duplicate something that exists (a name, an id, an alias).</summary>
    Conflict,
}

/// <summary>A change of trust refused, with a message a person can act on (all of them in <see cref="TrustMessages"/>).</summary>
public sealed class TrustAdministrationException(TrustRefusal refusal, string message) : Exception(message)
{
    /// <summary>Why.</summary>
    public TrustRefusal Refusal { get; } = refusal;
}

/// <summary>A key just issued: its record and the secret, shown once.</summary>
public sealed record IssuedKey(ApiKeyRecord Record, string Secret, Account Account);

/// <summary>
/// The one trust administration of the node: organizations, accounts and keys, API roots, collections, grants and
/// collection policy, communities and their members, passwords. The command line, the trust API and the web pages all
/// change trust here, so every change has one set of checks (rights, lookups, values) and one audit entry, written to
/// the store before the change is reported done (docs/trust.md).
/// </summary>
public sealed partial class TrustAdministration(IStixStore store, TimeProvider time)
{
    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$")]
    private static partial Regex PathSegment();

    /// <summary>Adds an organization (administrators and the operator).</summary>
    public Task<Organization> AddOrganizationAsync(Actor actor, string name, string? country, string kind, string? parent, CancellationToken ct) =>
        AddOrganizationAsync(actor, name, country, kind, parent, null, ct);

    /// <summary>
    /// Adds an organization with a given STIX identity id (the id another node, or the region's directory, knows it by:
    /// one CERT has one id on every node, or what is addressed to it would not reach it), or a new one when null.
    /// </summary>
    public async Task<Organization> AddOrganizationAsync(Actor actor, string name, string? country, string kind, string? parent, string? id, CancellationToken ct)
    {
        RequireAdmin(actor);
        if (id is not null && (!Perisai.Stix.StixId.TryParse(id, out string? idType, out _) || idType != "identity"))
        {
            throw Refuse(TrustRefusal.Invalid, TrustMessages.NotIdentityId(id));
        }
        if (id is not null && await store.FindOrganizationAsync(id, ct).ConfigureAwait(false) is not null)
        {
            throw Refuse(TrustRefusal.Conflict, TrustMessages.OrganizationExists(id));
        }
        if (await store.FindOrganizationAsync(name, ct).ConfigureAwait(false) is not null)
        {
            throw Refuse(TrustRefusal.Conflict, TrustMessages.OrganizationExists(name));
        }
        string? cc = country?.ToUpperInvariant();
        if (cc is not null && !CountryCode().IsMatch(cc))
        {
            throw Refuse(TrustRefusal.Invalid, TrustMessages.NotCountry(cc));
        }
        if (!TrustNames.TryKind(kind, out var k))
        {
            throw Refuse(TrustRefusal.Invalid, TrustMessages.NotKind(kind));
        }
        string? parentId = null;
        if (parent is not null)
        {
            parentId = (await store.FindOrganizationAsync(parent, ct).ConfigureAwait(false))?.Id ?? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoParent(parent));
        }
        Organization o;
        if (id is null)
        {
            o = await store.AddOrganizationAsync(name, cc, k, parentId, ct).ConfigureAwait(false);
        }
        else
        {
            o = new Organization(id, name, cc, k, parentId);
            await (store as IPeerStore ?? throw new InvalidOperationException("This store cannot take given ids.")).AddOrganizationWithIdAsync(o, ct).ConfigureAwait(false);
        }
        await AuditAsync(actor, "org.add", o.Id, $"name={o.Name}", ct).ConfigureAwait(false);
        return o;
    }

    /// <summary>
    /// Issues an API key to an account, creating the account in <paramref name="organization"/> with
    /// <paramref name="role"/> when it does not exist (administrators and the operator).
    /// </summary>
    public async Task<IssuedKey> IssueKeyAsync(Actor actor, string accountName, string? organization, string? role, string label, CancellationToken ct)
    {
        RequireAdmin(actor);
        var account = await store.FindAccountAsync(accountName, ct).ConfigureAwait(false);
        if (account is null || organization is not null)
        {
            var org = organization is null ? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoAccount(accountName))
                : await store.FindOrganizationAsync(organization, ct).ConfigureAwait(false) ?? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoOrganizationToAdd(organization));
            if (account is not null && account.OrgId != org.Id)
            {
                throw Refuse(TrustRefusal.Conflict, TrustMessages.AccountElsewhere(account.Name));
            }
            if (account is null)
            {
                string roleName = role ?? "analyst";
                if (!TrustNames.TryRole(roleName, out var r))
                {
                    throw Refuse(TrustRefusal.Invalid, TrustMessages.NotRole(roleName));
                }
                account = await store.AddAccountAsync(org.Id, accountName, r, ct).ConfigureAwait(false);
                await AuditAsync(actor, "account.add", account.Id, $"org={org.Id} role={TrustNames.Of(r)}", ct).ConfigureAwait(false);
            }
        }
        return await IssueAsync(actor, account, label, ct).ConfigureAwait(false);
    }

    /// <summary>Issues a key to the caller's own account (the web's account page).</summary>
    public Task<IssuedKey> IssueOwnKeyAsync(Caller caller, string label, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return IssueAsync(Actor.Of(caller), caller.Account, label, ct);
    }

    private async Task<IssuedKey> IssueAsync(Actor actor, Account account, string label, CancellationToken ct)
    {
        var (record, secret) = ApiKeys.Issue(account.Id, label, time);
        await store.AddApiKeyAsync(record, ct).ConfigureAwait(false);
        await AuditAsync(actor, "key.add", record.Id, $"account={account.Id}", ct).ConfigureAwait(false);
        return new IssuedKey(record, secret, account);
    }

    /// <summary>
    /// The sync account a peer node calls with (issue 17): made in <paramref name="orgId"/> without a key, or the
    /// existing one when it is already a sync account of that organization (administrators and the operator).
    /// </summary>
    public async Task<Account> AddSyncAccountAsync(Actor actor, string accountName, string orgId, CancellationToken ct)
    {
        RequireAdmin(actor);
        if (await store.FindAccountAsync(accountName, ct).ConfigureAwait(false) is { } existing)
        {
            return existing.OrgId == orgId && existing.Role == Role.Sync ? existing : throw Refuse(TrustRefusal.Conflict, TrustMessages.AccountElsewhere(accountName));
        }
        var account = await store.AddAccountAsync(orgId, accountName, Role.Sync, ct).ConfigureAwait(false);
        await AuditAsync(actor, "account.add", account.Id, $"org={orgId} role=sync", ct).ConfigureAwait(false);
        return account;
    }

    /// <summary>Revokes any key (administrators and the operator).</summary>
    public async Task RevokeKeyAsync(Actor actor, string keyId, CancellationToken ct)
    {
        RequireAdmin(actor);
        if (await store.FindApiKeyAsync(keyId, ct).ConfigureAwait(false) is null)
        {
            throw Refuse(TrustRefusal.NotFound, TrustMessages.NoKey(keyId));
        }
        await RevokeAsync(actor, keyId, ct).ConfigureAwait(false);
    }

    private async Task RevokeAsync(Actor actor, string keyId, CancellationToken ct)
    {
        await store.RevokeApiKeyAsync(keyId, ct).ConfigureAwait(false);
        await AuditAsync(actor, "key.revoke", keyId, null, ct).ConfigureAwait(false);
    }

    /// <summary>The keys of the caller's own account (the web's account page).</summary>
    public Task<IReadOnlyList<ApiKeyRecord>> OwnKeysAsync(Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return store.ListApiKeysAsync(caller.Account.Id, ct);
    }

    /// <summary>Revokes one of the caller's own keys, whatever its role (the web's account page).</summary>
    public async Task RevokeOwnKeyAsync(Caller caller, string keyId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var key = await store.FindApiKeyAsync(keyId, ct).ConfigureAwait(false);
        if (key is null || key.AccountId != caller.Account.Id)
        {
            throw Refuse(TrustRefusal.NotFound, TrustMessages.NoKey(keyId));
        }
        await RevokeAsync(Actor.Of(caller), keyId, ct).ConfigureAwait(false);
    }

    /// <summary>The keys of every account (administrators and the operator), or of the caller's own account.</summary>
    public Task<IReadOnlyList<ApiKeyRecord>> KeysAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return store.ListApiKeysAsync(actor.IsAdmin ? null : actor.Caller!.Account.Id, ct);
    }

    /// <summary>Whether an account of that name exists.</summary>
    public async Task<bool> AccountExistsAsync(string name, CancellationToken ct) => await store.FindAccountAsync(name, ct).ConfigureAwait(false) is not null;

    /// <summary>An account by id, or null.</summary>
    public Task<Account?> AccountAsync(string id, CancellationToken ct) => store.GetAccountAsync(id, ct);

    /// <summary>Sets an account's web password, or clears it with null (the operator).</summary>
    public async Task<Account> SetPasswordAsync(Actor actor, string accountName, string? password, CancellationToken ct)
    {
        RequireAdmin(actor);
        var account = await store.FindAccountAsync(accountName, ct).ConfigureAwait(false) ?? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoAccount(accountName));
        if (password is not null && Passwords.Check(password) is { } problem)
        {
            throw Refuse(TrustRefusal.Invalid, problem + ".");
        }
        await store.SetPasswordAsync(account.Id, password is null ? null : Passwords.Hash(password), ct).ConfigureAwait(false);
        await AuditAsync(actor, "account.password", account.Id, password is null ? "cleared" : "set", ct).ConfigureAwait(false);
        return account;
    }

    /// <summary>Adds or updates an API root (administrators and the operator).</summary>
    public async Task AddApiRootAsync(Actor actor, string name, string title, string? description, CancellationToken ct)
    {
        RequireAdmin(actor);
        // taxii2 is discovery, ui the web interface, api the node's own API: an API root there would be unreachable.
        if (!PathSegment().IsMatch(name) || name is "taxii2" or "ui" or "api")
        {
            throw Refuse(TrustRefusal.Invalid, TrustMessages.NotPathSegment(name));
        }
        await store.UpsertApiRootAsync(new ApiRoot(name, title, description), ct).ConfigureAwait(false);
        await AuditAsync(actor, "api-root.add", name, null, ct).ConfigureAwait(false);
    }

    /// <summary>Adds a collection (administrators and the operator); its owner's leads manage it.</summary>
    public async Task<TaxiiCollection> AddCollectionAsync(Actor actor, string? id, string apiRoot, string title, string? description, string? alias, string owner,
        string defaultTlp, bool isPublic, CancellationToken ct)
    {
        RequireAdmin(actor);
        await EnsureDefaultRootAsync(ct).ConfigureAwait(false);
        if ((await store.ListApiRootsAsync(ct).ConfigureAwait(false)).All(r => r.Name != apiRoot))
        {
            throw Refuse(TrustRefusal.NotFound, TrustMessages.NoApiRoot(apiRoot));
        }
        string cid = id ?? Guid.NewGuid().ToString();
        if (await store.GetCollectionAsync(cid, ct).ConfigureAwait(false) is not null || (alias is not null && await store.GetCollectionAsync(alias, ct).ConfigureAwait(false) is not null))
        {
            throw Refuse(TrustRefusal.Conflict, TrustMessages.CollectionExists);
        }
        var ownerOrg = await OperatorOrgOrFindAsync(owner, ct).ConfigureAwait(false) ?? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoOwner(owner));
        var level = Tlp(defaultTlp);
        var c = new TaxiiCollection(cid, apiRoot, title, description, alias, ownerOrg.Id, level, isPublic);
        await store.AddCollectionAsync(c, ct).ConfigureAwait(false);
        await AuditAsync(actor, "collection.add", c.Id, $"owner={ownerOrg.Id} default_tlp={TlpMarkings.NameOf(level)} public={isPublic}", ct).ConfigureAwait(false);
        return c;
    }

    /// <summary>
    /// Sets what an organization or a community may do with a collection (both false removes the grant): a lead of the
    /// owning organization, an administrator, or the operator.
    /// </summary>
    public async Task<(TaxiiCollection Collection, string PrincipalName)> GrantAsync(Actor actor, string collection, PrincipalKind kind, string principal, bool read, bool write, CancellationToken ct)
    {
        var c = await ManagedAsync(actor, collection, ct).ConfigureAwait(false);
        string id, name;
        if (kind == PrincipalKind.Org)
        {
            var o = await store.FindOrganizationAsync(principal, ct).ConfigureAwait(false) ?? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoOrganization(principal));
            (id, name) = (o.Id, o.Name);
        }
        else
        {
            var o = await store.FindCommunityAsync(principal, ct).ConfigureAwait(false) ?? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoCommunity(principal));
            (id, name) = (o.Id, o.Name);
        }
        await store.GrantAsync(new Grant(c.Id, id, read, write, kind), ct).ConfigureAwait(false);
        await AuditAsync(actor, "collection.access", c.Id, $"{TrustNames.Of(kind)}={id} read={read} write={write}", ct).ConfigureAwait(false);
        return (c, name);
    }

    /// <summary>Sets a collection's default marking and whether it is public (null keeps each as it is).</summary>
    public async Task<TaxiiCollection> SetPolicyAsync(Actor actor, string collection, string? defaultTlp, bool? isPublic, CancellationToken ct)
    {
        var c = await ManagedAsync(actor, collection, ct).ConfigureAwait(false);
        var level = defaultTlp is null ? c.DefaultTlp : Tlp(defaultTlp);
        bool pub = isPublic ?? c.IsPublic;
        await store.SetCollectionPolicyAsync(c.Id, level, pub, ct).ConfigureAwait(false);
        await AuditAsync(actor, "collection.policy", c.Id, $"default_tlp={TlpMarkings.NameOf(level)} public={pub}", ct).ConfigureAwait(false);
        return c with { DefaultTlp = level, IsPublic = pub };
    }

    /// <summary>Adds a community (leads, administrators and the operator).</summary>
    public async Task<Community> AddCommunityAsync(Actor actor, string name, string definition, CancellationToken ct)
    {
        RequireTrustManager(actor);
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(definition))
        {
            throw Refuse(TrustRefusal.Invalid, TrustMessages.CommunityNeedsWords);
        }
        if ((await store.ListCommunitiesAsync(ct).ConfigureAwait(false)).Any(c => c.Name == name))
        {
            throw Refuse(TrustRefusal.Conflict, TrustMessages.CommunityExists(name));
        }
        var c = await store.AddCommunityAsync(name, definition, ct).ConfigureAwait(false);
        await AuditAsync(actor, "community.add", c.Id, null, ct).ConfigureAwait(false);
        return c;
    }

    /// <summary>Adds an organization to a community or removes it (leads, administrators and the operator).</summary>
    public async Task<(Community Community, Organization Organization)> SetMemberAsync(Actor actor, string community, string organization, bool member, CancellationToken ct)
    {
        RequireTrustManager(actor);
        var c = await store.FindCommunityAsync(community, ct).ConfigureAwait(false) ?? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoCommunity(community));
        var o = await store.FindOrganizationAsync(organization, ct).ConfigureAwait(false) ?? throw Refuse(TrustRefusal.NotFound, TrustMessages.NoOrganization(organization));
        await store.SetCommunityMemberAsync(c.Id, o.Id, member, ct).ConfigureAwait(false);
        await AuditAsync(actor, member ? "community.member.add" : "community.member.remove", c.Id, $"org={o.Id}", ct).ConfigureAwait(false);
        return (c, o);
    }

    /// <summary>
    /// Records an action that is not a change of trust (an import or export from the command line) in the audit log,
    /// written at once like the changes.
    /// </summary>
    public Task RecordAsync(Actor actor, string action, string? target, string? detail, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return AuditAsync(actor, action, target, detail, ct);
    }

    /// <summary>Every organization, by name.</summary>
    public Task<IReadOnlyList<Organization>> OrganizationsAsync(CancellationToken ct) => store.ListOrganizationsAsync(ct);

    /// <summary>Every community with its members, by name.</summary>
    public Task<IReadOnlyList<Community>> CommunitiesAsync(CancellationToken ct) => store.ListCommunitiesAsync(ct);

    /// <summary>The collections the actor manages (all of them for an administrator or the operator).</summary>
    public async Task<IReadOnlyList<TaxiiCollection>> ManagedCollectionsAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return [.. (await store.ListCollectionsAsync(null, ct).ConfigureAwait(false)).Where(c => actor.Manages(c.Id))];
    }

    /// <summary>The grants on the collections the actor manages.</summary>
    public async Task<IReadOnlyList<Grant>> GrantsAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return [.. (await store.ListGrantsAsync(null, ct).ConfigureAwait(false)).Where(g => actor.Manages(g.CollectionId))];
    }

    /// <summary>The audit log, newest first (administrators and the operator).</summary>
    public Task<IReadOnlyList<AuditEntry>> AuditLogAsync(Actor actor, AuditQuery query, CancellationToken ct)
    {
        RequireAdmin(actor);
        return store.QueryAuditAsync(query, ct);
    }

    /// <summary>Ensures the default API root exists (a node's first start, and a collection added before any root).</summary>
    private async Task EnsureDefaultRootAsync(CancellationToken ct)
    {
        if ((await store.ListApiRootsAsync(ct).ConfigureAwait(false)).Count == 0)
        {
            await store.UpsertApiRootAsync(new ApiRoot(DefaultRoot, "Perisai default API root", "STIX 2.1 collections of this node"), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The default API root's name.</summary>
    public const string DefaultRoot = "default";

    /// <summary>The node operator's own organization: the default owner and producer of what the command line adds.</summary>
    public const string OperatorOrg = "Node operator";

    /// <summary>
    /// On first start: the default API root, and an administrator with a key when there is none; returns the key's
    /// secret when one was just made.
    /// </summary>
    public async Task<string?> BootstrapAsync(CancellationToken ct)
    {
        await EnsureDefaultRootAsync(ct).ConfigureAwait(false);
        if (await store.CountAdminsAsync(ct).ConfigureAwait(false) > 0)
        {
            return null;
        }
        var org = await OperatorOrgOrFindAsync(OperatorOrg, ct).ConfigureAwait(false);
        var admin = await store.FindAccountAsync("admin", ct).ConfigureAwait(false) ?? await store.AddAccountAsync(org!.Id, "admin", Role.Admin, ct).ConfigureAwait(false);
        var issued = await IssueAsync(Actor.Operator, admin, "first start", ct).ConfigureAwait(false);
        return issued.Secret;
    }

    /// <summary>An organization by id or name; the node operator's own is made on first use.</summary>
    public async Task<Organization?> OperatorOrgOrFindAsync(string idOrName, CancellationToken ct) =>
        await store.FindOrganizationAsync(idOrName, ct).ConfigureAwait(false)
        ?? (idOrName == OperatorOrg ? await store.AddOrganizationAsync(OperatorOrg, ct: ct).ConfigureAwait(false) : null);

    private async Task<TaxiiCollection> ManagedAsync(Actor actor, string collection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var c = await store.GetCollectionAsync(collection, ct).ConfigureAwait(false);
        // A collection the actor may not even see is unknown to it, as everywhere else.
        if (c is null || !actor.MaySee(c.Id))
        {
            throw Refuse(TrustRefusal.NotFound, TrustMessages.NoCollection(collection));
        }
        return actor.Manages(c.Id) ? c : throw Refuse(TrustRefusal.Forbidden, TrustMessages.LeadOnly);
    }

    private static TlpLevel Tlp(string name) => TlpMarkings.TryParseName(name, out var level) ? level : throw Refuse(TrustRefusal.Invalid, TrustMessages.NotTlp(name));

    private static void RequireAdmin(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            throw Refuse(TrustRefusal.Forbidden, TrustMessages.AdminOnly);
        }
    }

    private static void RequireTrustManager(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.ManagesTrust)
        {
            throw Refuse(TrustRefusal.Forbidden, TrustMessages.LeadOrAdminOnly);
        }
    }

    private static TrustAdministrationException Refuse(TrustRefusal refusal, string message) => new(refusal, message);

    // Written before the change is reported done, not queued with the reads: a change of trust is never lost from the log.
    private Task AuditAsync(Actor actor, string action, string? target, string? detail, CancellationToken ct) =>
        store.AppendAuditAsync([actor.Entry(time, action, target, detail)], ct);
}
