using System.Text.Json;
using Perisai.Server.Application;

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
    public const int PageSize = 1_000;

    /// <summary>Writes the bundle to <paramref name="stream"/> and returns how many objects it holds.</summary>
    /// <param name="reads">The node's one read path.</param>
    /// <param name="reader">The organization whose view is exported (<see cref="Reader.Leaving"/>).</param>
    /// <param name="collectionId">The collection.</param>
    /// <param name="allVersions">Every version of every object; otherwise the latest version the reader may see.</param>
    /// <param name="bundleId">The bundle's id (<c>bundle--UUID</c>).</param>
    /// <param name="stream">Where the bundle goes; flushed after every page, not disposed.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<int> WriteAsync(Reads reads, Reader reader, string collectionId, bool allVersions,
        string bundleId, Stream stream, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(reader);
        await using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, SkipValidation = true });
        w.WriteStartObject();
        w.WriteString("type", "bundle");
        w.WriteString("id", bundleId);
        w.WriteStartArray("objects");
        int count = 0;
        await foreach (string json in reads.ExportAsync(reader, collectionId, allVersions, ct).ConfigureAwait(false))
        {
            w.WriteRawValue(json, skipInputValidation: true);
            if (++count % PageSize == 0)
            {
                await w.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(ct).ConfigureAwait(false);
        return count;
    }
}
