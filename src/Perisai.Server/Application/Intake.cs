using Perisai.Server.Feeds;
using Perisai.Stix;
using Perisai.Stix.Json;
using Perisai.Storage;

namespace Perisai.Server.Application;

/// <summary>
/// The one way in for intelligence: every entrance (TAXII POST, <c>perisai import</c>, scheduled feeds, the web's share
/// and upload forms) checks objects here (STIX 2.1 validation with every <c>pattern_type: stix</c> pattern parsed and
/// checked, deterministic SCO ids filled in, §2.9) and writes them here, as the organization that wrote them.
/// </summary>
public sealed class Intake(IStixStore store, TimeProvider time)
{
    /// <summary>Checks a parsed document: what may be written, and every object refused with all of its errors.</summary>
    public static IntakeResult Check(ParsedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return StixIntake.Check(document, Guid.NewGuid, Perisai.Patterning.PatternValidation.Options);
    }

    /// <summary>Parses and checks a document; the parse error instead when it is not STIX JSON at all.</summary>
    public static (IntakeResult? Intake, string? Error) Check(ReadOnlyMemory<byte> bytes)
    {
        using var doc = StixDocument.Parse(bytes);
        return doc.Error is { } error ? (null, error.ToString()) : (Check(doc), null);
    }

    /// <summary>Writes checked objects into a collection as <paramref name="producer"/>'s, in one transaction.</summary>
    public Task<IReadOnlyList<AddResult>> AddAsync(string collectionId, string producer, IReadOnlyList<StixObject> valid, CancellationToken ct) =>
        store.AddObjectsAsync(collectionId, producer, valid, ct);

    /// <summary>
    /// Writes what a peer sent (issue 17), checked like any other write, in one transaction with the link's progress when
    /// given. Each object's producer is the organization the peer says produced it only when the peer speaks for that
    /// organization; otherwise, or when it says nothing, the peer's home organization: a peer cannot impersonate
    /// another CERT. The same version again is a no-op; other content under the same id and modified is a conflict.
    /// </summary>
    /// <param name="collectionId">The collection linked to the peer.</param>
    /// <param name="peer">The peer.</param>
    /// <param name="checkedObjects">The page as <see cref="Check(ParsedDocument)"/> found it.</param>
    /// <param name="claims">The producer the peer names for each object of the page, in document order (<c>x_perisai_producers</c>).</param>
    /// <param name="progress">The link's progress to store with the page, if any.</param>
    /// <param name="ct">Cancellation.</param>
    public Task<IReadOnlyList<AddResult>> AddFromPeerAsync(string collectionId, Perisai.Stix.Sharing.TrustedPeer peer, IntakeResult checkedObjects,
        IReadOnlyList<string?> claims, LinkProgress? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(checkedObjects);
        ArgumentNullException.ThrowIfNull(claims);
        // The valid objects are the document's, in order, less the failures: each maps back to its claim by position.
        var failed = checkedObjects.Failures.Select(f => f.Index).ToHashSet();
        var positions = Enumerable.Range(0, checkedObjects.Total).Where(i => !failed.Contains(i)).ToList();
        var objects = checkedObjects.Valid.Select((o, i) => new PeerObject(o, ProducerOf(peer, positions[i] < claims.Count ? claims[positions[i]] : null))).ToList();
        return Peers.AddFromPeerAsync(collectionId, peer.Id, objects, progress, ct);
    }

    /// <summary>The producer a peer's object is recorded with: its claim when the peer speaks for it, else the peer's home organization.</summary>
    public static string ProducerOf(Perisai.Stix.Sharing.TrustedPeer peer, string? claimed)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return claimed is not null && peer.SpeaksFor(claimed) ? claimed : peer.HomeOrg;
    }

    private IPeerStore Peers => store as IPeerStore ?? throw new InvalidOperationException("This store keeps no peers.");

    /// <summary>Converts and imports a source (file, directory or URL): MISP events and feeds, CSV and lists, STIX (2.0 upgraded).</summary>
    public Task<ImportReport> ImportAsync(ImportRequest request, HttpClient? http, Action<int>? progress = null, CancellationToken ct = default) =>
        FeedImporter.ImportAsync(this, request, http, time, progress, ct);

    /// <summary>Imports one document already in memory (an upload), its format decided from its content unless the request says.</summary>
    public Task<ImportReport> ImportDocumentAsync(ImportRequest request, byte[] bytes, CancellationToken ct = default) =>
        FeedImporter.ImportDocumentAsync(this, request, bytes, ct);

    /// <summary>The communities by name with their members, for MISP sharing groups named like them.</summary>
    internal async Task<Dictionary<string, IReadOnlyList<string>>> CommunitiesAsync(CancellationToken ct) =>
        (await store.ListCommunitiesAsync(ct).ConfigureAwait(false)).ToDictionary(c => c.Name, c => c.Members, StringComparer.OrdinalIgnoreCase);
}
