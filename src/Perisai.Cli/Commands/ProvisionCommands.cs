using System.CommandLine;
using Perisai.Server.Application;
using Perisai.Stix.Markings;
using Perisai.Storage;

namespace Perisai.Cli.Commands;

/// <summary>
/// Provisioning without the server: organizations, keys, API roots, collections and grants. Each verb is a call of
/// the node's one trust administration, as the operator (<see cref="Actor.Operator"/>).
/// </summary>
internal static class ProvisionCommands
{
    private static Option<bool> JsonOption() => new("--json") { Description = "Print machine-readable JSON." };

    public static Command Org()
    {
        var org = new Command("org", "Manage member organizations.\n\nExamples:\n  perisai org add MyCERT\n  perisai org list --json");
        {
            var name = new Argument<string>("name") { Description = "Organization name, e.g. MyCERT." };
            var country = new Option<string?>("--country") { Description = "ISO 3166-1 alpha-2 country code, e.g. MY." };
            var kind = new Option<string>("--kind") { Description = "national-cert, government-csirt, sector-cert, regional-body or partner.", DefaultValueFactory = _ => "partner" };
            var parent = new Option<string?>("--parent") { Description = "The organization this one is a constituent of (TLP:AMBER to the parent reaches it)." };
            var json = JsonOption();
            var add = new Command("add", "Add an organization.\n\nExample:\n  perisai org add SingCERT --country SG --kind national-cert") { name, country, kind, parent, json };
            LocalNode.Run(add, "org add", async (p, node, ct) =>
            {
                var o = await node.Trust.AddOrganizationAsync(Actor.Operator, p.GetValue(name)!, p.GetValue(country), p.GetValue(kind)!, p.GetValue(parent), ct).ConfigureAwait(false);
                return Output.PrintOne(p.GetValue(json), o, $"Organization '{o.Name}' added as {o.Id}.");
            });
            org.Subcommands.Add(add);
        }
        {
            var json = JsonOption();
            var list = new Command("list", "List organizations.\n\nExample:\n  perisai org list --json") { json };
            LocalNode.Run(list, "org list", async (p, node, ct) =>
            {
                return Output.Print(p.GetValue(json), await node.Trust.OrganizationsAsync(ct).ConfigureAwait(false), ("Id", o => o.Id), ("Name", o => o.Name),
                    ("Country", o => o.Country), ("Kind", o => TrustNames.Of(o.Kind)), ("Parent", o => o.ParentId));
            });
            org.Subcommands.Add(list);
        }
        return org;
    }

    public static Command Key()
    {
        var key = new Command("key", "Manage API keys.\n\nExamples:\n  perisai key add --org MyCERT --account analyst1\n  perisai key revoke 3f2a9c0d1e4b5a69");
        {
            var orgOpt = new Option<string>("--org") { Description = "Organization of the account (created with the account if it is new).", Required = true };
            var account = new Option<string>("--account") { Description = "Account name; created if it does not exist.", Required = true };
            var admin = new Option<bool>("--admin") { Description = "Make a new account a node administrator (same as --role admin)." };
            var role = new Option<string>("--role") { Description = "Role of a new account: reader, analyst, lead, admin or sync.", DefaultValueFactory = _ => "analyst" };
            var label = new Option<string>("--label") { Description = "What the key is for.", DefaultValueFactory = _ => "cli" };
            var json = JsonOption();
            var add = new Command("add", "Issue an API key; the secret is printed once.\n\nExample:\n  perisai key add --org MyCERT --account analyst1 --label laptop")
            { orgOpt, account, admin, role, label, json };
            LocalNode.Run(add, "key add", async (p, node, ct) =>
            {
                var issued = await node.Trust.IssueKeyAsync(Actor.Operator, p.GetValue(account)!, p.GetValue(orgOpt)!, p.GetValue(admin) ? "admin" : p.GetValue(role),
                    p.GetValue(label)!, ct).ConfigureAwait(false);
                string orgName = (await node.Reads.OrganizationAsync(issued.Account.OrgId, ct).ConfigureAwait(false))?.Name ?? issued.Account.OrgId;
                return Output.PrintOne(p.GetValue(json), new { key_id = issued.Record.Id, account = issued.Account.Name, organization = orgName, secret = issued.Secret },
                    $"Key {issued.Record.Id} for {issued.Account.Name} ({orgName}). Shown once:\n{issued.Secret}");
            });
            key.Subcommands.Add(add);
        }
        {
            var id = new Argument<string>("key-id") { Description = "The key's id (the hex part after perisai_)." };
            var revoke = new Command("revoke", "Revoke an API key at once.\n\nExample:\n  perisai key revoke 3f2a9c0d1e4b5a69") { id };
            LocalNode.Run(revoke, "key revoke", async (p, node, ct) =>
            {
                await node.Trust.RevokeKeyAsync(Actor.Operator, p.GetValue(id)!, ct).ConfigureAwait(false);
                return Output.Done($"Key {p.GetValue(id)} revoked.");
            });
            key.Subcommands.Add(revoke);
        }
        {
            var json = JsonOption();
            var list = new Command("list", "List API keys (never their secrets).\n\nExample:\n  perisai key list --json") { json };
            LocalNode.Run(list, "key list", async (p, node, ct) =>
            {
                var rows = new List<KeyRow>();
                foreach (var k in await node.Trust.KeysAsync(Actor.Operator, ct).ConfigureAwait(false))
                {
                    var a = await node.Trust.AccountAsync(k.AccountId, ct).ConfigureAwait(false);
                    rows.Add(new KeyRow(k.Id, a?.Name ?? "?", k.Label, k.Revoked));
                }
                return Output.Print(p.GetValue(json), rows, ("Key id", r => r.KeyId), ("Account", r => r.Account), ("Label", r => r.Label), ("Revoked", r => r.Revoked ? "yes" : "no"));
            });
            key.Subcommands.Add(list);
        }
        return key;
    }

    private sealed record KeyRow(string KeyId, string Account, string Label, bool Revoked);

    public static Command ApiRoot()
    {
        var root = new Command("api-root", "Manage TAXII API roots.\n\nExample:\n  perisai api-root add trustgroup1 --title \"ASEAN national CERTs\"");
        var name = new Argument<string>("name") { Description = "Path segment of the API root, e.g. trustgroup1." };
        var title = new Option<string>("--title") { Description = "Title shown to clients.", Required = true };
        var description = new Option<string?>("--description") { Description = "Description shown to clients." };
        var add = new Command("add", "Add or update an API root.\n\nExample:\n  perisai api-root add trustgroup1 --title \"ASEAN national CERTs\"") { name, title, description };
        LocalNode.Run(add, "api-root add", async (p, node, ct) =>
        {
            await node.Trust.AddApiRootAsync(Actor.Operator, p.GetValue(name)!, p.GetValue(title)!, p.GetValue(description), ct).ConfigureAwait(false);
            return Output.Done($"API root '{p.GetValue(name)}' saved.");
        });
        root.Subcommands.Add(add);
        return root;
    }

    public static Command Collection()
    {
        var collection = new Command("collection", "Manage TAXII collections and who may use them.\n\nExamples:\n  perisai collection add --title \"ASEAN shared\" --alias asean\n  perisai collection grant asean --org MyCERT --read --write");
        {
            var title = new Option<string>("--title") { Description = "Title.", Required = true };
            var id = new Option<string?>("--id") { Description = "Collection id (a UUID is made when omitted)." };
            var alias = new Option<string?>("--alias") { Description = "Short alias, unique in the node." };
            var description = new Option<string?>("--description") { Description = "Description." };
            var apiRoot = new Option<string>("--api-root") { Description = "API root it belongs to.", DefaultValueFactory = _ => TrustAdministration.DefaultRoot };
            var owner = new Option<string>("--owner") { Description = "Owning organization (its leads manage the collection).", DefaultValueFactory = _ => TrustAdministration.OperatorOrg };
            var defaultTlp = new Option<string>("--default-tlp") { Description = "TLP of objects that carry none: clear, green, amber, amber+strict or red.", DefaultValueFactory = _ => "amber" };
            var isPublic = new Option<bool>("--public") { Description = "Every organization of the node may read it (and so its TLP:CLEAR objects)." };
            var json = JsonOption();
            var add = new Command("add", "Add a collection.\n\nExample:\n  perisai collection add --title \"ASEAN shared\" --alias asean --owner \"ASEAN Regional CERT\" --default-tlp green") { title, id, alias, description, apiRoot, owner, defaultTlp, isPublic, json };
            LocalNode.Run(add, "collection add", async (p, node, ct) =>
            {
                var c = await node.Trust.AddCollectionAsync(Actor.Operator, p.GetValue(id), p.GetValue(apiRoot)!, p.GetValue(title)!, p.GetValue(description), p.GetValue(alias),
                    p.GetValue(owner)!, p.GetValue(defaultTlp)!, p.GetValue(isPublic), ct).ConfigureAwait(false);
                return Output.PrintOne(p.GetValue(json), c, $"Collection '{c.Title}' added as {c.Id} in API root '{c.ApiRoot}'.");
            });
            collection.Subcommands.Add(add);
        }
        {
            var json = JsonOption();
            var list = new Command("list", "List collections.\n\nExample:\n  perisai collection list --json") { json };
            LocalNode.Run(list, "collection list", async (p, node, ct) =>
            {
                return Output.Print(p.GetValue(json), await node.Trust.ManagedCollectionsAsync(Actor.Operator, ct).ConfigureAwait(false),
                    ("Id", c => c.Id), ("API root", c => c.ApiRoot), ("Alias", c => c.Alias), ("Title", c => c.Title),
                    ("Owner", c => c.OwnerOrg), ("Default TLP", c => TlpMarkings.NameOf(c.DefaultTlp)), ("Public", c => c.IsPublic ? "yes" : "no"));
            });
            collection.Subcommands.Add(list);
        }
        {
            var target = new Argument<string>("collection") { Description = "Collection id or alias." };
            var orgOpt = new Option<string?>("--org") { Description = "Organization name or id." };
            var communityOpt = new Option<string?>("--community") { Description = "Community name or id: all its members, and its TLP:GREEN community for this collection." };
            var read = new Option<bool>("--read") { Description = "May read objects." };
            var write = new Option<bool>("--write") { Description = "May add objects." };
            var grant = new Command("grant", "Set what an organization or a community may do with a collection (replaces earlier rights; neither --read nor --write removes them).\n\nExamples:\n  perisai collection grant asean --org MyCERT --read --write\n  perisai collection grant asean --community \"ASEAN national CERTs\" --read --write")
            { target, orgOpt, communityOpt, read, write };
            LocalNode.Run(grant, "collection grant", async (p, node, ct) =>
            {
                if ((p.GetValue(orgOpt) is null) == (p.GetValue(communityOpt) is null))
                {
                    return Output.Fail("collection grant", CliMessages.OrgOrCommunity);
                }
                var (kind, principal) = p.GetValue(orgOpt) is { } on ? (PrincipalKind.Org, on) : (PrincipalKind.Community, p.GetValue(communityOpt)!);
                var (c, label) = await node.Trust.GrantAsync(Actor.Operator, p.GetValue(target)!, kind, principal, p.GetValue(read), p.GetValue(write), ct).ConfigureAwait(false);
                return Output.Done($"{label} on '{c.Title}': read {(p.GetValue(read) ? "yes" : "no")}, write {(p.GetValue(write) ? "yes" : "no")}.");
            });
            collection.Subcommands.Add(grant);
        }
        collection.Subcommands.Add(TrustCommands.CollectionPolicy());
        return collection;
    }
}
