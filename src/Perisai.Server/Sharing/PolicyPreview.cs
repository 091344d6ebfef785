using Perisai.Stix;
using Perisai.Stix.Markings;
using Perisai.Stix.Sharing;
using Perisai.Storage;

namespace Perisai.Server.Sharing;

/// <summary>One object's answer to "who would receive this?".</summary>
/// <param name="Id">The object's id.</param>
/// <param name="Type">Its type.</param>
/// <param name="Tlp">Its effective TLP in the collection.</param>
/// <param name="Audience">Every organization that would be able to read it, by id, sorted.</param>
/// <param name="Notes">Why the audience is smaller than the producer may expect.</param>
public sealed record PreviewEntry(string Id, string Type, TlpLevel Tlp, IReadOnlyList<string> Audience, IReadOnlyList<string> Notes);

/// <summary>
/// "Who would receive this?" before publishing: the sharing policy applied to objects not yet written, as if
/// <c>producer</c> wrote them to the collection now, with the objects they refer to looked up in the same file first and
/// in the store after. The store is seen exactly as <c>viewer</c> sees it: a stored object the viewer may not see is
/// as unknown to the preview as an id never stored, so that the answer cannot tell anyone that a hidden object exists
/// or who may read it.
/// </summary>
public static class PolicyPreview
{
    /// <summary>Previews each object, as seen by <paramref name="viewer"/> (the caller asking).</summary>
    public static async Task<IReadOnlyList<PreviewEntry>> RunAsync(IStixStore store, TrustModel trust, SharingFilter viewer, string collectionId, string producer, IReadOnlyList<StixObject> objects, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(objects);
        var proposed = objects.Select(o => SharedObject.Of(o, collectionId, producer)).ToList();
        var refs = proposed.SelectMany(p => p.Refs).Distinct(StringComparer.Ordinal).ToList();
        // Only the versions the viewer sees itself: the store's own rule says which ids it sees, the policy which of
        // their versions (a dependent one also by its refs, erring towards hiding).
        var seen = await store.VisibleRefsAsync(viewer, refs, ct).ConfigureAwait(false);
        var all = await store.SharedVersionsAsync([.. refs.Where(seen.Contains)], ct).ConfigureAwait(false);
        var allById = all.ToLookup(s => s.Id, StringComparer.Ordinal);
        var stored = all.Where(s => SharingPolicy.IsVisible(trust, viewer.OrgId, s, id => allById[id])).ToLookup(s => s.Id, StringComparer.Ordinal);
        var inFile = proposed.ToLookup(p => p.Id, StringComparer.Ordinal);
        IEnumerable<SharedObject> Lookup(string id) => inFile[id].Concat(stored[id]);

        var result = new List<PreviewEntry>(proposed.Count);
        foreach (var (p, o) in proposed.Zip(objects))
        {
            var notes = new List<string>();
            var tlp = SharingPolicy.EffectiveOf(trust, p);
            if (p.Marked == TlpLevel.None)
            {
                notes.Add($"No TLP marking: the collection's default, TLP:{TlpMarkings.NameOf(tlp)}, applies.");
            }
            foreach (string r in p.Recipients)
            {
                if (!trust.Orgs.ContainsKey(r))
                {
                    notes.Add($"Recipient {r} is not an organization of this node.");
                }
                else if (!trust.CanRead(r, collectionId))
                {
                    notes.Add($"Recipient {r} may not read this collection and will not receive it.");
                }
            }
            if (tlp >= TlpLevel.Amber && p.Recipients.Count == 0)
            {
                notes.Add($"TLP:{TlpMarkings.NameOf(tlp)} with no recipients named ({SharedObject.RecipientsProperty}): only your organization will see it.");
            }
            foreach (string r in p.Refs.Where(r => !trust.Orgs.ContainsKey(r) && !Lookup(r).Any()))
            {
                notes.Add($"Refers to {r}, which is on no collection of this node: hidden from a reader until it is.");
            }
            result.Add(new PreviewEntry(o.Id, o.Type, tlp, SharingPolicy.Audience(trust, p, Lookup), notes));
        }
        return result;
    }
}
