using System.Text.Json;
using Perisai.Stix.Sharing;
using Perisai.Storage;

namespace Perisai.Server.Sharing;

/// <summary>
/// A collection written out as one STIX 2.1 bundle (STIX 2.1 §8), as one organization may see it once the data has
/// left the node: the reader's entitlement decides, and TLP:RED is withheld from everyone (FIRST TLP 2.0: RED is for
/// the named recipients' eyes only, so it is never exported, federated or fed to sensors). Streamed page by page, so
/// memory stays constant whatever the size of the collection.
/// </summary>
public static class BundleExport
{
    /// <summary>Objects per store query: large enough that the per-query cost vanishes, small enough to stay in cache.</summary>
    private const int Page = 1_000;

    /// <summary>Writes the bundle to <paramref name="stream"/> and returns how many objects it holds.</summary>
    /// <param name="store">The node's store.</param>
    /// <param name="trust">The trust model in force.</param>
    /// <param name="readerOrgId">The organization whose view is exported.</param>
    /// <param name="collectionId">The collection.</param>
    /// <param name="allVersions">Every version of every object; otherwise the latest version the reader may see.</param>
    /// <param name="bundleId">The bundle's id (<c>bundle--UUID</c>).</param>
    /// <param name="stream">Where the bundle goes; flushed after every page, not disposed.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<int> WriteAsync(IStixStore store, TrustModel trust, string readerOrgId, string collectionId, bool allVersions,
        string bundleId, Stream stream, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(trust);
        await using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, SkipValidation = true });
        w.WriteStartObject();
        w.WriteString("type", "bundle");
        w.WriteString("id", bundleId);
        w.WriteStartArray("objects");
        int count = 0;
        await foreach (string json in ReadableAsync(store, trust, readerOrgId, collectionId, allVersions, ct).ConfigureAwait(false))
        {
            w.WriteRawValue(json, skipInputValidation: true);
            if (++count % Page == 0)
            {
                await w.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(ct).ConfigureAwait(false);
        return count;
    }

    /// <summary>
    /// Every object of a collection that may leave the node for <paramref name="readerOrgId"/>, as it would receive
    /// it (shaped: refs and granular markings it may not see removed), in date_added order, page by page. The one
    /// source of every export format, so that the choke point is the same for all of them.
    /// </summary>
    public static async IAsyncEnumerable<string> ReadableAsync(IStixStore store, TrustModel trust, string readerOrgId, string collectionId, bool allVersions,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(trust);
        var filter = SharingFilter.For(trust, readerOrgId, leavingNode: true);
        long? after = null;
        while (true)
        {
            var page = await store.QueryObjectsAsync(new ObjectQuery(collectionId)
            {
                AddedAfter = after,
                Limit = Page,
                Versions = allVersions ? VersionFilter.Every : VersionFilter.LastOnly,
                Reader = filter,
            }, ct).ConfigureAwait(false);
            foreach (string json in await ObjectShaper.ShapeAsync(store, trust, filter, collectionId, page.Items, ct).ConfigureAwait(false))
            {
                yield return json;
            }
            if (!page.More || page.Items.Count == 0)
            {
                yield break;
            }
            after = page.Items[^1].DateAdded;
        }
    }
}
