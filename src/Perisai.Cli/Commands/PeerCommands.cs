using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Perisai.Server.Application;
using Perisai.Server.Federation;
using Perisai.Storage;

namespace Perisai.Cli.Commands;

/// <summary><c>perisai peer add|invite|join|list|status|run|remove</c>: the other nodes this one exchanges with (docs/federation.md).</summary>
internal static class PeerCommands
{
    public static Command Peer()
    {
        var command = new Command("peer", """
            Exchange intelligence with other nodes, object by object, under this node's sharing policy. Joining takes one
            command on each side: the inviting node prints a one-time token, the joining node takes it, and both
            directions are linked at once. The server (perisai serve) runs the links; a failing peer holds up no other.

            Examples:
              perisai peer invite --name mycert --for MyCERT --collection asean --home "ASEAN Regional CERT" --url https://hub.example:8443
              perisai peer join perisai-peer1.eyJ2Ijox... --home MyCERT --url https://mycert.example:8443
              perisai peer add misp --url https://misp.example/taxii2/ --key K --home MyCERT --pull REMOTE_COLLECTION=asean
              perisai peer status
            """)
        { Invite(), Join(), Add(), List(), Status(), Run(), Remove() };
        return command;
    }

    private static Option<string?> HomeOption() => new("--home") { Description = "This node's home organization (the CERT that runs it); remembered." };

    private static Option<string?> UrlOption() => new("--url") { Description = "This node's public address, as peers reach it; remembered." };

    private static Option<string[]> AlsoServesOption() => new("--also-serve")
    {
        Description = "Organizations this node speaks for besides its home and that one's constituents (a regional hub); remembered.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static async Task ConfigureAsync(LocalNode node, ParseResult p, Option<string?> home, Option<string?> url, Option<string[]> also, CancellationToken ct)
    {
        string[] more = p.GetValue(also) ?? [];
        if (p.GetValue(home) is not null || p.GetValue(url) is not null || more.Length > 0)
        {
            await node.Peers.ConfigureAsync(Actor.Operator, p.GetValue(home), p.GetValue(url), more.Length > 0 ? more : null, ct).ConfigureAwait(false);
        }
    }

    private static Command Invite()
    {
        var name = new Option<string>("--name") { Description = "The joining node's name here.", Required = true };
        var forOrg = new Option<string>("--for") { Description = "The joining node's home organization (name or id).", Required = true };
        var serves = new Option<string[]>("--serves") { Description = "Organizations it may speak for (default: its home and that one's constituents).", AllowMultipleArgumentsPerToken = true };
        var collections = new Option<string[]>("--collection") { Description = "Collections to link both ways (id or alias).", Required = true, AllowMultipleArgumentsPerToken = true };
        var fingerprint = new Option<string?>("--fingerprint") { Description = "SHA-256 of this node's TLS certificate, for the joining node to pin." };
        var hours = new Option<int>("--valid-hours") { Description = "How long the token may be used.", DefaultValueFactory = _ => (int)PeerAdministration.InviteLifetime.TotalHours };
        var (home, url, also) = (HomeOption(), UrlOption(), AlsoServesOption());
        var command = new Command("invite", "Invite a node: prints a one-time token with this node's address, a fresh sync key and its certificate's fingerprint.")
        { name, forOrg, serves, collections, fingerprint, hours, home, url, also };
        LocalNode.Run(command, "peer invite", async (p, node, ct) =>
        {
            await ConfigureAsync(node, p, home, url, also, ct).ConfigureAwait(false);
            string[] s = p.GetValue(serves) ?? [];
            var made = await node.Peers.InviteAsync(Actor.Operator, p.GetValue(name)!, p.GetValue(forOrg)!, s.Length > 0 ? s : null, p.GetValue(collections)!,
                p.GetValue(fingerprint), TimeSpan.FromHours(Math.Max(1, p.GetValue(hours))), ct).ConfigureAwait(false);
            Console.WriteLine($"Invitation for '{made.Invite.Name}' (speaks for {made.Invite.Serves.Count} organization(s), links {made.Invite.Collections.Count} collection(s)), " +
                $"valid until {Perisai.Storage.Sql.SqlStore.FormatMicros(made.Invite.Expires)[..19]}Z. Give this to its operator, once:");
            Console.WriteLine(made.Token);
            return 0;
        });
        return command;
    }

    private static Command Join()
    {
        var token = new Argument<string>("token") { Description = "The token perisai peer invite printed." };
        var name = new Option<string?>("--name") { Description = "The inviting node's name here (default: its home organization's)." };
        var (home, url, also) = (HomeOption(), UrlOption(), AlsoServesOption());
        var command = new Command("join", "Join the node that invited this one: both directions are linked when this returns.") { token, name, home, url, also };
        LocalNode.Run(command, "peer join", async (p, node, ct) =>
        {
            await ConfigureAsync(node, p, home, url, also, ct).ConfigureAwait(false);
            try
            {
                var view = await node.Peers.JoinAsync(Actor.Operator, p.GetValue(token)!, p.GetValue(name), ct).ConfigureAwait(false);
                Console.WriteLine($"Joined '{view.Peer.Name}' at {view.Peer.Url}: it speaks for {view.Peer.Serves.Count} organization(s); " +
                    $"{view.Links.Count} collection(s) linked both ways.");
                return 0;
            }
            catch (TaxiiClientException e)
            {
                return Output.Fail("peer join", e.Message);
            }
        });
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "A unique name for the peer." };
        var url = new Option<string>("--url") { Description = "Its TAXII server or API root address.", Required = true };
        var key = new Option<string?>("--key") { Description = "The API key this node calls it with (also read from PERISAI_PEER_KEY)." };
        var fingerprint = new Option<string?>("--fingerprint") { Description = "SHA-256 of its TLS certificate, pinned." };
        var home = new Option<string>("--home") { Description = "The organization that runs it (name or id).", Required = true };
        var serves = new Option<string[]>("--serves") { Description = "More organizations it speaks for.", AllowMultipleArgumentsPerToken = true };
        var pull = new Option<string[]>("--pull") { Description = "REMOTE=LOCAL: pull its collection REMOTE into LOCAL.", AllowMultipleArgumentsPerToken = true };
        var push = new Option<string[]>("--push") { Description = "LOCAL=REMOTE: push LOCAL to its collection REMOTE.", AllowMultipleArgumentsPerToken = true };
        var every = new Option<string>("--every") { Description = "continuous, or an interval: 30s, 5m, 1h.", DefaultValueFactory = _ => "continuous" };
        var command = new Command("add", "Add a peer by hand: any TAXII 2.1 server, Perisai or not.") { name, url, key, fingerprint, home, serves, pull, push, every };
        LocalNode.Run(command, "peer add", async (p, node, ct) =>
        {
            if (Interval(p.GetValue(every)!) is not { } seconds)
            {
                return Output.Fail("peer add", CliMessages.BadPeerInterval(p.GetValue(every)!));
            }
            var pulls = new List<(string, string)>();
            var pushes = new List<(string, string)>();
            foreach (var (values, list) in new[] { (p.GetValue(pull) ?? [], pulls), (p.GetValue(push) ?? [], pushes) })
            {
                foreach (string v in values)
                {
                    int eq = v.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0 || eq == v.Length - 1)
                    {
                        return Output.Fail("peer add", CliMessages.BadLink(v));
                    }
                    list.Add((v[..eq], v[(eq + 1)..]));
                }
            }
            var view = await node.Peers.AddAsync(Actor.Operator, p.GetValue(name)!, p.GetValue(url)!, p.GetValue(key) ?? Environment.GetEnvironmentVariable("PERISAI_PEER_KEY"),
                p.GetValue(fingerprint), p.GetValue(home)!, p.GetValue(serves) ?? [], pulls, pushes, seconds, ct).ConfigureAwait(false);
            return Output.Done($"Peer '{view.Peer.Name}' added with {view.Links.Count} link(s); the server runs them {(seconds == 0 ? "continuously" : $"every {seconds}s")}.");
        });
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("list", "List peers: who they are and speak for, and their links.") { json };
        LocalNode.Run(command, "peer list", async (p, node, ct) =>
        {
            var peers = await node.Peers.ListAsync(ct).ConfigureAwait(false);
            return Output.Print(p.GetValue(json), [.. peers.Select(v => new
            {
                v.Peer.Name, v.Peer.Url, home_org = v.Peer.HomeOrg, serves = v.Peer.Serves.Count,
                links = string.Join(", ", v.Links.Select(l => $"{TrustNames.Of(l.Direction)} {l.LocalCollection}")),
            })],
                ("Name", v => v.Name), ("URL", v => v.Url), ("Speaks for", v => v.serves.ToString(CultureInfo.InvariantCulture)), ("Links", v => v.links));
        });
        return command;
    }

    private static Command Status()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (as GET /api/v1/peers)." };
        var command = new Command("status", "Each link's last run, lag, objects in and out, and every object not sent or not accepted, by reason.") { json };
        LocalNode.Run(command, "peer status", async (p, node, ct) =>
        {
            var peers = await node.Peers.ListAsync(ct).ConfigureAwait(false);
            long now = (TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
            if (p.GetValue(json))
            {
                using var stream = Console.OpenStandardOutput();
                using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
                w.WriteStartObject();
                w.WriteStartArray("peers");
                foreach (var v in peers)
                {
                    PeerJson.Write(w, v, now);
                }
                w.WriteEndArray();
                w.WriteEndObject();
                w.Flush();
                Console.WriteLine();
                return 0;
            }
            var rows = peers.SelectMany(v => v.Links.Select(l => new
            {
                peer = v.Peer.Name, direction = TrustNames.Of(l.Direction), collection = l.LocalCollection,
                last = l.LastRun is { } t ? Perisai.Storage.Sql.SqlStore.FormatMicros(t)[..19] + "Z" : "never",
                lag = l.LagSeconds(now) is { } lag ? $"{lag}s" : "",
                l.ObjectsIn, l.ObjectsOut,
                not_sent = LinkReasons.Describe(l.Reasons),
                error = l.LastError,
            })).ToList();
            Output.Print(false, rows, ("Peer", r => r.peer), ("Link", r => r.direction), ("Collection", r => r.collection), ("Last run", r => r.last), ("Lag", r => r.lag),
                ("In", r => r.ObjectsIn.ToString(CultureInfo.InvariantCulture)), ("Out", r => r.ObjectsOut.ToString(CultureInfo.InvariantCulture)),
                ("Not sent / not accepted", r => r.not_sent), ("Error", r => r.error));
            foreach (var c in peers.SelectMany(v => v.Conflicts.Select(c => (v.Peer.Name, c))))
            {
                Console.WriteLine($"conflict from {c.Name}: {c.c.ObjectId} {c.c.Version}: {c.c.Detail}");
            }
            return 0;
        });
        return command;
    }

    private static Command Run()
    {
        var name = new Argument<string>("peer") { Description = "Peer name or id." };
        var command = new Command("run", "Run a peer's links now, as the server would, and record the runs.") { name };
        LocalNode.Run(command, "peer run", async (p, node, ct) =>
        {
            var runs = await node.Peers.RunAsync(Actor.Operator, p.GetValue(name)!, ct).ConfigureAwait(false);
            foreach (var (link, run) in runs)
            {
                string reasons = LinkReasons.Describe(run.NotSent);
                Console.WriteLine($"{TrustNames.Of(link.Direction)} {link.LocalCollection}: {run.In} in, {run.Out} out" + (reasons.Length > 0 ? $"; not sent: {reasons}" : "")
                    + (run.Error is null ? "" : $"; failed: {run.Error}"));
            }
            return runs.Any(r => r.Run.Error is not null) ? 1 : 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("peer") { Description = "Peer name or id." };
        var command = new Command("remove", "Remove a peer: its links stop and its keys are revoked. What it sent stays.") { name };
        LocalNode.Run(command, "peer remove", async (p, node, ct) =>
        {
            await node.Peers.RemoveAsync(Actor.Operator, p.GetValue(name)!, ct).ConfigureAwait(false);
            return Output.Done($"Peer '{p.GetValue(name)}' removed.");
        });
        return command;
    }

    /// <summary>"continuous" (0), or "30s", "5m", "1h", "1d" in seconds; null when unreadable.</summary>
    internal static long? Interval(string text)
    {
        if (text is "continuous" or "0")
        {
            return 0;
        }
        if (text.Length < 2 || !long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            return null;
        }
        return text[^1] switch { 's' => n, 'm' => n * 60, 'h' => n * 3600, 'd' => n * 86400, _ => null };
    }
}
