using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Perisai.Server.Application;
using Perisai.Stix.Markings;
using Perisai.Storage;

namespace Perisai.Server.Tests.Federation;

/// <summary>
/// A peer that is a plain TAXII 2.1 server: the node's own TAXII surface called with an ordinary analyst key (no sync
/// account, so no producers in its envelopes), pulled from and pushed to through the same client and links.
/// </summary>
public sealed class PlainServerPeerTests
{
    private static string Indicator(int i) =>
        TestNode.Indicator($"indicator--{i:D8}-2222-4222-8222-222222222222", extra: $",\"object_marking_refs\":[\"{TlpMarkings.Green}\"]");

    [Fact]
    public async Task Pull_and_push_with_a_plain_server_store_each_version_once_and_never_send_back_what_came_from_it()
    {
        await using var remote = await TestNode.StartAsync(o => o.MaxPageSize = 2);
        await using var local = await TestNode.StartAsync(o => { o.PeerHandler = () => remote.App.GetTestServer().CreateHandler(); o.PeerTick = TimeSpan.FromHours(1); });
        using (var alpha = remote.Client(remote.AlphaKey))
        {
            var posted = await alpha.PostAsync("/default/collections/c1/objects/", TestNode.Envelope([.. Enumerable.Range(0, 5).Select(Indicator)]));
            Assert.Equal(System.Net.HttpStatusCode.Accepted, posted.StatusCode);
        }
        var alphaHere = (await local.Store.FindOrganizationAsync("alpha"))!;
        // Something of the local node's own to push: written by its alpha, read by beta (the peer's home here).
        await local.Store.AddObjectsAsync("c1", alphaHere.Id, [Perisai.Stix.StixObject.FromJson(System.Text.Json.JsonDocument.Parse(Indicator(9)).RootElement)]);

        var peers = local.App.Services.GetRequiredService<PeerAdministration>();
        var view = await peers.AddAsync(Actor.Operator, "remote", "http://localhost", remote.AlphaKey, null, "beta", [], [("c1", "c1")], [("c1", "c1")], 0, default);
        Assert.Equal(2, view.Links.Count);
        var runs = await peers.RunAsync(Actor.Operator, "remote", default);
        Assert.All(runs, r => Assert.Null(r.Run.Error));

        // Pulled in pages of two, following next; recorded as produced by the peer's home (a plain server says nothing).
        var pulled = (await local.Store.QueryObjectsAsync(new ObjectQuery("c1") { Versions = VersionFilter.Every })).Items;
        Assert.Equal(6, pulled.Count);
        var beta = (await local.Store.FindOrganizationAsync("beta"))!;
        Assert.Equal(5, pulled.Count(o => o.Producer == beta.Id && o.Via.Length > 0));
        // Pushed: the local object only; the five that came from the peer are not sent back.
        var pushRun = runs.Single(r => r.Link.Direction == LinkDirection.Push).Run;
        Assert.Equal(1, pushRun.Out);
        Assert.Equal(5, pushRun.NotSent[LinkReasons.FromPeer]);
        var there = (await remote.Store.QueryObjectsAsync(new ObjectQuery("c1") { Versions = VersionFilter.Every })).Items;
        Assert.Equal(6, there.Count);

        // Running again moves nothing: both cursors are stored.
        var again = await peers.RunAsync(Actor.Operator, "remote", default);
        Assert.All(again, r => Assert.Equal((0, 0), (r.Run.In, r.Run.Out)));
        Assert.Equal(6, (await local.Store.QueryObjectsAsync(new ObjectQuery("c1") { Versions = VersionFilter.Every })).Items.Count);
        var link = (await peers.ListAsync(default)).Single().Links.Single(l => l.Direction == LinkDirection.Pull);
        Assert.Equal(5, link.ObjectsIn);
        Assert.NotEqual("", link.Cursor);
    }

    [Fact]
    public async Task A_conflicting_version_from_a_peer_is_refused_recorded_and_the_first_kept()
    {
        await using var remote = await TestNode.StartAsync();
        await using var local = await TestNode.StartAsync(o => { o.PeerHandler = () => remote.App.GetTestServer().CreateHandler(); o.PeerTick = TimeSpan.FromHours(1); });
        using (var alpha = remote.Client(remote.AlphaKey))
        {
            await alpha.PostAsync("/default/collections/c1/objects/", TestNode.Envelope(Indicator(1)));
        }
        var alphaHere = (await local.Store.FindOrganizationAsync("alpha"))!;
        // The same id and modified, other content, already here.
        string other = Indicator(1).Replace("198.51.100.1", "198.51.100.99", StringComparison.Ordinal);
        await local.Store.AddObjectsAsync("c1", alphaHere.Id, [Perisai.Stix.StixObject.FromJson(System.Text.Json.JsonDocument.Parse(other).RootElement)]);
        var peers = local.App.Services.GetRequiredService<PeerAdministration>();
        await peers.AddAsync(Actor.Operator, "remote", "http://localhost", remote.AlphaKey, null, "beta", [], [("c1", "c1")], [], 0, default);
        var run = Assert.Single(await peers.RunAsync(Actor.Operator, "remote", default)).Run;
        Assert.Equal(1, run.NotSent[LinkReasons.Conflict]);
        var kept = Assert.Single((await local.Store.QueryObjectsAsync(new ObjectQuery("c1") { Versions = VersionFilter.Every })).Items);
        Assert.Contains("198.51.100.99", kept.Json, StringComparison.Ordinal);
        var conflict = Assert.Single(Assert.Single(await peers.ListAsync(default)).Conflicts);
        Assert.Equal("indicator--00000001-2222-4222-8222-222222222222", conflict.ObjectId);
    }
}
