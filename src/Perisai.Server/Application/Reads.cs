using System.Text.Json;
using Perisai.Server.Auth;
using Perisai.Server.Detection;
using Perisai.Server.Sharing;
using Perisai.Stix;
using Perisai.Stix.Markings;
using Perisai.Stix.Sharing;
using Perisai.Storage;

namespace Perisai.Server.Application;

/// <summary>
/// Who is reading, as the one read path needs it: the trust model the read is judged by and the reader's sharing
/// filter (which says, among other things, whether what is read leaves the node).
/// </summary>
/// <param name="Trust">The trust model in force.</param>
/// <param name="Filter">The reader's side of the sharing policy.</param>
public sealed record Reader(TrustModel Trust, SharingFilter Filter)
{
    /// <summary>An authenticated caller of the node (a person on the web, a TAXII client, a peer's sync key).</summary>
    public static Reader Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new Reader(caller.Trust, caller.Filter);
    }

    /// <summary>An organization whose view leaves the node (an export, a feed, a sensor list): TLP:RED is withheld from it.</summary>
    public static Reader Leaving(TrustModel trust, string orgId)
    {
        ArgumentNullException.ThrowIfNull(trust);
        return new Reader(trust, SharingFilter.For(trust, orgId, leavingNode: true));
    }

    /// <summary>An organization reading on the node (the command line's <c>--as</c> for what stays on the machine).</summary>
    public static Reader Within(TrustModel trust, string orgId)
    {
        ArgumentNullException.ThrowIfNull(trust);
        return new Reader(trust, SharingFilter.For(trust, orgId));
    }
}

/// <summary>One object as its reader receives it, with what a page needs to say about it.</summary>
/// <param name="Stored">The stored row (id, type, version, date_added, producer); its JSON is not what the reader receives.</param>
/// <param name="CollectionId">The collection it was read from.</param>
/// <param name="Json">The object as the reader receives it: shaped (refs it may not see removed, properties under granular markings it is not entitled to withheld).</param>
/// <param name="Tlp">Its effective TLP in the collection (object markings or the collection's default, raised by markings on required properties).</param>
/// <param name="Withheld">The TLP of each property withheld from the reader.</param>
public sealed record ReadObject(StoredObject Stored, string CollectionId, string Json, TlpLevel Tlp, IReadOnlyList<TlpLevel> Withheld);

/// <summary>A page of objects as the reader receives them.</summary>
/// <param name="Items">The objects, in date_added order (or reversed when asked).</param>
/// <param name="More">Whether the store has more rows after <see cref="Last"/>.</param>
/// <param name="Last">The date_added of the last row the store returned (the cursor of the next page), whether or not it was kept.</param>
public sealed record ReadPage(IReadOnlyList<ReadObject> Items, bool More, long? Last);

/// <summary>
/// The one read path of the node. Every exit (TAXII, the web pages, search, the dashboard, exports, sightings
/// summaries, policy preview, the command line) reads objects here: the store's sharing filter inside the query, then
/// shaping (<see cref="ObjectShaper"/>, STIX 2.1 §7.2.3). Nothing a reader may not receive is returned, counted or
/// searched: a search for text re-checks each candidate against the object as shaped for the reader, so a word that
/// occurs only in a withheld property finds nothing (docs/trust.md).
/// </summary>
public sealed class Reads(IStixStore store)
{
    /// <summary>The collections the predicate admits (a caller's <c>CanRead</c>, <c>CanWrite</c> or <c>CanSee</c>), by title.</summary>
    public async Task<IReadOnlyList<TaxiiCollection>> CollectionsAsync(Func<TaxiiCollection, bool> admit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(admit);
        return [.. (await store.ListCollectionsAsync(null, ct).ConfigureAwait(false)).Where(admit).OrderBy(c => c.Title, StringComparer.Ordinal)];
    }

    /// <summary>One collection by id or alias, or null (the caller decides whether its reader may know of it).</summary>
    public Task<TaxiiCollection?> CollectionAsync(string idOrAlias, CancellationToken ct) => store.GetCollectionAsync(idOrAlias, ct);

    /// <summary>The directory of organizations: known to every member of the node.</summary>
    public Task<IReadOnlyList<Organization>> OrganizationsAsync(CancellationToken ct) => store.ListOrganizationsAsync(ct);

    /// <summary>An organization by id or name, or null.</summary>
    public Task<Organization?> OrganizationAsync(string idOrName, CancellationToken ct) => store.FindOrganizationAsync(idOrName, ct);

    /// <summary>
    /// The stored rows of a query, filtered for the reader (the query's own <see cref="ObjectQuery.Reader"/> is
    /// replaced by the reader's): for the TAXII manifest and versions resources, which carry no object content.
    /// </summary>
    public Task<Page<StoredObject>> RowsAsync(Reader reader, ObjectQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(query);
        return store.QueryObjectsAsync(query with { Reader = reader.Filter }, ct);
    }

    /// <summary>Rows that <see cref="RowsAsync"/> returned for the reader, as JSON shaped for it.</summary>
    public Task<IReadOnlyList<string>> ShapeAsync(Reader reader, string collectionId, IReadOnlyList<StoredObject> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ObjectShaper.ShapeAsync(store, reader.Trust, reader.Filter, collectionId, rows, ct);
    }

    /// <summary>A page of objects as JSON shaped for the reader, with the rows they came from (TAXII, exports).</summary>
    public async Task<(Page<StoredObject> Rows, IReadOnlyList<string> Json)> PageAsync(Reader reader, ObjectQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = await RowsAsync(reader, query, ct).ConfigureAwait(false);
        return (rows, await ShapeAsync(reader, query.CollectionId, rows.Items, ct).ConfigureAwait(false));
    }

    /// <summary>A page of objects as the reader receives them, with their effective TLP and what was withheld (the pages).</summary>
    public async Task<ReadPage> QueryAsync(Reader reader, ObjectQuery query, CancellationToken ct)
    {
        var rows = await RowsAsync(reader, query, ct).ConfigureAwait(false);
        var shaped = await ObjectShaper.ShapeWithWithheldAsync(store, reader.Trust, reader.Filter, query.CollectionId, rows.Items, ct).ConfigureAwait(false);
        var items = new ReadObject[rows.Items.Count];
        for (int i = 0; i < items.Length; i++)
        {
            var row = rows.Items[i];
            items[i] = new ReadObject(row, query.CollectionId, shaped[i].Json, EffectiveTlp(reader.Trust, query.CollectionId, row), shaped[i].Withheld);
        }
        return new ReadPage(items, rows.More, rows.Items.Count > 0 ? rows.Items[^1].DateAdded : null);
    }

    /// <summary>
    /// Objects of a query that hold its text (<see cref="ObjectQuery.Contains"/>) or the value
    /// <see cref="ObjectQuery.Value"/> in what the reader receives. The store finds candidates in the objects as stored;
    /// a candidate that shaping changed is kept only when the shaped object still holds the text, so the answer depends
    /// only on what the reader may receive.
    /// </summary>
    public async Task<ReadPage> FindAsync(Reader reader, ObjectQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = await QueryAsync(reader, query, ct).ConfigureAwait(false);
        string? needle = query.Contains is { Length: > 0 } c ? c : query.Value is { Length: > 0 } v ? v : null;
        if (needle is null)
        {
            return page;
        }
        // Shaping returns the stored string itself when it changed nothing: then the store's match is the answer.
        return page with { Items = [.. page.Items.Where(o => ReferenceEquals(o.Json, o.Stored.Json) || Holds(o.Json, needle))] };
    }

    /// <summary>
    /// Whether some string of a JSON object (a property's value, at any depth, or a property's name) holds the text,
    /// case-insensitively: what the store's substring search means, asked of the object the reader receives.
    /// </summary>
    private static bool Holds(string json, string text)
    {
        using var doc = JsonDocument.Parse(json);
        return Holds(doc.RootElement, text);
    }

    private static bool Holds(JsonElement e, string text) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!.Contains(text, StringComparison.OrdinalIgnoreCase),
        JsonValueKind.Object => e.EnumerateObject().Any(p => p.Name.Contains(text, StringComparison.OrdinalIgnoreCase) || Holds(p.Value, text)),
        JsonValueKind.Array => e.EnumerateArray().Any(x => Holds(x, text)),
        JsonValueKind.Number => e.GetRawText().Contains(text, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Every version of an object the reader may see, in each of the given collections, as received.</summary>
    public async Task<IReadOnlyList<ReadObject>> VersionsAsync(Reader reader, IEnumerable<TaxiiCollection> collections, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(collections);
        var result = new List<ReadObject>();
        foreach (var c in collections)
        {
            result.AddRange((await QueryAsync(reader, new ObjectQuery(c.Id) { Ids = [id], Versions = VersionFilter.Every, Limit = 1000 }, ct).ConfigureAwait(false)).Items);
        }
        return result;
    }

    /// <summary>
    /// Every object of a collection that may leave the node for the reader, shaped, in date_added order, page by page:
    /// the one source of every export format and feed.
    /// </summary>
    public async IAsyncEnumerable<string> ExportAsync(Reader reader, string collectionId, bool allVersions,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!reader.Filter.LeavingNode)
        {
            throw new ArgumentException("An export leaves the node: read it as Reader.Leaving.", nameof(reader));
        }
        long? after = null;
        while (true)
        {
            var (rows, json) = await PageAsync(reader, new ObjectQuery(collectionId)
            {
                AddedAfter = after,
                Limit = BundleExport.PageSize,
                Versions = allVersions ? VersionFilter.Every : VersionFilter.LastOnly,
            }, ct).ConfigureAwait(false);
            foreach (string j in json)
            {
                yield return j;
            }
            if (!rows.More || rows.Items.Count == 0)
            {
                yield break;
            }
            after = rows.Items[^1].DateAdded;
        }
    }

    /// <summary>The sightings the reader may see, per indicator and country (only <paramref name="indicator"/>'s when given).</summary>
    public Task<IReadOnlyList<SightingTally>> SightingsAsync(Reader reader, string? indicator, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return SightingSummary.ComputeAsync(this, reader, indicator, ct);
    }

    /// <summary>"Who would receive this?", with the node seen exactly as <paramref name="viewer"/> sees it.</summary>
    public Task<IReadOnlyList<PreviewEntry>> PreviewAsync(Reader viewer, string collectionId, string producer, IReadOnlyList<StixObject> objects, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        return PolicyPreview.RunAsync(store, viewer.Trust, viewer.Filter, collectionId, producer, objects, ct);
    }

    private static TlpLevel EffectiveTlp(TrustModel trust, string collectionId, StoredObject row)
    {
        using var doc = JsonDocument.Parse(row.Json);
        return SharingPolicy.EffectiveOf(trust, SharedObject.Of(StixObject.FromJson(doc.RootElement), collectionId, row.Producer));
    }
}
