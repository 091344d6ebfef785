using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Perisai.Stix;

namespace Perisai.Storage.Tests;

/// <summary>The storage contract: every store passes the same tests (shared/STYLE.md, Dapper ParameterTests).</summary>
public abstract class StoreContract<TFactory> : IAsyncLifetime where TFactory : IStoreFactory, new()
{
    private readonly TFactory _factory = new();
    private Func<Task>? _cleanup;

    protected FakeTimeProvider Time { get; } = Clock.At("2026-11-29T10:00:00Z");

    protected IStixStore Store { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (_factory.SkipReason is not null)
        {
            return;
        }
        (Store, _cleanup) = await _factory.CreateAsync(Time);
        await Store.UpsertApiRootAsync(new ApiRoot("default", "Default", null));
        await Store.AddCollectionAsync(new TaxiiCollection("c1", "default", "One", null, "one"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_cleanup is not null)
        {
            await _cleanup();
        }
        GC.SuppressFinalize(this);
    }

    private void SkipIfUnavailable() => Assert.SkipWhen(_factory.SkipReason is not null, _factory.SkipReason ?? "");

    internal static StixObject Indicator(string id, string modified, bool revoked = false, string created = "2026-01-01T00:00:00.000Z")
    {
        string json = $$"""{"type":"indicator","spec_version":"2.1","id":"{{id}}","created":"{{created}}","modified":"{{modified}}","pattern":"[ipv4-addr:value = '198.51.100.1']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","revoked":{{(revoked ? "true" : "false")}}}""";
        using var doc = JsonDocument.Parse(json);
        return StixObject.FromJson(doc.RootElement);
    }

    internal static StixObject Sco(string id, string value)
    {
        using var doc = JsonDocument.Parse($$"""{"type":"ipv4-addr","spec_version":"2.1","id":"{{id}}","value":"{{value}}"}""");
        return StixObject.FromJson(doc.RootElement);
    }

    private const string A = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    private const string B = "indicator--1a3f1b7d-6f0e-4e4c-9d1b-5e7c0c1a2b3c";
    private const string Producer = "identity--0b5d1e8a-3f5c-4b1e-9c2d-7a6f8e9d0c1b";

    [Fact]
    public async Task Migrate_Twice_IsHarmless()
    {
        SkipIfUnavailable();
        await Store.MigrateAsync();
        Assert.Single(await Store.ListCollectionsAsync(null));
    }

    [Fact]
    public async Task AddObjects_StampsStrictlyIncreasingDateAdded_EvenWhenTheClockStandsStill()
    {
        SkipIfUnavailable();
        await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z"), Indicator(B, "2026-01-01T00:00:00.000Z")]);
        await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-02T00:00:00.000Z")]);
        var page = await Store.QueryObjectsAsync(new ObjectQuery("c1") { Versions = VersionFilter.Every });
        Assert.Equal(3, page.Items.Count);
        Assert.True(page.Items[0].DateAdded < page.Items[1].DateAdded && page.Items[1].DateAdded < page.Items[2].DateAdded);
    }

    [Fact]
    public async Task AddObjects_SameVersionAgain_IsDuplicateAndChangesNothing()
    {
        SkipIfUnavailable();
        var first = await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z")]);
        var again = await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z")]);
        Assert.Equal(AddOutcome.Added, first[0].Outcome);
        Assert.Equal(AddOutcome.Duplicate, again[0].Outcome);
        Assert.Single((await Store.QueryObjectsAsync(new ObjectQuery("c1") { Versions = VersionFilter.Every })).Items);
    }

    [Fact]
    public async Task AddObjects_SameVersionTwiceInOneBatch_SecondIsDuplicate()
    {
        SkipIfUnavailable();
        var r = await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z"), Indicator(A, "2026-01-01T00:00:00.000Z"), Indicator(A, "2026-02-01T00:00:00.000Z")]);
        Assert.Equal([AddOutcome.Added, AddOutcome.Duplicate, AddOutcome.Added], r.Select(x => x.Outcome));
        Assert.Equal("2026-02-01T00:00:00.000Z", Assert.Single((await Store.QueryObjectsAsync(new ObjectQuery("c1"))).Items).Version);
    }

    [Fact]
    public async Task QueryObjects_VersionFilters_SelectFirstLastAllAndExact()
    {
        SkipIfUnavailable();
        // Added out of order: the middle version last.
        await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z"), Indicator(A, "2026-03-01T00:00:00.000Z")]);
        await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-02-01T00:00:00.000Z")]);

        async Task<string[]> Versions(VersionFilter f) =>
            [.. (await Store.QueryObjectsAsync(new ObjectQuery("c1") { Versions = f })).Items.Select(i => i.Version)];

        Assert.Equal(["2026-03-01T00:00:00.000Z"], await Versions(VersionFilter.LastOnly));
        Assert.Equal(["2026-01-01T00:00:00.000Z"], await Versions(new VersionFilter(false, true, false, [])));
        Assert.Equal(3, (await Versions(VersionFilter.Every)).Length);
        // An exact version, written with another precision, is the same instant.
        Assert.Equal(["2026-02-01T00:00:00.000Z"], await Versions(new VersionFilter(false, false, false, [StixTimestamp.Parse("2026-02-01T00:00:00Z").Key])));
    }

    [Fact]
    public async Task QueryObjects_IdTypeAndAddedAfter_Filter()
    {
        SkipIfUnavailable();
        await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z")]);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.AddObjectsAsync("c1", Producer, [Indicator(B, "2026-01-01T00:00:00.000Z"), Sco("ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "198.51.100.3")]);
        var all = (await Store.QueryObjectsAsync(new ObjectQuery("c1"))).Items;
        Assert.Equal(3, all.Count);
        Assert.Equal([B], (await Store.QueryObjectsAsync(new ObjectQuery("c1") { Ids = [B] })).Items.Select(i => i.Id));
        Assert.Single((await Store.QueryObjectsAsync(new ObjectQuery("c1") { Types = ["ipv4-addr"] })).Items);
        var after = (await Store.QueryObjectsAsync(new ObjectQuery("c1") { AddedAfter = all[0].DateAdded })).Items;
        Assert.Equal(2, after.Count);
        Assert.DoesNotContain(after, i => i.Id == A);
    }

    [Fact]
    public async Task QueryObjects_Limit_PagesExactlyWithMore()
    {
        SkipIfUnavailable();
        var objs = Enumerable.Range(0, 25).Select(i => Indicator($"indicator--{Guid.NewGuid()}", "2026-01-01T00:00:00.000Z")).ToList();
        await Store.AddObjectsAsync("c1", Producer, objs);
        var seen = new List<string>();
        long? after = null;
        bool more = true;
        int pages = 0;
        while (more)
        {
            var page = await Store.QueryObjectsAsync(new ObjectQuery("c1") { AddedAfter = after, Limit = 10 });
            seen.AddRange(page.Items.Select(i => i.Id));
            after = page.Items[^1].DateAdded;
            more = page.More;
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(objs.Select(o => o.Id), seen);
    }

    [Fact]
    public async Task AddObjects_NewVersionOfRevokedObject_IsRejected()
    {
        SkipIfUnavailable();
        await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z", revoked: true)]);
        var r = await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-02-01T00:00:00.000Z")]);
        Assert.Equal(AddOutcome.Rejected, r[0].Outcome);
        Assert.Contains("revoked", r[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddObjects_ScoWithoutVersion_IdenticalIsDuplicateChangedIsNewVersion()
    {
        SkipIfUnavailable();
        const string id = "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd";
        var first = await Store.AddObjectsAsync("c1", Producer, [Sco(id, "198.51.100.3")]);
        var same = await Store.AddObjectsAsync("c1", Producer, [Sco(id, "198.51.100.3")]);
        Time.Advance(TimeSpan.FromSeconds(1));
        var changed = await Store.AddObjectsAsync("c1", Producer, [Sco(id, "198.51.100.4")]);
        Assert.Equal(AddOutcome.Added, first[0].Outcome);
        Assert.Equal(AddOutcome.Duplicate, same[0].Outcome);
        Assert.Equal(first[0].Version, same[0].Version);
        Assert.Equal(AddOutcome.Added, changed[0].Outcome);
        Assert.Equal(2, (await Store.QueryObjectsAsync(new ObjectQuery("c1") { Versions = VersionFilter.Every })).Items.Count);
    }

    [Fact]
    public async Task DeleteObject_LastVersion_PromotesThePreviousToLast()
    {
        SkipIfUnavailable();
        await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z"), Indicator(A, "2026-02-01T00:00:00.000Z")]);
        int removed = await Store.DeleteObjectAsync("c1", A, VersionFilter.LastOnly, null);
        Assert.Equal(1, removed);
        var page = await Store.QueryObjectsAsync(new ObjectQuery("c1"));
        Assert.Equal("2026-01-01T00:00:00.000Z", Assert.Single(page.Items).Version);
        Assert.Equal(1, await Store.DeleteObjectAsync("c1", A, VersionFilter.Every, null));
        Assert.Empty((await Store.QueryObjectsAsync(new ObjectQuery("c1") { Versions = VersionFilter.Every })).Items);
    }

    [Fact]
    public async Task QueryObjects_SharingFilter_IsAppliedBeforePaging()
    {
        SkipIfUnavailable();
        string Marked(string id, string marking) => Indicator(id, "2026-01-01T00:00:00.000Z").Json.Replace("\"revoked\":false", $"\"object_marking_refs\":[\"{marking}\"]", StringComparison.Ordinal);
        var objs = new List<StixObject>();
        for (int i = 0; i < 10; i++)
        {
            // Alternate RED and CLEAR: a filter applied after paging would return short pages.
            string json = Marked($"indicator--{Guid.NewGuid()}", i % 2 == 0 ? Perisai.Stix.Markings.TlpMarkings.Red : Perisai.Stix.Markings.TlpMarkings.Clear);
            using var doc = JsonDocument.Parse(json);
            objs.Add(StixObject.FromJson(doc.RootElement));
        }
        await Store.AddObjectsAsync("c1", Producer, objs);
        // A reader of c1 outside its community, who is not the producer: it sees the CLEAR half only.
        var reader = new SharingFilter("identity--reader", ["identity--reader"], ["c1"], []);
        var page = await Store.QueryObjectsAsync(new ObjectQuery("c1") { Limit = 3, Reader = reader });
        Assert.Equal(3, page.Items.Count);
        Assert.True(page.More);
        Assert.All(page.Items, i => Assert.Contains(Perisai.Stix.Markings.TlpMarkings.Clear, i.Json, StringComparison.Ordinal));
        var all = await Store.QueryObjectsAsync(new ObjectQuery("c1") { Limit = 100, Reader = reader });
        Assert.Equal(5, all.Items.Count);
        Assert.False(all.More);
    }

    [Fact]
    public async Task AddObjects_UnknownCollection_Throws()
    {
        SkipIfUnavailable();
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.AddObjectsAsync("nope", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z")]));
    }

    [Fact]
    public async Task Collections_AreIsolated()
    {
        SkipIfUnavailable();
        await Store.AddCollectionAsync(new TaxiiCollection("c2", "default", "Two", null, null));
        await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z")]);
        Assert.Empty((await Store.QueryObjectsAsync(new ObjectQuery("c2"))).Items);
        Assert.Equal("c1", (await Store.GetCollectionAsync("one"))!.Id);
    }

    [Fact]
    public async Task Accounts_KeysAndGrants_RoundTrip()
    {
        SkipIfUnavailable();
        var org = await Store.AddOrganizationAsync("MyCERT");
        var acct = await Store.AddAccountAsync(org.Id, "analyst", Role.Analyst);
        await Store.AddApiKeyAsync(new ApiKeyRecord("k1", acct.Id, "laptop", "salt", "hash", 1, false));
        Assert.Equal(org, await Store.FindOrganizationAsync("MyCERT"));
        Assert.Equal(acct, await Store.FindAccountAsync("analyst"));
        Assert.False((await Store.FindApiKeyAsync("k1"))!.Revoked);
        Assert.True(await Store.RevokeApiKeyAsync("k1"));
        Assert.True((await Store.FindApiKeyAsync("k1"))!.Revoked);
        Assert.False(await Store.RevokeApiKeyAsync("missing"));
        await Store.GrantAsync(new Grant("c1", org.Id, CanRead: true, CanWrite: false));
        await Store.GrantAsync(new Grant("c1", org.Id, CanRead: true, CanWrite: true));
        Assert.Equal([new Grant("c1", org.Id, true, true)], await Store.ListGrantsAsync(org.Id));
        Assert.Equal(0, await Store.CountAdminsAsync());
    }

    [Fact]
    public async Task QueryObjects_Contains_FindsTextInAnyCaseAndCombinesWithTypes()
    {
        SkipIfUnavailable();
        await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z"), Sco("ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "198.51.100.3")]);
        Assert.Equal([A], (await Store.QueryObjectsAsync(new ObjectQuery("c1") { Contains = "198.51.100.1" })).Items.Select(i => i.Id));
        Assert.Equal(2, (await Store.QueryObjectsAsync(new ObjectQuery("c1") { Contains = "198.51.100." })).Items.Count);
        // Letters match in any case; the pattern is written in lower case.
        Assert.Equal([A], (await Store.QueryObjectsAsync(new ObjectQuery("c1") { Contains = "IPV4-ADDR:VALUE" })).Items.Select(i => i.Id));
        Assert.Empty((await Store.QueryObjectsAsync(new ObjectQuery("c1") { Contains = "198.51.100.3", Types = ["indicator"] })).Items);
        Assert.Empty((await Store.QueryObjectsAsync(new ObjectQuery("c1") { Contains = "not there" })).Items);
    }

    [Fact]
    public async Task QueryObjects_Value_FindsPatternLiteralsAndObservableValuesExactly_AndForgetsDeletedObjects()
    {
        SkipIfUnavailable();
        await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z"), Sco("ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "198.51.100.3")]);
        Assert.Equal([A], (await Store.QueryObjectsAsync(new ObjectQuery("c1") { Value = "198.51.100.1" })).Items.Select(i => i.Id));
        Assert.Equal(["ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"], (await Store.QueryObjectsAsync(new ObjectQuery("c1") { Value = "198.51.100.3" })).Items.Select(i => i.Id));
        // Exact, not a substring.
        Assert.Empty((await Store.QueryObjectsAsync(new ObjectQuery("c1") { Value = "198.51.100." })).Items);
        Assert.Equal(1, await Store.DeleteObjectAsync("c1", A, VersionFilter.Every, null));
        Assert.Empty((await Store.QueryObjectsAsync(new ObjectQuery("c1") { Value = "198.51.100.1" })).Items);
    }

    [Fact]
    public async Task QueryObjects_Descending_GivesTheNewestFirst()
    {
        SkipIfUnavailable();
        await Store.AddObjectsAsync("c1", Producer, [Indicator(A, "2026-01-01T00:00:00.000Z")]);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.AddObjectsAsync("c1", Producer, [Indicator(B, "2026-01-01T00:00:00.000Z")]);
        var newest = await Store.QueryObjectsAsync(new ObjectQuery("c1") { Descending = true, Limit = 1 });
        Assert.Equal([B], newest.Items.Select(i => i.Id));
        Assert.True(newest.More);
        Assert.Equal([A, B], (await Store.QueryObjectsAsync(new ObjectQuery("c1"))).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Feeds_AddListRecordRemove()
    {
        SkipIfUnavailable();
        var org = await Store.AddOrganizationAsync("MyCERT");
        await Store.AddFeedAsync(new FeedRecord("f1", "feodo", "https://feodotracker.example/ipblocklist.csv", "csv", "feodo", "c1", org.Id, 3600, "{}"));
        var feed = Assert.Single(await Store.ListFeedsAsync());
        Assert.Null(feed.LastRun);
        await Store.RecordFeedRunAsync(new FeedRun("f1", 1_000, 250, 10, 2, 1, null, "{\"a\":1}"));
        await Store.RecordFeedRunAsync(new FeedRun("f1", 2_000, 300, 0, 12, 0, "unreachable", "{\"a\":2}"));
        feed = Assert.Single(await Store.ListFeedsAsync());
        Assert.Equal((2_000L, 300L, 0L, 12L, "unreachable", 2L, 1L, "{\"a\":2}"), (feed.LastRun!.Value, feed.LastDurationMs!.Value, feed.LastAdded, feed.LastUnchanged, feed.LastError, feed.Runs, feed.Failures, feed.State));
        Assert.True(await Store.RemoveFeedAsync("feodo"));
        Assert.Empty(await Store.ListFeedsAsync());
        Assert.False(await Store.RemoveFeedAsync("feodo"));
    }

    [Fact]
    public async Task Logins_PasswordAndLockoutCounters()
    {
        SkipIfUnavailable();
        var org = await Store.AddOrganizationAsync("MyCERT");
        var acct = await Store.AddAccountAsync(org.Id, "analyst", Role.Analyst);
        Assert.Null((await Store.FindLoginAsync("analyst"))!.PasswordHash);
        Assert.Null(await Store.FindLoginAsync("nobody"));
        await Store.SetPasswordAsync(acct.Id, "pbkdf2-sha256$1$AAAA$BBBB");
        await Store.RecordLoginAsync(acct.Id, success: false, lockUntil: 0);
        await Store.RecordLoginAsync(acct.Id, success: false, lockUntil: 99);
        Assert.Equal(new LoginRecord(acct.Id, "pbkdf2-sha256$1$AAAA$BBBB", 2, 99), await Store.FindLoginAsync("analyst"));
        await Store.RecordLoginAsync(acct.Id, success: true, lockUntil: 0);
        Assert.Equal(new LoginRecord(acct.Id, "pbkdf2-sha256$1$AAAA$BBBB", 0, 0), await Store.FindLoginAsync("analyst"));
        await Store.SetPasswordAsync(acct.Id, null);
        Assert.Null((await Store.FindLoginAsync("analyst"))!.PasswordHash);
    }

    [Fact]
    public async Task PendingEnvelope_CompletesAtomically()
    {
        SkipIfUnavailable();
        var org = await Store.AddOrganizationAsync("Org");
        var acct = await Store.AddAccountAsync(org.Id, "a", Role.Admin);
        var status = new StatusRecord("s1", "default", "c1", acct.Id, "pending", 1, 1, 0, 0, 1, "{}");
        await Store.AcceptEnvelopeAsync(status, new PendingEnvelope("s1", "c1", "{\"objects\":[]}", Producer));
        var pending = Assert.Single(await Store.ListPendingEnvelopesAsync());
        await Store.CompleteEnvelopeAsync(pending, [Indicator(A, "2026-01-01T00:00:00.000Z")],
            results => status with { Status = "complete", SuccessCount = results.Count, PendingCount = 0 });
        Assert.Empty(await Store.ListPendingEnvelopesAsync());
        Assert.Equal("complete", (await Store.GetStatusAsync("s1"))!.Status);
        Assert.Single((await Store.QueryObjectsAsync(new ObjectQuery("c1"))).Items);
    }
}

public sealed class SqliteStoreTests : StoreContract<SqliteFactory>;

public sealed class PostgresStoreTests : StoreContract<PostgresFactory>;
