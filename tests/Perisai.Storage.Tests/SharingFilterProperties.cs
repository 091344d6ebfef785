using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using Perisai.Stix.Sharing;
using Perisai.Tests.Sharing;

namespace Perisai.Storage.Tests;

/// <summary>
/// The store's sharing filter (SQL) and the pure decision function (SharingPolicy) agree: for random worlds of
/// organizations, communities, collections and marked objects, every reader gets from a query exactly the versions
/// the function says it may see, under every version filter, inside and leaving the node; and the ref check used to
/// trim reports agrees too. Cases are (world, reader, collection, version filter, exit) tuples over a pool of worlds.
/// </summary>
public abstract class SharingFilterProperties<TFactory> : IAsyncLifetime where TFactory : IStoreFactory, new()
{
    private readonly TFactory _factory = new();
    private readonly ConcurrentDictionary<int, SharingWorld> _worlds = new();
    private IStixStore _store = null!;
    private Func<Task>? _cleanup;

    /// <summary>How many cases to run; at least 10,000 where the store is fast enough to afford it in every CI run.</summary>
    protected abstract int Cases { get; }

    /// <summary>How many distinct worlds the cases draw from.</summary>
    protected abstract int Worlds { get; }

    public async ValueTask InitializeAsync()
    {
        if (_factory.SkipReason is null)
        {
            (_store, _cleanup) = await _factory.CreateAsync(TimeProvider.System);
            await _store.UpsertApiRootAsync(new ApiRoot("default", "Default", null));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cleanup is not null)
        {
            await _cleanup();
        }
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void QueryResults_EqualTheDecisionFunction_ForRandomWorldsAndReaders()
    {
        Assert.SkipWhen(_factory.SkipReason is not null, _factory.SkipReason ?? "");
        var cases = from world in Gen.Choose(0, Worlds - 1)
                    from reader in Gen.Choose(0, 4)
                    from collection in Gen.Choose(0, 2)
                    from versions in Gen.Choose(0, 2)
                    from leaving in Gen.Elements(false, false, true)
                    from refProbe in Gen.Choose(0, 13)
                    select (world, reader, collection, versions, leaving, refProbe);
        Prop.ForAll(cases.ToArbitrary(), c => Check(c.world, c.reader, c.collection, c.versions, c.leaving, c.refProbe))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
    }

    /// <summary>
    /// Federation's exit (issue 17): what a peer node receives, read by the store as the union of each organization it
    /// speaks for (its own as readers leaving the node, the ones it relays for as a relay), equals the decision
    /// function's <see cref="SharingPolicy.ReachesPeer"/> for random worlds and random peers: nothing it is not
    /// entitled to (no leak), everything it is (no over-blocking).
    /// </summary>
    [Fact]
    public void PeerQueries_EqualTheDecisionFunction_ForRandomWorldsAndPeers()
    {
        Assert.SkipWhen(_factory.SkipReason is not null, _factory.SkipReason ?? "");
        var cases = from world in Gen.Choose(0, Worlds - 1)
                    from home in Gen.Choose(0, 4)
                    from relayMask in Gen.Choose(0, 31)
                    from linkedMask in Gen.Choose(1, 7)
                    from collection in Gen.Choose(0, 2)
                    select (world, home, relayMask, linkedMask, collection);
        Prop.ForAll(cases.ToArbitrary(), c => CheckPeer(c.world, c.home, c.relayMask, c.linkedMask, c.collection))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Cases / 4));
    }

    private void CheckPeer(int worldIndex, int homeIndex, int relayMask, int linkedMask, int collectionIndex)
    {
        var world = _worlds.GetOrAdd(worldIndex, i => SharingWorld.CreateAsync(_store, 1_000 + i).GetAwaiter().GetResult());
        var model = world.Model();
        string home = world.Orgs[homeIndex].Id;
        var own = world.Orgs.Where(o => o.Id == home || o.ParentId == home).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var serves = own.Order(StringComparer.Ordinal).Prepend(home).Distinct()
            .Concat(world.Orgs.Where((o, i) => (relayMask & (1 << i)) != 0 && !own.Contains(o.Id)).Select(o => o.Id)).ToList();
        var linked = world.Collections.Where((c, i) => (linkedMask & (1 << i)) != 0).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var peer = new TrustedPeer("peer-under-test", "account", home, serves, linked, own);
        string collection = world.Collections[collectionIndex].Id;
        var page = _store.QueryObjectsAsync(new ObjectQuery(collection) { Reader = SharingFilter.ForPeer(model, peer), Versions = VersionFilter.Every, Limit = 1000 }).GetAwaiter().GetResult();
        var actual = page.Items.Select(o => (o.Id, Perisai.Stix.StixTimestamp.Parse(o.Version).Key, o.Producer)).ToHashSet();
        var stored = world.Stored();
        var lookup = stored.Select(x => x.Shared).ToLookup(x => x.Id, StringComparer.Ordinal);
        var expected = stored.Where(x => x.Shared.CollectionId == collection && SharingPolicy.ReachesPeer(model, peer, x.Shared, "", id => lookup[id]))
            .Select(x => (x.Shared.Id, x.VersionKey, x.Shared.Producer)).ToHashSet();
        Assert.True(expected.SetEquals(actual),
            $"seed {world.Seed}, home {homeIndex}, relay {relayMask}, linked {linkedMask}, collection {collectionIndex}: " +
            $"store sends [{string.Join(", ", actual.Order())}], policy says [{string.Join(", ", expected.Order())}]");
    }

    private void Check(int worldIndex, int readerIndex, int collectionIndex, int versionMode, bool leaving, int refProbe)
    {
        var world = _worlds.GetOrAdd(worldIndex, i => SharingWorld.CreateAsync(_store, 1_000 + i).GetAwaiter().GetResult());
        var model = world.Model();
        string reader = world.Orgs[readerIndex].Id;
        string collection = world.Collections[collectionIndex].Id;
        var versions = versionMode switch { 0 => VersionFilter.Every, 1 => VersionFilter.LastOnly, _ => new VersionFilter(false, true, false, []) };
        var filter = SharingFilter.For(model, reader, leaving);
        var page = _store.QueryObjectsAsync(new ObjectQuery(collection) { Reader = filter, Versions = versions, Limit = 1000 }).GetAwaiter().GetResult();
        var actual = page.Items.Select(o => (o.Id, Perisai.Stix.StixTimestamp.Parse(o.Version).Key, o.Producer)).ToHashSet();
        var expected = world.Expected(model, reader, collection, versions, leaving);
        Assert.True(expected.SetEquals(actual),
            $"seed {world.Seed}, reader {readerIndex}, collection {collectionIndex}, versions {versionMode}, leaving {leaving}: " +
            $"store returned [{string.Join(", ", actual.Order())}], policy says [{string.Join(", ", expected.Order())}]");

        // The ref check that trims reports and groupings.
        var (_, _, probe) = world.Objects[refProbe];
        var refs = SharedObject.RefProperties(probe.Type).Count > 0 ? SharedObject.Of(probe, "", "").Refs : [probe.Id];
        var visible = _store.VisibleRefsAsync(SharingFilter.For(model, reader), refs).GetAwaiter().GetResult();
        foreach (string r in refs)
        {
            Assert.True(visible.Contains(r) == world.RefVisible(model, reader, r), $"seed {world.Seed}, reader {readerIndex}: ref {r}");
        }
    }
}

public sealed class SqliteSharingFilterProperties : SharingFilterProperties<SqliteFactory>
{
    protected override int Cases => 10_000;

    protected override int Worlds => 200;
}

public sealed class PostgresSharingFilterProperties : SharingFilterProperties<PostgresFactory>
{
    protected override int Cases => 2_000;

    protected override int Worlds => 60;
}
