using System.CommandLine;
using Perisai.Server.Auth;
using Perisai.Stix.Markings;
using Perisai.Storage;

namespace Perisai.Cli.Commands;

/// <summary>Provisioning without the server: organizations, keys, API roots, collections and grants.</summary>
internal static class ProvisionCommands
{
    private static Option<bool> JsonOption() => new("--json") { Description = "Print machine-readable JSON." };

    public static Command Org()
    {
        var org = new Command("org", "Manage member organizations.\n\nExamples:\n  perisai org add MyCERT\n  perisai org list --json");
        {
            var store = new StoreOptions();
            var name = new Argument<string>("name") { Description = "Organization name, e.g. MyCERT." };
            var country = new Option<string?>("--country") { Description = "ISO 3166-1 alpha-2 country code, e.g. MY." };
            var kind = new Option<string>("--kind") { Description = "national-cert, government-csirt, sector-cert, regional-body or partner.", DefaultValueFactory = _ => "partner" };
            var parent = new Option<string?>("--parent") { Description = "The organization this one is a constituent of (TLP:AMBER to the parent reaches it)." };
            var json = JsonOption();
            var add = new Command("add", "Add an organization.\n\nExample:\n  perisai org add SingCERT --country SG --kind national-cert") { name, country, kind, parent, json };
            store.AddTo(add);
            add.SetAction(async (p, ct) =>
            {
                await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
                string n = p.GetValue(name)!;
                if (await s.FindOrganizationAsync(n, ct).ConfigureAwait(false) is not null)
                {
                    return Output.Fail("org add", $"an organization named '{n}' already exists.");
                }
                string? cc = p.GetValue(country)?.ToUpperInvariant();
                if (cc is not null && !System.Text.RegularExpressions.Regex.IsMatch(cc, "^[A-Z]{2}$"))
                {
                    return Output.Fail("org add", $"'{cc}' is not an ISO 3166-1 alpha-2 code (two letters, e.g. MY).");
                }
                if (!TrustNames.TryKind(p.GetValue(kind)!, out var k))
                {
                    return Output.Fail("org add", $"'{p.GetValue(kind)}' is not a kind; use one of {string.Join(", ", TrustNames.KindNames)}.");
                }
                string? parentId = null;
                if (p.GetValue(parent) is { } pn)
                {
                    parentId = (await s.FindOrganizationAsync(pn, ct).ConfigureAwait(false))?.Id;
                    if (parentId is null)
                    {
                        return Output.Fail("org add", $"no organization '{pn}' to be the parent.");
                    }
                }
                var o = await s.AddOrganizationAsync(n, cc, k, parentId, ct).ConfigureAwait(false);
                await CliAudit.RecordAsync(s, "org.add", o.Id, $"name={o.Name}", ct).ConfigureAwait(false);
                Output.PrintOne(p.GetValue(json), o, $"Organization '{o.Name}' added as {o.Id}.");
                return 0;
            });
            org.Subcommands.Add(add);
        }
        {
            var store = new StoreOptions();
            var json = JsonOption();
            var list = new Command("list", "List organizations.\n\nExample:\n  perisai org list --json") { json };
            store.AddTo(list);
            list.SetAction(async (p, ct) =>
            {
                await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
                Output.Print(p.GetValue(json), await s.ListOrganizationsAsync(ct).ConfigureAwait(false), ("Id", o => o.Id), ("Name", o => o.Name),
                    ("Country", o => o.Country), ("Kind", o => TrustNames.Of(o.Kind)), ("Parent", o => o.ParentId));
                return 0;
            });
            org.Subcommands.Add(list);
        }
        return org;
    }

    public static Command Key()
    {
        var key = new Command("key", "Manage API keys.\n\nExamples:\n  perisai key add --org MyCERT --account analyst1\n  perisai key revoke 3f2a9c0d1e4b5a69");
        {
            var store = new StoreOptions();
            var orgOpt = new Option<string>("--org") { Description = "Organization of the account (created with the account if it is new).", Required = true };
            var account = new Option<string>("--account") { Description = "Account name; created if it does not exist.", Required = true };
            var admin = new Option<bool>("--admin") { Description = "Make a new account a node administrator (same as --role admin)." };
            var role = new Option<string>("--role") { Description = "Role of a new account: reader, analyst, lead, admin or sync.", DefaultValueFactory = _ => "analyst" };
            var label = new Option<string>("--label") { Description = "What the key is for.", DefaultValueFactory = _ => "cli" };
            var json = JsonOption();
            var add = new Command("add", "Issue an API key; the secret is printed once.\n\nExample:\n  perisai key add --org MyCERT --account analyst1 --label laptop")
            { orgOpt, account, admin, role, label, json };
            store.AddTo(add);
            add.SetAction(async (p, ct) =>
            {
                await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
                var o = await s.FindOrganizationAsync(p.GetValue(orgOpt)!, ct).ConfigureAwait(false);
                if (o is null)
                {
                    return Output.Fail("key add", $"no organization '{p.GetValue(orgOpt)}'; add it with 'perisai org add'.");
                }
                if (!TrustNames.TryRole(p.GetValue(role)!, out var r))
                {
                    return Output.Fail("key add", $"'{p.GetValue(role)}' is not a role; use one of {string.Join(", ", TrustNames.RoleNames)}.");
                }
                var a = await s.FindAccountAsync(p.GetValue(account)!, ct).ConfigureAwait(false)
                    ?? await s.AddAccountAsync(o.Id, p.GetValue(account)!, p.GetValue(admin) ? Role.Admin : r, ct).ConfigureAwait(false);
                if (a.OrgId != o.Id)
                {
                    return Output.Fail("key add", $"account '{a.Name}' belongs to another organization.");
                }
                var issued = ApiKeys.Issue(a.Id, p.GetValue(label)!, TimeProvider.System);
                await s.AddApiKeyAsync(issued.Record, ct).ConfigureAwait(false);
                await CliAudit.RecordAsync(s, "key.add", issued.Record.Id, $"account={a.Id}", ct).ConfigureAwait(false);
                Output.PrintOne(p.GetValue(json), new { key_id = issued.Record.Id, account = a.Name, organization = o.Name, secret = issued.Secret },
                    $"Key {issued.Record.Id} for {a.Name} ({o.Name}). Shown once:\n{issued.Secret}");
                return 0;
            });
            key.Subcommands.Add(add);
        }
        {
            var store = new StoreOptions();
            var id = new Argument<string>("key-id") { Description = "The key's id (the hex part after perisai_)." };
            var revoke = new Command("revoke", "Revoke an API key at once.\n\nExample:\n  perisai key revoke 3f2a9c0d1e4b5a69") { id };
            store.AddTo(revoke);
            revoke.SetAction(async (p, ct) =>
            {
                await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
                if (!await s.RevokeApiKeyAsync(p.GetValue(id)!, ct).ConfigureAwait(false))
                {
                    return Output.Fail("key revoke", $"no key '{p.GetValue(id)}'.");
                }
                await CliAudit.RecordAsync(s, "key.revoke", p.GetValue(id), null, ct).ConfigureAwait(false);
                Console.WriteLine($"Key {p.GetValue(id)} revoked.");
                return 0;
            });
            key.Subcommands.Add(revoke);
        }
        {
            var store = new StoreOptions();
            var json = JsonOption();
            var list = new Command("list", "List API keys (never their secrets).\n\nExample:\n  perisai key list --json") { json };
            store.AddTo(list);
            list.SetAction(async (p, ct) =>
            {
                await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
                var keys = await s.ListApiKeysAsync(null, ct).ConfigureAwait(false);
                var rows = new List<object>();
                foreach (var k in keys)
                {
                    var a = await s.GetAccountAsync(k.AccountId, ct).ConfigureAwait(false);
                    rows.Add(new KeyRow(k.Id, a?.Name ?? "?", k.Label, k.Revoked));
                }
                Output.Print(p.GetValue(json), [.. rows.Cast<KeyRow>()], ("Key id", r => r.KeyId), ("Account", r => r.Account), ("Label", r => r.Label), ("Revoked", r => r.Revoked ? "yes" : "no"));
                return 0;
            });
            key.Subcommands.Add(list);
        }
        return key;
    }

    private sealed record KeyRow(string KeyId, string Account, string Label, bool Revoked);

    public static Command ApiRoot()
    {
        var root = new Command("api-root", "Manage TAXII API roots.\n\nExample:\n  perisai api-root add trustgroup1 --title \"ASEAN national CERTs\"");
        var store = new StoreOptions();
        var name = new Argument<string>("name") { Description = "Path segment of the API root, e.g. trustgroup1." };
        var title = new Option<string>("--title") { Description = "Title shown to clients.", Required = true };
        var description = new Option<string?>("--description") { Description = "Description shown to clients." };
        var add = new Command("add", "Add or update an API root.\n\nExample:\n  perisai api-root add trustgroup1 --title \"ASEAN national CERTs\"") { name, title, description };
        store.AddTo(add);
        add.SetAction(async (p, ct) =>
        {
            string n = p.GetValue(name)!;
            // taxii2 is discovery, ui the web interface, api the node's own API: an API root there would be unreachable.
            if (!System.Text.RegularExpressions.Regex.IsMatch(n, "^[a-z0-9][a-z0-9_-]{0,62}$") || n is "taxii2" or "ui" or "api")
            {
                return Output.Fail("api-root add", $"'{n}' is not a usable path segment (lowercase letters, digits, '-' and '_'; not 'taxii2', 'ui' or 'api').");
            }
            await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
            await s.UpsertApiRootAsync(new Storage.ApiRoot(n, p.GetValue(title)!, p.GetValue(description)), ct).ConfigureAwait(false);
            Console.WriteLine($"API root '{n}' saved.");
            return 0;
        });
        root.Subcommands.Add(add);
        return root;
    }

    public static Command Collection()
    {
        var collection = new Command("collection", "Manage TAXII collections and who may use them.\n\nExamples:\n  perisai collection add --title \"ASEAN shared\" --alias asean\n  perisai collection grant asean --org MyCERT --read --write");
        {
            var store = new StoreOptions();
            var title = new Option<string>("--title") { Description = "Title.", Required = true };
            var id = new Option<string?>("--id") { Description = "Collection id (a UUID is made when omitted)." };
            var alias = new Option<string?>("--alias") { Description = "Short alias, unique in the node." };
            var description = new Option<string?>("--description") { Description = "Description." };
            var apiRoot = new Option<string>("--api-root") { Description = "API root it belongs to.", DefaultValueFactory = _ => Bootstrap.DefaultRoot };
            var owner = new Option<string>("--owner") { Description = "Owning organization (its leads manage the collection).", DefaultValueFactory = _ => Bootstrap.OperatorOrg };
            var defaultTlp = new Option<string>("--default-tlp") { Description = "TLP of objects that carry none: clear, green, amber, amber+strict or red.", DefaultValueFactory = _ => "amber" };
            var isPublic = new Option<bool>("--public") { Description = "Every organization of the node may read it (and so its TLP:CLEAR objects)." };
            var json = JsonOption();
            var add = new Command("add", "Add a collection.\n\nExample:\n  perisai collection add --title \"ASEAN shared\" --alias asean --owner \"ASEAN Regional CERT\" --default-tlp green") { title, id, alias, description, apiRoot, owner, defaultTlp, isPublic, json };
            store.AddTo(add);
            add.SetAction(async (p, ct) =>
            {
                await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
                await Bootstrap.EnsureRootAsync(s, ct).ConfigureAwait(false);
                string root = p.GetValue(apiRoot)!;
                if ((await s.ListApiRootsAsync(ct).ConfigureAwait(false)).All(r => r.Name != root))
                {
                    return Output.Fail("collection add", $"no API root '{root}'; add it with 'perisai api-root add'.");
                }
                string cid = p.GetValue(id) ?? Guid.NewGuid().ToString();
                string? al = p.GetValue(alias);
                if (await s.GetCollectionAsync(cid, ct).ConfigureAwait(false) is not null || (al is not null && await s.GetCollectionAsync(al, ct).ConfigureAwait(false) is not null))
                {
                    return Output.Fail("collection add", "a collection with that id or alias already exists.");
                }
                var ownerOrg = await Bootstrap.FindOrganizationAsync(s, p.GetValue(owner)!, ct).ConfigureAwait(false);
                if (ownerOrg is null)
                {
                    return Output.Fail("collection add", $"no organization '{p.GetValue(owner)}' to own it.");
                }
                if (!TlpMarkings.TryParseName(p.GetValue(defaultTlp)!, out var level))
                {
                    return Output.Fail("collection add", $"'{p.GetValue(defaultTlp)}' is not a TLP level; use clear, green, amber, amber+strict or red.");
                }
                var c = new TaxiiCollection(cid, root, p.GetValue(title)!, p.GetValue(description), al, ownerOrg.Id, level, p.GetValue(isPublic));
                await s.AddCollectionAsync(c, ct).ConfigureAwait(false);
                await CliAudit.RecordAsync(s, "collection.add", c.Id, $"owner={ownerOrg.Id} default_tlp={p.GetValue(defaultTlp)} public={c.IsPublic}", ct).ConfigureAwait(false);
                Output.PrintOne(p.GetValue(json), c, $"Collection '{c.Title}' added as {c.Id} in API root '{root}'.");
                return 0;
            });
            collection.Subcommands.Add(add);
        }
        {
            var store = new StoreOptions();
            var json = JsonOption();
            var list = new Command("list", "List collections.\n\nExample:\n  perisai collection list --json") { json };
            store.AddTo(list);
            list.SetAction(async (p, ct) =>
            {
                await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
                Output.Print(p.GetValue(json), await s.ListCollectionsAsync(null, ct).ConfigureAwait(false),
                    ("Id", c => c.Id), ("API root", c => c.ApiRoot), ("Alias", c => c.Alias), ("Title", c => c.Title),
                    ("Owner", c => c.OwnerOrg), ("Default TLP", c => TlpMarkings.NameOf(c.DefaultTlp)), ("Public", c => c.IsPublic ? "yes" : "no"));
                return 0;
            });
            collection.Subcommands.Add(list);
        }
        {
            var store = new StoreOptions();
            var target = new Argument<string>("collection") { Description = "Collection id or alias." };
            var orgOpt = new Option<string?>("--org") { Description = "Organization name or id." };
            var communityOpt = new Option<string?>("--community") { Description = "Community name or id: all its members, and its TLP:GREEN community for this collection." };
            var read = new Option<bool>("--read") { Description = "May read objects." };
            var write = new Option<bool>("--write") { Description = "May add objects." };
            var grant = new Command("grant", "Set what an organization or a community may do with a collection (replaces earlier rights; neither --read nor --write removes them).\n\nExamples:\n  perisai collection grant asean --org MyCERT --read --write\n  perisai collection grant asean --community \"ASEAN national CERTs\" --read --write")
            { target, orgOpt, communityOpt, read, write };
            store.AddTo(grant);
            grant.SetAction(async (p, ct) =>
            {
                await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
                var c = await s.GetCollectionAsync(p.GetValue(target)!, ct).ConfigureAwait(false);
                if (c is null)
                {
                    return Output.Fail("collection grant", $"no collection '{p.GetValue(target)}'.");
                }
                if ((p.GetValue(orgOpt) is null) == (p.GetValue(communityOpt) is null))
                {
                    return Output.Fail("collection grant", "name exactly one of --org and --community.");
                }
                string principal, label;
                PrincipalKind kind;
                if (p.GetValue(orgOpt) is { } on)
                {
                    var o = await s.FindOrganizationAsync(on, ct).ConfigureAwait(false);
                    if (o is null)
                    {
                        return Output.Fail("collection grant", $"no organization '{on}'.");
                    }
                    (principal, label, kind) = (o.Id, o.Name, PrincipalKind.Org);
                }
                else
                {
                    string cn = p.GetValue(communityOpt)!;
                    var community = await s.FindCommunityAsync(cn, ct).ConfigureAwait(false);
                    if (community is null)
                    {
                        return Output.Fail("collection grant", $"no community '{cn}'; see 'perisai community list'.");
                    }
                    (principal, label, kind) = (community.Id, community.Name, PrincipalKind.Community);
                }
                await s.GrantAsync(new Grant(c.Id, principal, p.GetValue(read), p.GetValue(write), kind), ct).ConfigureAwait(false);
                await CliAudit.RecordAsync(s, "collection.access", c.Id, $"{TrustNames.Of(kind)}={principal} read={p.GetValue(read)} write={p.GetValue(write)}", ct).ConfigureAwait(false);
                Console.WriteLine($"{label} on '{c.Title}': read {(p.GetValue(read) ? "yes" : "no")}, write {(p.GetValue(write) ? "yes" : "no")}.");
                return 0;
            });
            collection.Subcommands.Add(grant);
        }
        collection.Subcommands.Add(TrustCommands.CollectionPolicy());
        return collection;
    }
}
