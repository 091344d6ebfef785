using Perisai.Server.Auth;
using Perisai.Storage;

namespace Perisai.Cli.Commands;

/// <summary>What a node needs on first start: its default API root and an administrator with a key.</summary>
internal static class Bootstrap
{
    public const string DefaultRoot = "default";
    public const string OperatorOrg = "Node operator";
    public const string AdminAccount = "admin";

    /// <summary>Ensures that at least the default API root exists.</summary>
    public static async Task EnsureRootAsync(IStixStore store, CancellationToken ct)
    {
        if ((await store.ListApiRootsAsync(ct).ConfigureAwait(false)).Count == 0)
        {
            await store.UpsertApiRootAsync(new ApiRoot(DefaultRoot, "Perisai default API root", "STIX 2.1 collections of this node"), ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An organization by id or name; the node operator's own is made on first use, since it is the default owner and
    /// producer of what the command line adds.
    /// </summary>
    public static async Task<Organization?> FindOrganizationAsync(IStixStore store, string idOrName, CancellationToken ct) =>
        await store.FindOrganizationAsync(idOrName, ct).ConfigureAwait(false)
        ?? (idOrName == OperatorOrg ? await store.AddOrganizationAsync(OperatorOrg, ct: ct).ConfigureAwait(false) : null);

    /// <summary>Ensures the default API root; returns the administrator's key secret when one was just made.</summary>
    public static async Task<string?> EnsureAsync(IStixStore store, CancellationToken ct)
    {
        await EnsureRootAsync(store, ct).ConfigureAwait(false);
        if (await store.CountAdminsAsync(ct).ConfigureAwait(false) > 0)
        {
            return null;
        }
        var org = await store.FindOrganizationAsync(OperatorOrg, ct).ConfigureAwait(false)
            ?? await store.AddOrganizationAsync(OperatorOrg, ct: ct).ConfigureAwait(false);
        var admin = await store.FindAccountAsync(AdminAccount, ct).ConfigureAwait(false)
            ?? await store.AddAccountAsync(org.Id, AdminAccount, Role.Admin, ct).ConfigureAwait(false);
        var key = ApiKeys.Issue(admin.Id, "first start", TimeProvider.System);
        await store.AddApiKeyAsync(key.Record, ct).ConfigureAwait(false);
        return key.Secret;
    }
}
