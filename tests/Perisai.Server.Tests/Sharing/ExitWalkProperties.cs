using System.Net;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Perisai.Server.Application;
using Perisai.Server.Sharing;
using Perisai.Stix;
using Perisai.Stix.Sharing;
using Perisai.Storage;
using Perisai.Tests.Sharing;

namespace Perisai.Server.Tests.Sharing;

/// <summary>
/// Every exit of the node, walked by random readers of random worlds (the sightings summary included): the collections list, objects (paged with a
/// small random limit, following <c>next</c>), the manifest, one object, its versions. Each response must hold
/// exactly what the decision function entitles the reader to: no more (a leak), no less (paging stays exact); a
/// report must list only refs the reader may see; an object the reader may not see answers exactly as one never
/// stored. The export (the bundle <c>perisai export --as</c> writes) is walked too: it leaves the node, so it must also
/// hold no TLP:RED object and no ref to one. 10,000 cases in every run.
/// </summary>
public sealed class ExitWalkProperties : IAsyncLifetime
{
    private const int WorldCount = 4;
    private TestNode _node = null!;
    private readonly List<(SharingWorld World, TrustModel Model, List<HttpClient> Readers)> _worlds = [];

    public async ValueTask InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        for (int w = 0; w < WorldCount; w++)
        {
            var world = await SharingWorld.CreateAsync(_node.Store, 7_000 + w);
            var clients = new List<HttpClient>();
            foreach (var org in world.Orgs)
            {
                clients.Add(_node.Client(await TrustTests.KeyAsync(_node.Store, org.Name, org.Name + "-reader", Role.Reader)));
            }
            _worlds.Add((world, world.Model(), clients));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _worlds.SelectMany(w => w.Readers))
        {
            c.Dispose();
        }
        await _node.DisposeAsync();
    }

    [Fact]
    public void EveryExit_ShowsEachReaderExactlyItsEntitlement()
    {
        var cases = from world in Gen.Choose(0, WorldCount - 1)
                    from reader in Gen.Choose(0, 4)
                    from collection in Gen.Choose(0, 2)
                    from exit in Gen.Choose(0, 6)
                    from limit in Gen.Choose(1, 6)
                    from objectIndex in Gen.Choose(0, 13)
                    select (world, reader, collection, exit, limit, objectIndex);
        Prop.ForAll(cases.ToArbitrary(), c => Walk(c.world, c.reader, c.collection, c.exit, c.limit, c.objectIndex).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(10_000));
    }

    private async Task Walk(int w, int r, int ci, int exit, int limit, int objectIndex)
    {
        var (world, model, readers) = _worlds[w];
        var client = readers[r];
        string reader = world.Orgs[r].Id;
        string collection = world.Collections[ci].Id;
        string where = $"seed {world.Seed}, reader {r}, collection {ci}, exit {exit}";
        bool canSee = model.CanRead(reader, collection) || model.CanWrite(reader, collection);
        switch (exit)
        {
            case 0:
            {
                var listed = JsonDocument.Parse(await client.GetStringAsync("/default/collections/")).RootElement;
                var ids = listed.TryGetProperty("collections", out var cs) ? cs.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToHashSet() : [];
                foreach (var c in world.Collections)
                {
                    Assert.True(ids.Contains(c.Id) == (model.CanRead(reader, c.Id) || model.CanWrite(reader, c.Id)), where);
                }
                return;
            }
            case 1 or 2:
            {
                string resource = exit == 1 ? "objects" : "manifest";
                string url = $"/default/collections/{collection}/{resource}/?limit={limit}&match[version]=all";
                var seen = new List<(string, string)>();
                string? next = null;
                do
                {
                    var response = await client.GetAsync(url + (next is null ? "" : $"&next={next}"));
                    if (!canSee)
                    {
                        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                        return;
                    }
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    var items = body.TryGetProperty("objects", out var o) ? o.EnumerateArray().ToList() : [];
                    Assert.True(items.Count <= limit, where);
                    Assert.Equal(items.Count > 0, response.Headers.Contains("X-TAXII-Date-Added-First"));
                    foreach (var item in items)
                    {
                        string version = exit == 1 ? item.GetProperty("modified").GetString()! : item.GetProperty("version").GetString()!;
                        seen.Add((item.GetProperty("id").GetString()!, StixTimestamp.Parse(version).Key));
                        if (exit == 1 && item.TryGetProperty("object_refs", out var refs) && SharedObject.RuleOf(item.GetProperty("type").GetString()!) == RefRule.Any)
                        {
                            foreach (var x in refs.EnumerateArray())
                            {
                                Assert.True(world.RefVisible(model, reader, x.GetString()!), $"{where}: a report lists {x.GetString()}");
                            }
                        }
                    }
                    next = body.GetProperty("more").GetBoolean() ? body.GetProperty("next").GetString() : null;
                    Assert.True(next is null || items.Count == limit, $"{where}: a short page claimed more");
                }
                while (next is not null);
                var expected = world.Expected(model, reader, collection, VersionFilter.Every).Select(e => (e.Item1, e.Item2)).Order().ToList();
                Assert.True(expected.SequenceEqual(seen.Order()), $"{where}: got [{string.Join(", ", seen.Order())}], entitled to [{string.Join(", ", expected)}]");
                return;
            }
            case 5:
            {
                // The export: the latest versions or every version, as the CLI writes it.
                bool allVersions = limit % 2 == 0;
                var (_, trust) = await _node.Store.LoadTrustAsync();
                using var bundle = new MemoryStream();
                int count = await BundleExport.WriteAsync(new Reads(_node.Store), Reader.Leaving(trust, reader), collection, allVersions, "bundle--6ba7b810-9dad-41d1-80b4-00c04fd430c8", bundle);
                var root = JsonDocument.Parse(bundle.ToArray()).RootElement;
                Assert.Equal("bundle", root.GetProperty("type").GetString());
                var items = root.GetProperty("objects").EnumerateArray().ToList();
                Assert.Equal(count, items.Count);
                foreach (var item in items.Where(i => i.TryGetProperty("object_refs", out _) && SharedObject.RuleOf(i.GetProperty("type").GetString()!) == RefRule.Any))
                {
                    foreach (var x in item.GetProperty("object_refs").EnumerateArray())
                    {
                        Assert.True(world.RefVisible(model, reader, x.GetString()!, leavingNode: true), $"{where}: an exported report lists {x.GetString()}");
                    }
                }
                var seen = items.Select(i => (i.GetProperty("id").GetString()!, StixTimestamp.Parse(i.GetProperty("modified").GetString()!).Key)).Order().ToList();
                var expected = world.Expected(model, reader, collection, allVersions ? VersionFilter.Every : VersionFilter.LastOnly, leavingNode: true)
                    .Select(e => (e.Item1, e.Item2)).Order().ToList();
                Assert.True(expected.SequenceEqual(seen), $"{where}: exported [{string.Join(", ", seen)}], entitled to [{string.Join(", ", expected)}]");
                return;
            }
            case 6:
            {
                // The sightings summary (docs/detection.md): it counts exactly the sightings the reader is entitled to,
                // in every collection it can read on the node (other worlds' public ones included), one per id and
                // version, and names no indicator that none of them refers to.
                var summary = JsonDocument.Parse(await client.GetStringAsync("/api/v1/sightings/summary")).RootElement.GetProperty("indicators");
                var entitled = new HashSet<(string, string)>();
                var referred = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (other, otherModel, _) in _worlds)
                {
                    var stored = other.Stored().ToLookup(x => (x.Shared.Id, x.VersionKey));
                    foreach (var c in other.Collections.Where(c => otherModel.CanRead(reader, c.Id)))
                    {
                        foreach (var (id, key, _) in other.Expected(otherModel, reader, c.Id, VersionFilter.LastOnly).Where(e => e.Item1.StartsWith("sighting--", StringComparison.Ordinal)))
                        {
                            entitled.Add((id, key));
                            foreach (var x in stored[(id, key)])
                            {
                                using var doc = JsonDocument.Parse(x.Object.Json);
                                referred.Add(doc.RootElement.GetProperty("sighting_of_ref").GetString()!);
                            }
                        }
                    }
                }
                long counted = summary.EnumerateArray().Sum(i => i.GetProperty("sightings").GetInt64());
                Assert.True(counted == entitled.Count, $"{where}: the summary counts {counted} sightings, the reader is entitled to {entitled.Count}");
                foreach (var i in summary.EnumerateArray())
                {
                    Assert.True(referred.Contains(i.GetProperty("indicator").GetString()!), $"{where}: the summary names {i.GetProperty("indicator").GetString()}");
                }
                return;
            }
            default:
            {
                string id = world.Objects[objectIndex].Object.Id;
                string url = exit == 3 ? $"/default/collections/{collection}/objects/{id}/" : $"/default/collections/{collection}/objects/{id}/versions/";
                var response = await client.GetAsync(url);
                var expected = world.Expected(model, reader, collection, exit == 3 ? VersionFilter.LastOnly : VersionFilter.Every).Where(e => e.Item1 == id).Select(e => e.Item2).Order().ToList();
                if (!canSee || expected.Count == 0)
                {
                    // Hidden, absent and in a collection the reader cannot see: all the same 404.
                    Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                    return;
                }
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                var got = exit == 3
                    ? body.GetProperty("objects").EnumerateArray().Select(o => StixTimestamp.Parse(o.GetProperty("modified").GetString()!).Key)
                    : body.GetProperty("versions").EnumerateArray().Select(v => StixTimestamp.Parse(v.GetString()!).Key);
                Assert.True(expected.SequenceEqual(got.Order()), $"{where}: object {id}");
                return;
            }
        }
    }
}
