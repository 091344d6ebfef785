using Perisai.Storage;

namespace Perisai.Server.Application;

/// <summary>
/// Every message of the trust administration, whichever surface shows it (the command line after
/// <c>perisai VERB:</c>, the trust API as a TAXII error's description, the web page's notice).
/// </summary>
public static class TrustMessages
{
    /// <summary>The actor is not an administrator.</summary>
    public const string AdminOnly = "only a node administrator may do this.";

    /// <summary>The actor does not manage the collection.</summary>
    public const string LeadOnly = "only a lead of the organization that owns the collection, or an administrator, may change its trust.";

    /// <summary>The actor may not change communities.</summary>
    public const string LeadOrAdminOnly = "only a lead or an administrator may change communities.";

    /// <summary>The id or alias of a new collection is taken.</summary>
    public const string CollectionExists = "a collection with that id or alias already exists.";

    /// <summary>A community needs a name and a definition.</summary>
    public const string CommunityNeedsWords = "a community needs a name and a definition of who belongs.";

    /// <summary>No such account.</summary>
    public static string NoAccount(string name) => $"no account '{name}'.";

    /// <summary>No such organization.</summary>
    public static string NoOrganization(string name) => $"no organization '{name}'.";

    /// <summary>No such organization, for an account to be made in.</summary>
    public static string NoOrganizationToAdd(string name) => $"no organization '{name}'; add it with 'perisai org add'.";

    /// <summary>No such parent organization.</summary>
    public static string NoParent(string name) => $"no organization '{name}' to be the parent.";

    /// <summary>No such owner.</summary>
    public static string NoOwner(string name) => $"no organization '{name}' to own it.";

    /// <summary>No such community.</summary>
    public static string NoCommunity(string name) => $"no community '{name}'; see 'perisai community list'.";

    /// <summary>No such collection (or one the actor may not know of).</summary>
    public static string NoCollection(string name) => $"no collection '{name}'.";

    /// <summary>No such API root.</summary>
    public static string NoApiRoot(string name) => $"no API root '{name}'; add it with 'perisai api-root add'.";

    /// <summary>No such key (or another account's).</summary>
    public static string NoKey(string id) => $"no key '{id}'.";

    /// <summary>The account belongs to another organization.</summary>
    public static string AccountElsewhere(string name) => $"account '{name}' belongs to another organization.";

    /// <summary>An organization of that name exists.</summary>
    public static string OrganizationExists(string name) => $"an organization named '{name}' already exists.";

    /// <summary>A community of that name exists.</summary>
    public static string CommunityExists(string name) => $"a community named '{name}' already exists.";

    /// <summary>Not an ISO 3166-1 alpha-2 code.</summary>
    public static string NotCountry(string code) => $"'{code}' is not an ISO 3166-1 alpha-2 code (two letters, e.g. MY).";

    /// <summary>Not a kind of organization.</summary>
    public static string NotKind(string kind) => $"'{kind}' is not a kind; use one of {string.Join(", ", TrustNames.KindNames)}.";

    /// <summary>Not a role.</summary>
    public static string NotRole(string role) => $"'{role}' is not a role; use one of {string.Join(", ", TrustNames.RoleNames)}.";

    /// <summary>Not a TLP level.</summary>
    public static string NotTlp(string name) => $"'{name}' is not a TLP level; use clear, green, amber, amber+strict or red.";

    /// <summary>Not a usable API root name.</summary>
    public static string NotPathSegment(string name) => $"'{name}' is not a usable path segment (lowercase letters, digits, '-' and '_'; not 'taxii2', 'ui' or 'api').";

    /// <summary>An organization id that is not a STIX identity id.</summary>
    public static string NotIdentityId(string id) => $"'{id}' is not a STIX identity id (identity--UUID)";
}
