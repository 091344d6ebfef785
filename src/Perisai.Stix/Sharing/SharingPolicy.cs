using Perisai.Stix.Markings;

namespace Perisai.Stix.Sharing;

/// <summary>
/// The sharing policy of a node: who may read what. One pure function of the trust model and the object's facts; the
/// store applies the same rule inside its queries (and a property test holds the two together). docs/trust.md states
/// the rules for people.
/// </summary>
public static class SharingPolicy
{
    /// <summary>
    /// How deep a chain of dependent objects (a note on a relationship on ...) is followed. A dependent object reached
    /// at this depth counts as not visible: the policy errs towards hiding, never towards showing.
    /// </summary>
    public const int RefDepth = 3;

    /// <summary>
    /// The effective TLP of an object: the strictest of its object markings (TLP 1.0 mapped to 2.0) or, when it has
    /// none, the collection's default; raised by any granular marking on a property it cannot be shown without.
    /// </summary>
    public static TlpLevel Effective(TlpLevel marked, TlpLevel floor, TlpLevel collectionDefault)
    {
        var level = marked == TlpLevel.None ? collectionDefault : marked;
        return floor > level ? floor : level;
    }

    /// <summary>
    /// FIRST TLP 2.0 as this node applies it, for a reader that may read the collection:
    /// CLEAR to every reader of the collection; GREEN to the collection's community (members of the communities that
    /// read it, and its owner); AMBER to the producer, the organizations it named and their constituents;
    /// AMBER+STRICT and RED to the producer and the organizations it named, no one else. An object with no level at
    /// all (a collection without a default) is shown to its producer only.
    /// </summary>
    /// <param name="model">The trust model.</param>
    /// <param name="reader">The reading organization.</param>
    /// <param name="collectionId">The collection the object is in.</param>
    /// <param name="level">The object's effective TLP.</param>
    /// <param name="producer">The organization that wrote it.</param>
    /// <param name="recipients">The organizations the producer named.</param>
    /// <param name="leavingNode">The object would leave the node (an export, a feed, a peer): TLP:RED never does, not even to its producer.</param>
    /// <param name="relayOnly">
    /// The reader is an organization a peer node only relays for (a hub, issue 17): FIRST TLP 2.0 lets a relay pass on
    /// CLEAR and, within the community, GREEN; AMBER and above go only to the node of a named recipient, and being the
    /// producer gives a relay nothing.
    /// </param>
    public static bool Entitled(TrustModel model, string reader, string collectionId, TlpLevel level, string producer, IReadOnlyList<string> recipients, bool leavingNode = false, bool relayOnly = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(recipients);
        if (!model.CanRead(reader, collectionId) || (leavingNode && level == TlpLevel.Red))
        {
            return false;
        }
        if (relayOnly)
        {
            return level == TlpLevel.Clear || (level == TlpLevel.Green && model.InGreenCommunity(reader, collectionId));
        }
        if (reader == producer)
        {
            return true;
        }
        return level switch
        {
            TlpLevel.Clear => true,
            TlpLevel.Green => model.InGreenCommunity(reader, collectionId),
            TlpLevel.Amber => model.AmberReach(reader).Any(recipients.Contains),
            TlpLevel.AmberStrict or TlpLevel.Red => recipients.Contains(reader),
            _ => false,
        };
    }

    /// <summary>The effective TLP of a stored object in its collection.</summary>
    public static TlpLevel EffectiveOf(TrustModel model, SharedObject obj)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(obj);
        var d = model.Collections.TryGetValue(obj.CollectionId, out var c) ? c.DefaultTlp : TlpLevel.None;
        return Effective(obj.Marked, obj.Floor, d);
    }

    /// <summary>Whether the reader may read the object by its own marking and collection, its refs aside.</summary>
    public static bool MayRead(TrustModel model, string reader, SharedObject obj, bool leavingNode = false, bool relayOnly = false) =>
        Entitled(model, reader, obj.CollectionId, EffectiveOf(model, obj), obj.Producer, obj.Recipients, leavingNode, relayOnly);

    /// <summary>
    /// Whether the reader sees the object at all: it may read it, and its refs allow it. A ref is visible when it names
    /// an organization of the node (the directory is known to all) or an object of which some version, in any
    /// collection of the node, is visible to the reader. <paramref name="stored"/> gives every stored version of an id.
    /// </summary>
    public static bool IsVisible(TrustModel model, string reader, SharedObject obj, Func<string, IEnumerable<SharedObject>> stored, bool leavingNode = false, bool relayOnly = false) =>
        MayRead(model, reader, obj, leavingNode, relayOnly) && RefsAllow(model, reader, obj, stored, RefDepth, leavingNode, relayOnly);

    /// <summary>
    /// Whether a stored version is sent to a peer node (issue 17): it did not come from that peer, was not produced at
    /// its node, is in a collection linked to it, and some organization it speaks for sees it: its own organizations
    /// as any reader leaving the node, the ones it relays for as a relay (<see cref="Entitled"/>). A peer sees the node
    /// through its linked collections only, for the objects and for what they refer to.
    /// </summary>
    public static bool ReachesPeer(TrustModel model, TrustedPeer peer, SharedObject obj, string via, Func<string, IEnumerable<SharedObject>> stored)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(obj);
        if (via == peer.Id || obj.Producer == peer.HomeOrg || !peer.Collections.Contains(obj.CollectionId))
        {
            return false;
        }
        var linked = new TrustModel(model.Orgs.Values, model.Communities, model.Collections.Values.Where(c => peer.Collections.Contains(c.Id)));
        return peer.Serves.Any(o => IsVisible(linked, o, obj, stored, leavingNode: true, relayOnly: !peer.Own.Contains(o)));
    }

    /// <summary>Whether one ref is visible to the reader (see <see cref="IsVisible"/>).</summary>
    public static bool RefVisible(TrustModel model, string reader, string id, Func<string, IEnumerable<SharedObject>> stored, int depth = RefDepth, bool leavingNode = false, bool relayOnly = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stored);
        return model.Orgs.ContainsKey(id)
            || stored(id).Any(t => MayRead(model, reader, t, leavingNode, relayOnly) && (t.RefRule == RefRule.None || (depth > 1 && RefsAllow(model, reader, t, stored, depth - 1, leavingNode, relayOnly))));
    }

    private static bool RefsAllow(TrustModel model, string reader, SharedObject obj, Func<string, IEnumerable<SharedObject>> stored, int depth, bool leavingNode, bool relayOnly) => obj.RefRule switch
    {
        RefRule.All => obj.Refs.All(r => RefVisible(model, reader, r, stored, depth, leavingNode, relayOnly)),
        RefRule.Any => obj.Refs.Any(r => RefVisible(model, reader, r, stored, depth, leavingNode, relayOnly)),
        _ => true,
    };

    /// <summary>
    /// Who would receive an object: every organization of the model for which <see cref="IsVisible"/> holds, by id.
    /// The answer to a producer's "who can see this?" before it publishes.
    /// </summary>
    public static IReadOnlyList<string> Audience(TrustModel model, SharedObject obj, Func<string, IEnumerable<SharedObject>> stored)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.Orgs.Keys.Where(o => IsVisible(model, o, obj, stored)).Order(StringComparer.Ordinal)];
    }
}
