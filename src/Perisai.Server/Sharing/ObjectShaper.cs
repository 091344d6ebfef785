using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Stix;
using Perisai.Stix.Sharing;
using Perisai.Storage;

namespace Perisai.Server.Sharing;

/// <summary>
/// The last step of every read: what the store returned, as the reader may receive it. A report or grouping lists only
/// the refs the reader may see (STIX 2.1 §4.16, §4.4; the store has already hidden one with none left); a property under
/// a granular marking the reader is not entitled to is withheld, with the granular markings that pointed into it
/// (STIX 2.1 §7.2.3). Every other object passes through byte for byte.
/// </summary>
public static class ObjectShaper
{
    // Shaped JSON goes to TAXII clients, exports and pages as JSON text: no HTML escaping of '<', '\'' or non-ASCII
    // text (every writer of HTML encodes on its own), so a shaped object stays as close to what was received as it can.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON of each object of a page, shaped for the reader.</summary>
    public static async Task<IReadOnlyList<string>> ShapeAsync(IStixStore store, TrustModel trust, SharingFilter reader, string collectionId, IReadOnlyList<StoredObject> page, CancellationToken ct) =>
        [.. (await ShapeWithWithheldAsync(store, trust, reader, collectionId, page, ct).ConfigureAwait(false)).Select(s => s.Json)];

    /// <summary>Each object of a page shaped for the reader, with the TLP of each property withheld from it.</summary>
    public static async Task<IReadOnlyList<Shaped>> ShapeWithWithheldAsync(IStixStore store, TrustModel trust, SharingFilter reader, string collectionId, IReadOnlyList<StoredObject> page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(page);
        var result = new Shaped[page.Count];
        List<int>? lists = null;
        for (int i = 0; i < page.Count; i++)
        {
            result[i] = new Shaped(page[i].Json, []);
            if (page[i].RefRule == RefRule.Any)
            {
                (lists ??= []).Add(i);
            }
            if (page[i].Granular)
            {
                result[i] = WithholdProperties(trust, reader, collectionId, page[i], page[i].Json);
            }
        }
        if (lists is not null)
        {
            var refs = lists.SelectMany(i => RefsOf(result[i].Json)).ToList();
            var visible = await store.VisibleRefsAsync(reader, refs, ct).ConfigureAwait(false);
            foreach (int i in lists)
            {
                result[i] = result[i] with { Json = KeepRefs(result[i].Json, visible) };
            }
        }
        return result;
    }

    private static IEnumerable<string> RefsOf(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.TryGetProperty("object_refs", out var refs) && refs.ValueKind == JsonValueKind.Array)
        {
            return [.. refs.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)];
        }
        return [];
    }

    private static string KeepRefs(string json, IReadOnlySet<string> visible)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        if (node["object_refs"] is JsonArray refs)
        {
            var kept = refs.Where(r => r is JsonValue v && v.TryGetValue<string>(out var s) && visible.Contains(s)).Select(r => r!.DeepClone()).ToArray();
            if (kept.Length == refs.Count)
            {
                return json;
            }
            node["object_refs"] = new JsonArray(kept);
        }
        return node.ToJsonString(Relaxed);
    }

    private static Shaped WithholdProperties(TrustModel trust, SharingFilter reader, string collectionId, StoredObject stored, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var obj = StixObject.FromJson(doc.RootElement);
        var shared = SharedObject.Of(obj, collectionId, stored.Producer, out var optionalGranular);
        var effective = SharingPolicy.EffectiveOf(trust, shared);
        var withheldLevels = optionalGranular
            .Where(kv => (kv.Value > effective || (reader.LeavingNode && kv.Value == Perisai.Stix.Markings.TlpLevel.Red)) && !reader.Members.Any(m => SharingPolicy.Entitled(trust, m.OrgId, collectionId, kv.Value, shared.Producer, shared.Recipients, m.LeavingNode, m.RelayOnly)))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        if (withheldLevels.Count == 0)
        {
            return new Shaped(json, []);
        }
        var withheld = withheldLevels.Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var node = JsonNode.Parse(json)!.AsObject();
        foreach (string p in withheld)
        {
            node.Remove(p);
        }
        if (node["granular_markings"] is JsonArray markings)
        {
            var kept = new JsonArray();
            foreach (var m in markings)
            {
                if (m is not JsonObject mo || mo["selectors"] is not JsonArray selectors)
                {
                    kept.Add(m?.DeepClone());
                    continue;
                }
                var left = selectors.Where(s => s is JsonValue v && v.TryGetValue<string>(out var sel) && !withheld.Contains(sel.Split('.')[0])).Select(s => s!.DeepClone()).ToArray();
                if (left.Length > 0)
                {
                    var copy = mo.DeepClone().AsObject();
                    copy["selectors"] = new JsonArray(left);
                    kept.Add(copy);
                }
            }
            if (kept.Count > 0)
            {
                node["granular_markings"] = kept;
            }
            else
            {
                node.Remove("granular_markings");
            }
        }
        return new Shaped(node.ToJsonString(Relaxed), [.. withheldLevels.Select(kv => kv.Value)]);
    }
}

/// <summary>One object as a reader receives it.</summary>
/// <param name="Json">The object's JSON, shaped: the very string stored when shaping changed nothing.</param>
/// <param name="Withheld">The TLP of each property withheld from the reader (never which properties, nor their values).</param>
public sealed record Shaped(string Json, IReadOnlyList<Perisai.Stix.Markings.TlpLevel> Withheld);
