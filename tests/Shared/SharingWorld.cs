using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Stix;
using Perisai.Stix.Markings;
using Perisai.Stix.Sharing;
using Perisai.Storage;

namespace Perisai.Tests.Sharing;

/// <summary>
/// A random little node for the sharing-policy property tests: organizations (some constituents of others),
/// communities, collections with owners, defaults and grants, and objects of every ref rule with random TLP 1.0/2.0
/// markings, recipients, granular markings, refs (to objects, organizations and unknown ids) and versions. Built from a
/// seed, so a failure names the seed that reproduces it.
/// </summary>
public sealed class SharingWorld
{
    private static readonly string[] Markings =
    [
        TlpMarkings.Clear, TlpMarkings.Green, TlpMarkings.Amber, TlpMarkings.AmberStrict, TlpMarkings.Red,
        TlpMarkings.Tlp1White, TlpMarkings.Tlp1Green, TlpMarkings.Tlp1Amber, TlpMarkings.Tlp1Red,
    ];

    private static readonly TlpLevel[] Defaults = [TlpLevel.Clear, TlpLevel.Green, TlpLevel.Amber, TlpLevel.AmberStrict, TlpLevel.Red];

    public required int Seed { get; init; }

    public required List<Organization> Orgs { get; init; }

    public required List<Community> Communities { get; init; }

    public required List<TaxiiCollection> Collections { get; init; }

    public required List<Grant> Grants { get; init; }

    /// <summary>Objects to add, by (collection, producer), in order.</summary>
    public required List<(string Collection, string Producer, StixObject Object)> Objects { get; init; }

    /// <summary>The canary of the <paramref name="index"/>th object of a world: 'n' in its name, 'd' in its description. Unique on the node.</summary>
    public static string Canary(int seed, int index, char part) => $"canary{seed:D6}x{index:D2}{part}";

    /// <summary>Writes the world's trust into the store (organizations get store-made ids, so it is built from there).</summary>
    /// <param name="store">Where it is written.</param>
    /// <param name="seed">The seed that makes it.</param>
    /// <param name="apiRoot">The API root of its collections.</param>
    /// <param name="allowPublic">Whether a collection may be public (readable by every organization of the node, other worlds' included).</param>
    public static async Task<SharingWorld> CreateAsync(IStixStore store, int seed, string apiRoot = "default", bool allowPublic = true)
    {
        var rnd = new Random(seed);
        string tag = $"w{seed}-{Guid.NewGuid():N}"[..20];
        var orgs = new List<Organization>();
        for (int i = 0; i < 5; i++)
        {
            string? parent = i > 0 && rnd.Next(3) == 0 ? orgs[rnd.Next(orgs.Count)].Id : null;
            orgs.Add(await store.AddOrganizationAsync($"{tag}-org{i}", "MY", OrgKind.NationalCert, parent));
        }
        var communities = new List<Community>();
        for (int i = 0; i < 3; i++)
        {
            var c = await store.AddCommunityAsync($"{tag}-community{i}", "random members");
            var members = orgs.Where(_ => rnd.Next(2) == 0).Select(o => o.Id).ToList();
            foreach (string m in members)
            {
                await store.SetCommunityMemberAsync(c.Id, m, true);
            }
            communities.Add(c with { Members = members });
        }
        var collections = new List<TaxiiCollection>();
        var grants = new List<Grant>();
        for (int i = 0; i < 3; i++)
        {
            var c = new TaxiiCollection($"{tag}-c{i}", apiRoot, $"c{i}", null, null, orgs[rnd.Next(orgs.Count)].Id, Defaults[rnd.Next(Defaults.Length)], rnd.Next(6) == 0 && allowPublic);
            await store.AddCollectionAsync(c);
            collections.Add(c);
            foreach (var o in orgs.Where(_ => rnd.Next(3) == 0))
            {
                grants.Add(new Grant(c.Id, o.Id, true, rnd.Next(2) == 0));
            }
            foreach (var co in communities.Where(_ => rnd.Next(2) == 0))
            {
                grants.Add(new Grant(c.Id, co.Id, true, rnd.Next(2) == 0, PrincipalKind.Community));
            }
        }
        foreach (var g in grants)
        {
            await store.GrantAsync(g);
        }

        var objects = new List<(string, string, StixObject)>();
        var ids = new List<string>();
        for (int i = 0; i < 14; i++)
        {
            string type = rnd.Next(8) switch { 0 or 1 => "indicator", 2 => "malware", 3 or 4 => "relationship", 5 => "note", 6 => "sighting", _ => "report" };
            string id = rnd.Next(5) == 0 && ids.Count > 0 ? ids[rnd.Next(ids.Count)] : $"{type}--{new Guid(rnd.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16))}";
            if (!id.StartsWith(type + "--", StringComparison.Ordinal))
            {
                type = id[..id.IndexOf("--", StringComparison.Ordinal)];
            }
            ids.Add(id);
            string Ref() => rnd.Next(8) switch
            {
                0 => orgs[rnd.Next(orgs.Count)].Id,
                1 => $"malware--{Guid.NewGuid()}",
                _ => ids.Count > 1 ? ids[rnd.Next(ids.Count)] : orgs[0].Id,
            };
            var json = new JsonObject
            {
                ["type"] = type, ["spec_version"] = "2.1", ["id"] = id,
                ["created"] = "2026-01-01T00:00:00.000Z", ["modified"] = $"2026-01-0{1 + rnd.Next(4)}T00:00:00.000Z",
            };
            var markings = Enumerable.Range(0, rnd.Next(3)).Select(_ => Markings[rnd.Next(Markings.Length)]).Distinct().ToList();
            if (markings.Count > 0)
            {
                json["object_marking_refs"] = new JsonArray([.. markings.Select(m => (JsonNode)JsonValue.Create(m)!)]);
            }
            if (rnd.Next(2) == 0)
            {
                json[SharedObject.RecipientsProperty] = new JsonArray([.. orgs.Where(_ => rnd.Next(3) == 0).Select(o => (JsonNode)JsonValue.Create(o.Id)!)]);
            }
            string required;
            switch (type)
            {
                case "indicator":
                    json["pattern"] = "[ipv4-addr:value = '198.51.100.7']"; json["pattern_type"] = "stix"; json["valid_from"] = "2026-01-01T00:00:00Z";
                    json["name"] = Canary(seed, i, 'n');
                    required = "pattern";
                    break;
                case "malware":
                    json["name"] = Canary(seed, i, 'n'); json["is_family"] = false;
                    required = "is_family";
                    break;
                case "relationship":
                    json["relationship_type"] = "indicates"; json["source_ref"] = Ref(); json["target_ref"] = Ref();
                    required = "source_ref";
                    break;
                case "sighting":
                    // Reported by a member: of something (any ref), where (an organization); count 1 each.
                    json["sighting_of_ref"] = Ref(); json["count"] = 1;
                    json["where_sighted_refs"] = new JsonArray(JsonValue.Create(orgs[rnd.Next(orgs.Count)].Id));
                    required = "sighting_of_ref";
                    break;
                case "note":
                    json["content"] = "c"; json["object_refs"] = new JsonArray([.. Enumerable.Range(0, 1 + rnd.Next(3)).Select(_ => (JsonNode)JsonValue.Create(Ref())!)]);
                    required = "object_refs";
                    break;
                default:
                    json["name"] = Canary(seed, i, 'n'); json["published"] = "2026-01-01T00:00:00Z";
                    json["object_refs"] = new JsonArray([.. Enumerable.Range(0, 1 + rnd.Next(3)).Select(_ => (JsonNode)JsonValue.Create(Ref())!)]);
                    required = "object_refs";
                    break;
            }
            // A canary in every object (its name, where it has one) and in its optional description: a page, a search
            // or an export that shows one to a reader not entitled to it has leaked.
            json["description"] = "optional text " + Canary(seed, i, 'd');
            if (rnd.Next(4) == 0)
            {
                string selector = rnd.Next(2) == 0 ? "description" : required;
                json["granular_markings"] = new JsonArray(new JsonObject { ["marking_ref"] = Markings[rnd.Next(Markings.Length)], ["selectors"] = new JsonArray(selector) });
            }
            using var doc = JsonDocument.Parse(json.ToJsonString());
            objects.Add((collections[rnd.Next(collections.Count)].Id, orgs[rnd.Next(orgs.Count)].Id, StixObject.FromJson(doc.RootElement)));
        }
        foreach (var (c, producer, o) in objects)
        {
            await store.AddObjectsAsync(c, producer, [o]);
        }
        return new SharingWorld { Seed = seed, Orgs = orgs, Communities = communities, Collections = collections, Grants = grants, Objects = objects };
    }

    /// <summary>The trust model of this world alone, built here in C#, independent of the store's own loading.</summary>
    public TrustModel Model() => new(
        Orgs.Select(o => new TrustedOrg(o.Id, o.ParentId)),
        Communities.ToDictionary(c => c.Id, c => (IReadOnlySet<string>)c.Members.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
        Collections.Select(c => new CollectionTrust(c.Id, c.OwnerOrg!, c.DefaultTlp, c.IsPublic,
            Grants.Where(g => g.CollectionId == c.Id && g.Kind == PrincipalKind.Org && g.CanRead).Select(g => g.PrincipalId).ToHashSet(StringComparer.Ordinal),
            Grants.Where(g => g.CollectionId == c.Id && g.Kind == PrincipalKind.Community && g.CanRead).Select(g => g.PrincipalId).ToHashSet(StringComparer.Ordinal),
            Grants.Where(g => g.CollectionId == c.Id && g.Kind == PrincipalKind.Org && g.CanWrite).Select(g => g.PrincipalId).ToHashSet(StringComparer.Ordinal),
            Grants.Where(g => g.CollectionId == c.Id && g.Kind == PrincipalKind.Community && g.CanWrite).Select(g => g.PrincipalId).ToHashSet(StringComparer.Ordinal))));

    /// <summary>Each distinct stored version (a repeated id + version + producer is a duplicate the store ignores).</summary>
    public List<(SharedObject Shared, StixObject Object, string VersionKey)> Stored()
    {
        var seen = new HashSet<(string, string, string, string)>();
        var result = new List<(SharedObject, StixObject, string)>();
        foreach (var (c, p, o) in Objects)
        {
            if (seen.Add((c, o.Id, o.Version!.Value.Key, p)))
            {
                result.Add((SharedObject.Of(o, c, p), o, o.Version!.Value.Key));
            }
        }
        return result;
    }

    /// <summary>
    /// What the decision function says a reader gets from one collection under a version filter: the visible rows,
    /// and of those the first/last per id among the visible ones. As (id, version key, producer) triples.
    /// </summary>
    public HashSet<(string, string, string)> Expected(TrustModel model, string reader, string collection, VersionFilter versions, bool leavingNode = false)
    {
        var stored = Stored();
        var lookup = stored.Select(s => s.Shared).ToLookup(s => s.Id, StringComparer.Ordinal);
        var visible = stored.Where(s => s.Shared.CollectionId == collection && SharingPolicy.IsVisible(model, reader, s.Shared, id => lookup[id], leavingNode)).ToList();
        var result = new HashSet<(string, string, string)>();
        foreach (var byId in visible.GroupBy(v => v.Shared.Id, StringComparer.Ordinal))
        {
            string min = byId.Select(v => v.VersionKey).Min(StringComparer.Ordinal)!, max = byId.Select(v => v.VersionKey).Max(StringComparer.Ordinal)!;
            foreach (var v in byId)
            {
                if (versions.All || (versions.First && v.VersionKey == min) || (versions.Last && v.VersionKey == max))
                {
                    result.Add((v.Shared.Id, v.VersionKey, v.Shared.Producer));
                }
            }
        }
        return result;
    }

    /// <summary>The decision function's answer for one ref.</summary>
    public bool RefVisible(TrustModel model, string reader, string id, bool leavingNode = false)
    {
        var lookup = Stored().Select(s => s.Shared).ToLookup(s => s.Id, StringComparer.Ordinal);
        return SharingPolicy.RefVisible(model, reader, id, x => lookup[x], leavingNode: leavingNode);
    }
}
