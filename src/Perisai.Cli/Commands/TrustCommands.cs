using System.CommandLine;
using System.Text.Json;
using Perisai.Server.Application;
using Perisai.Stix.Json;
using Perisai.Stix.Markings;
using Perisai.Storage;
using Spectre.Console;

namespace Perisai.Cli.Commands;

/// <summary>Trust from the command line: communities, collection policy, "who would receive this?", the audit log.</summary>
internal static class TrustCommands
{
    private static Option<bool> JsonOption() => new("--json") { Description = "Print machine-readable JSON." };

    public static Command CollectionPolicy()
    {
        var target = new Argument<string>("collection") { Description = "Collection id or alias." };
        var defaultTlp = new Option<string?>("--default-tlp") { Description = "TLP of objects that carry none (applies at once to those already stored)." };
        var isPublic = new Option<bool?>("--public") { Description = "true: every organization of the node may read it; false: only those granted." };
        var command = new Command("policy", "Set a collection's default marking and whether it is public.\n\nExample:\n  perisai collection policy asean --default-tlp green --public false")
        { target, defaultTlp, isPublic };
        LocalNode.Run(command, "collection policy", async (p, node, ct) =>
        {
            var c = await node.Trust.SetPolicyAsync(Actor.Operator, p.GetValue(target)!, p.GetValue(defaultTlp), p.GetValue(isPublic), ct).ConfigureAwait(false);
            return Output.Done($"'{c.Title}': default TLP:{TlpMarkings.NameOf(c.DefaultTlp)}, {(c.IsPublic ? "public" : "not public")}.");
        });
        return command;
    }

    public static Command Community()
    {
        var community = new Command("community", "Manage communities: named trust groups with a written definition (TLP:GREEN's community).\n\nExamples:\n  perisai community add \"ASEAN national CERTs\" --definition \"The ten national CERTs of the ASEAN member states\"\n  perisai community member add \"ASEAN national CERTs\" MyCERT");
        {
            var name = new Argument<string>("name") { Description = "Community name." };
            var definition = new Option<string>("--definition") { Description = "Who belongs and why, in words a member can check.", Required = true };
            var json = JsonOption();
            var add = new Command("add", "Add a community.\n\nExample:\n  perisai community add \"MY-SG bilateral\" --definition \"MyCERT and SingCERT\"") { name, definition, json };
            LocalNode.Run(add, "community add", async (p, node, ct) =>
            {
                var c = await node.Trust.AddCommunityAsync(Actor.Operator, p.GetValue(name)!, p.GetValue(definition)!, ct).ConfigureAwait(false);
                return Output.PrintOne(p.GetValue(json), c, $"Community '{c.Name}' added as {c.Id}.");
            });
            community.Subcommands.Add(add);
        }
        {
            var json = JsonOption();
            var list = new Command("list", "List communities and their members.\n\nExample:\n  perisai community list --json") { json };
            LocalNode.Run(list, "community list", async (p, node, ct) =>
            {
                var names = (await node.Trust.OrganizationsAsync(ct).ConfigureAwait(false)).ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
                return Output.Print(p.GetValue(json), await node.Trust.CommunitiesAsync(ct).ConfigureAwait(false),
                    ("Id", c => c.Id), ("Name", c => c.Name), ("Definition", c => c.Definition),
                    ("Members", c => string.Join(", ", c.Members.Select(m => names.GetValueOrDefault(m, m)))));
            });
            community.Subcommands.Add(list);
        }
        var member = new Command("member", "Add organizations to a community or remove them.");
        foreach (bool adding in new[] { true, false })
        {
            var c = new Argument<string>("community") { Description = "Community name or id." };
            var orgs = new Argument<string[]>("organizations") { Description = "Organization names or ids.", Arity = ArgumentArity.OneOrMore };
            var verb = new Command(adding ? "add" : "remove", adding
                ? "Add organizations to a community.\n\nExample:\n  perisai community member add \"ASEAN national CERTs\" MyCERT SingCERT"
                : "Remove organizations from a community.\n\nExample:\n  perisai community member remove \"ASEAN national CERTs\" MyCERT") { c, orgs };
            LocalNode.Run(verb, $"community member {verb.Name}", async (p, node, ct) =>
            {
                foreach (string on in p.GetValue(orgs)!)
                {
                    var (found, o) = await node.Trust.SetMemberAsync(Actor.Operator, p.GetValue(c)!, on, adding, ct).ConfigureAwait(false);
                    Console.WriteLine($"{o.Name} {(adding ? "added to" : "removed from")} '{found.Name}'.");
                }
                return 0;
            });
            member.Subcommands.Add(verb);
        }
        community.Subcommands.Add(member);
        return community;
    }

    public static Command Policy()
    {
        var policy = new Command("policy", "Ask the sharing policy.");
        var file = new Argument<FileInfo>("file") { Description = "A STIX bundle, envelope or object you are about to publish." };
        var collection = new Option<string>("--collection") { Description = "Collection id or alias you would publish to.", Required = true };
        var asOrg = new Option<string>("--as") { Description = "Organization publishing it (the producer).", DefaultValueFactory = _ => TrustAdministration.OperatorOrg };
        var json = JsonOption();
        var preview = new Command("preview", """
            Who would receive this? Lists, for each object of FILE, every organization that would be able to read
            it if it were published to the collection now, and why the list may be shorter than you expect.

            Example:
              perisai policy preview wannacry.json --collection asean --as MyCERT
            """)
        { file, collection, asOrg, json };
        LocalNode.Run(preview, "policy preview", async (p, node, ct) =>
        {
            var c = await node.CollectionAsync(p.GetValue(collection)!, ct).ConfigureAwait(false);
            var producer = await node.OrganizationAsync(p.GetValue(asOrg)!, ct).ConfigureAwait(false);
            var f = p.GetValue(file)!;
            if (!f.Exists)
            {
                return Output.Fail("policy preview", CliMessages.NoFile(f.FullName));
            }
            using var doc = StixDocument.Parse(await File.ReadAllBytesAsync(f.FullName, ct).ConfigureAwait(false));
            if (doc.Error is { } error)
            {
                return Output.Fail("policy preview", $"{f.Name}: {error}");
            }
            var intake = Intake.Check(doc);
            // The node as the producer sees it: what it may not see is as unknown to the preview as what was never stored.
            var viewer = Reader.Within(await node.TrustModelAsync(ct).ConfigureAwait(false), producer.Id);
            var entries = await node.Reads.PreviewAsync(viewer, c.Id, producer.Id, intake.Valid, ct).ConfigureAwait(false);
            var names = (await node.Reads.OrganizationsAsync(ct).ConfigureAwait(false)).ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    collection = c.Id,
                    objects = entries.Select(e => new { id = e.Id, type = e.Type, tlp = TlpMarkings.NameOf(e.Tlp), audience = e.Audience.Select(a => new { id = a, name = names.GetValueOrDefault(a) }), notes = e.Notes }),
                    invalid = intake.Failures.Select(x => new { id = x.Id, message = x.Summary() }),
                }, Output.JsonOptions));
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumns("Object", "TLP", "Who can read it", "Notes");
                foreach (var e in entries)
                {
                    table.AddRow(Markup.Escape(e.Id), TlpMarkings.NameOf(e.Tlp), Markup.Escape(string.Join(", ", e.Audience.Select(a => names.GetValueOrDefault(a, a)))), Markup.Escape(string.Join(" ", e.Notes)));
                }
                AnsiConsole.Write(table);
                foreach (var x in intake.Failures)
                {
                    Console.Error.WriteLine($"{f.Name}: {x.Id} is not valid and would be rejected: {x.Summary()}");
                }
            }
            return intake.Failures.Count > 0 ? 1 : 0;
        });
        policy.Subcommands.Add(preview);
        return policy;
    }

    public static Command Audit()
    {
        var since = new Option<string?>("--since") { Description = "Only entries at or after this time (e.g. 2026-11-29T00:00:00Z)." };
        var org = new Option<string?>("--org") { Description = "Only entries of this organization (name or id)." };
        var action = new Option<string?>("--action") { Description = "Only actions starting with this, e.g. objects. or key." };
        var limit = new Option<int>("--limit") { Description = "Most entries to show, newest first.", DefaultValueFactory = _ => 100 };
        var json = JsonOption();
        var command = new Command("audit", """
            Show the audit log: reads, writes, exports and administrative changes, who, what, when and from where.
            Entries never hold object content.

            Example:
              perisai audit --action key. --limit 20
            """)
        { since, org, action, limit, json };
        LocalNode.Run(command, "audit", async (p, node, ct) =>
        {
            long? from = null;
            if (p.GetValue(since) is { } text)
            {
                if (!Perisai.Stix.StixTimestamp.TryParse(text, out var ts))
                {
                    return Output.Fail("audit", CliMessages.NotTimestamp(text));
                }
                from = (ts!.Value.Instant - DateTimeOffset.UnixEpoch).Ticks / 10;
            }
            string? orgId = null;
            if (p.GetValue(org) is { } on)
            {
                orgId = (await node.Reads.OrganizationAsync(on, ct).ConfigureAwait(false))?.Id;
                if (orgId is null)
                {
                    return Output.Fail("audit", TrustMessages.NoOrganization(on));
                }
            }
            var entries = await node.Trust.AuditLogAsync(Actor.Operator, new AuditQuery { Since = from, OrgId = orgId, ActionPrefix = p.GetValue(action), Limit = p.GetValue(limit) }, ct).ConfigureAwait(false);
            return Output.Print(p.GetValue(json), entries, ("At", e => Storage.Sql.SqlStore.FormatMicros(e.At)), ("Action", e => e.Action), ("Target", e => e.Target),
                ("Account", e => e.AccountId ?? "cli"), ("Org", e => e.OrgId), ("Detail", e => e.Detail), ("From", e => e.Source));
        });
        return command;
    }
}
