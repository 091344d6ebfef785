using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Perisai.Cli.Demo;
using Perisai.Server.Application;
using Perisai.Stix.Markings;
using Perisai.Storage;
using Perisai.Storage.Sqlite;

namespace Perisai.Cli.Tests.Federation;

/// <summary>
/// Issue 17's region: the ASEAN Regional CERT's hub and the ten national nodes on loopback, joined by invitations in a
/// star plus a direct MyCERT–SingCERT link (perisai demo region), exchanging over real HTTP.
/// </summary>
[Collection("region")]
public sealed class RegionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static string Indicator(string id, string marking, string modified = "2026-03-01T00:00:00.000Z", string extra = "") =>
        $$"""{"type":"indicator","spec_version":"2.1","id":"{{id}}","created":"2026-03-01T00:00:00.000Z","modified":"{{modified}}","pattern":"[ipv4-addr:value = '203.0.113.{{id.Length % 200}}']","pattern_type":"stix","valid_from":"2026-03-01T00:00:00Z","object_marking_refs":["{{marking}}"]{{extra}}}""";

    private static async Task PostAsync(RegionNode node, string account, string collection, params string[] objects)
    {
        using var http = new HttpClient { BaseAddress = new Uri(node.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", node.Keys[account]);
        http.DefaultRequestHeaders.Accept.ParseAdd("application/taxii+json;version=2.1");
        var content = new StringContent($"{{\"objects\":[{string.Join(",", objects)}]}}", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/taxii+json;version=2.1");
        var response = await http.PostAsync($"/default/collections/{collection}/objects/", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("\"failure_count\":0", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Every stored version of an object on a node, as the store holds it (no reader: the node's own view).</summary>
    private static async Task<IReadOnlyList<StoredObject>> StoredAsync(RegionNode node, string collection, string id)
    {
        await using var store = new SqliteStore(node.DataDir, TimeProvider.System);
        return (await store.QueryObjectsAsync(new ObjectQuery(collection) { Ids = [id], Versions = VersionFilter.Every })).Items;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var until = TimeProvider.System.GetUtcNow() + Patience;
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < until, $"not within {Patience.TotalSeconds} s: {what}");
            await Task.Delay(250);
        }
    }

    private static string Collection(string alias) => DemoData.CollectionId(alias);

    [Fact]
    public async Task Eleven_nodes_exchange_by_TLP_and_community_catch_up_after_a_stop_and_send_sightings_back()
    {
        string dir = PerisaiProcess.TempDir();
        await using var region = await DemoRegion.StartAsync(dir, null, o => o.PeerTick = TimeSpan.FromMilliseconds(300), _ => { }, default);
        var my = region["mycert"];
        var sg = region["singcert"];
        var th = region["thaicert"];
        var nationals = region.Nodes.Skip(1).ToList();
        string asean = Collection("asean");
        string singcert = DemoData.OrganizationId("SingCERT"), mycert = DemoData.OrganizationId("MyCERT"), thaicert = DemoData.OrganizationId("ThaiCERT");
        string forSg = $",\"x_perisai_recipients\":[\"{singcert}\"]";

        const string green = "indicator--a0000000-0000-4000-8000-000000000001";
        const string amber = "indicator--a0000000-0000-4000-8000-000000000002";
        const string strict = "indicator--a0000000-0000-4000-8000-000000000003";
        const string red = "indicator--a0000000-0000-4000-8000-000000000004";
        await PostAsync(my, "mycert-analyst", asean, Indicator(green, TlpMarkings.Green), Indicator(amber, TlpMarkings.Amber, extra: forSg),
            Indicator(strict, TlpMarkings.AmberStrict, extra: forSg), Indicator(red, TlpMarkings.Red, extra: forSg));

        // GREEN reaches the nine other national nodes (through the hub, and directly to SingCERT: once each).
        foreach (var n in nationals.Where(n => n != my))
        {
            await UntilAsync(async () => (await StoredAsync(n, asean, green)).Count == 1, $"GREEN at {n.Name}");
        }
        // AMBER and AMBER+STRICT for SingCERT reach SingCERT's node over the direct link, and no other node, not even
        // the hub (a relay is not a recipient: FIRST TLP 2.0).
        await UntilAsync(async () => (await StoredAsync(sg, asean, amber)).Count == 1 && (await StoredAsync(sg, asean, strict)).Count == 1, "AMBER at singcert");
        // Readable there by SingCERT (and the producer), by no one else.
        var model = await sg.Local!.TrustModelAsync(default);
        foreach (string org in model.Orgs.Keys)
        {
            foreach (string id in new[] { amber, strict })
            {
                var rows = await sg.Local.Reads.RowsAsync(Reader.Within(model, org), new ObjectQuery(asean) { Ids = [id] }, default);
                Assert.Equal(org == singcert || org == mycert, rows.Items.Count == 1);
            }
        }
        // The sightings summary shows a sighting at ThaiCERT's node to MyCERT (GREEN, in the community, via the hub).
        const string sighting = "sighting--a0000000-0000-4000-8000-000000000005";
        await PostAsync(th, "thaicert-analyst", asean, $$"""{"type":"sighting","spec_version":"2.1","id":"{{sighting}}","created":"2026-03-02T00:00:00.000Z","modified":"2026-03-02T00:00:00.000Z","sighting_of_ref":"{{green}}","where_sighted_refs":["{{thaicert}}"],"count":3,"object_marking_refs":["{{TlpMarkings.Green}}"]}""");
        await UntilAsync(async () =>
        {
            var m = await my.Local!.TrustModelAsync(default);
            var tallies = await my.Local.Reads.SightingsAsync(Reader.Within(m, mycert), green, default);
            return tallies.Count == 1 && tallies[0].Count == 3;
        }, "ThaiCERT's sighting in MyCERT's summary");

        // A node stopped during the exchange catches up exactly after it starts again.
        await DemoRegion.StopServerAsync(th);
        const string later = "indicator--a0000000-0000-4000-8000-000000000006";
        await PostAsync(my, "mycert-analyst", asean, Indicator(later, TlpMarkings.Green), Indicator(green, TlpMarkings.Green, modified: "2026-03-05T00:00:00.000Z", extra: ",\"revoked\":true"));
        foreach (var n in nationals.Where(n => n != my && n != th))
        {
            await UntilAsync(async () => (await StoredAsync(n, asean, later)).Count == 1 && (await StoredAsync(n, asean, green)).Count == 2, $"the new version and the revocation at {n.Name}");
        }
        await DemoRegion.StartServerAsync(th, o => o.PeerTick = TimeSpan.FromMilliseconds(300), default);
        await UntilAsync(async () => (await StoredAsync(th, asean, later)).Count == 1 && (await StoredAsync(th, asean, green)).Count == 2, "thaicert caught up");
        // ... and RED never left MyCERT's node; the AMBER ones never reached any node but SingCERT's.
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var n in region.Nodes.Where(n => n != my))
        {
            Assert.Empty(await StoredAsync(n, asean, red));
            if (n != sg)
            {
                Assert.Empty(await StoredAsync(n, asean, amber));
                Assert.Empty(await StoredAsync(n, asean, strict));
            }
            // Each version once, on every node: nothing stored twice through two paths.
            var versions = await StoredAsync(n, asean, green);
            Assert.Equal(versions.Count, versions.Select(v => v.Version).Distinct().Count());
            Assert.True(versions[^1].Json.Contains("\"revoked\":true", StringComparison.Ordinal));
        }
        // MyCERT's push to the hub counted what it did not send, by reason.
        var hubPeer = (await my.Local!.Peers.ListAsync(default)).Single(p => p.Peer.Name == DemoRegion.Hub);
        var reasons = hubPeer.Links.Single(l => l.LocalCollection == asean).Reasons!;
        Assert.Equal(1, reasons[LinkReasons.Red]);
        Assert.Equal(2, reasons[LinkReasons.NotRecipient]);
    }
}
