using Perisai.Server.Feeds;
using Perisai.Storage;

namespace Perisai.Server.Application;

/// <summary>
/// The node's scheduled feeds, administered in one place: the command line (<c>perisai feed</c>), the feeds API and the
/// administration page read and change them here; each change has its audit entry, written before it is reported.
/// </summary>
public sealed class Feeds(IStixStore store, TimeProvider time, TrustAdministration trust)
{
    /// <summary>Every feed, by name.</summary>
    public Task<IReadOnlyList<FeedRecord>> ListAsync(CancellationToken ct) => store.ListFeedsAsync(ct);

    /// <summary>Adds a feed (administrators and the operator); the server runs it at once, then every <paramref name="everySeconds"/>.</summary>
    public async Task<(FeedRecord Feed, TaxiiCollection Collection)> AddAsync(Actor actor, string source, string name, string format, string? preset, string collection,
        string producer, long everySeconds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            throw new TrustAdministrationException(TrustRefusal.Forbidden, TrustMessages.AdminOnly);
        }
        if (FeedScheduler.Check(format, preset) is { } problem)
        {
            throw new TrustAdministrationException(TrustRefusal.Invalid, problem);
        }
        var c = await store.GetCollectionAsync(collection, ct).ConfigureAwait(false)
            ?? throw new TrustAdministrationException(TrustRefusal.NotFound, TrustMessages.NoCollection(collection));
        var org = await trust.OperatorOrgOrFindAsync(producer, ct).ConfigureAwait(false)
            ?? throw new TrustAdministrationException(TrustRefusal.NotFound, TrustMessages.NoOrganization(producer));
        if ((await store.ListFeedsAsync(ct).ConfigureAwait(false)).Any(f => f.Name == name))
        {
            throw new TrustAdministrationException(TrustRefusal.Conflict, FeedMessages.Exists(name));
        }
        var feed = new FeedRecord(Guid.NewGuid().ToString(), name, source, format, preset, c.Id, org.Id, everySeconds, "{}");
        await store.AddFeedAsync(feed, ct).ConfigureAwait(false);
        await trust.RecordAsync(actor, "feed.add", c.Id, $"name={feed.Name} format={feed.Format}", ct).ConfigureAwait(false);
        return (feed, c);
    }

    /// <summary>Runs a feed now and records the run, as the server's schedule would.</summary>
    public async Task<(FeedRecord Feed, FeedRun Run)> RunAsync(string idOrName, HttpClient http, CancellationToken ct)
    {
        var feed = (await store.ListFeedsAsync(ct).ConfigureAwait(false)).FirstOrDefault(f => f.Name == idOrName || f.Id == idOrName)
            ?? throw new TrustAdministrationException(TrustRefusal.NotFound, FeedMessages.NoFeed(idOrName));
        return (feed, await FeedScheduler.RunAsync(store, feed, http, time, null, ct).ConfigureAwait(false));
    }

    /// <summary>Removes a feed (administrators and the operator). What it imported stays.</summary>
    public async Task RemoveAsync(Actor actor, string idOrName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            throw new TrustAdministrationException(TrustRefusal.Forbidden, TrustMessages.AdminOnly);
        }
        if (!await store.RemoveFeedAsync(idOrName, ct).ConfigureAwait(false))
        {
            throw new TrustAdministrationException(TrustRefusal.NotFound, FeedMessages.NoFeedToRemove(idOrName));
        }
        await trust.RecordAsync(actor, "feed.remove", null, $"name={idOrName}", ct).ConfigureAwait(false);
    }
}
