using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Interop.Misp;
using Perisai.Stix.Identifiers;

namespace Perisai.Interop;

/// <summary>
/// STIX 2.0 bundles to 2.1 (STIX 2.1 Appendix B, "Changes from STIX 2.0"): every object gets <c>spec_version</c>;
/// observed-data's embedded <c>objects</c> become cyber-observable objects with deterministic ids (§2.9) and
/// <c>object_refs</c>; the 2.0 <c>labels</c> that carried a type become the 2.1 <c>*_types</c> properties;
/// indicators get <c>pattern_type: stix</c>; malware gets the now required <c>is_family</c>.
/// </summary>
public static class Stix20Upgrade
{
    /// <summary>Whether a parsed document is STIX 2.0 (a 2.0 bundle, or objects without spec_version).</summary>
    public static bool IsStix20(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        if (document.TryGetProperty("spec_version", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() == "2.0")
        {
            return true;
        }
        return document.TryGetProperty("type", out var t) && t.GetString() == "bundle" && document.TryGetProperty("objects", out var objects)
            && objects.ValueKind == JsonValueKind.Array && objects.GetArrayLength() > 0
            && objects.EnumerateArray().All(o => o.ValueKind == JsonValueKind.Object && !o.TryGetProperty("spec_version", out _) && o.TryGetProperty("created", out _));
    }

    /// <summary>The 2.1 bundle for a 2.0 one, and what was approximated.</summary>
    public static StixConversion Upgrade(JsonElement bundle)
    {
        var loss = new LossReport();
        var result = new List<JsonObject>();
        if (!bundle.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
        {
            return new StixConversion(result, loss);
        }
        foreach (var element in objects.EnumerateArray())
        {
            if (JsonNode.Parse(element.GetRawText()) is not JsonObject o)
            {
                continue;
            }
            string id = o["id"]?.GetValue<string>() ?? "(no id)";
            string type = o["type"]?.GetValue<string>() ?? "";
            o.Remove("spec_version");
            var ordered = new JsonObject { ["type"] = type, ["spec_version"] = "2.1" };
            foreach (var (k, v) in o.ToList())
            {
                if (k != "type")
                {
                    o.Remove(k);
                    ordered[k] = v;
                }
            }
            o = ordered;
            switch (type)
            {
                case "indicator":
                    MoveLabels(o, "indicator_types", id, loss);
                    o["pattern_type"] ??= "stix";
                    o["pattern_version"] ??= "2.1";
                    break;
                case "malware":
                    MoveLabels(o, "malware_types", id, loss);
                    if (o["is_family"] is null)
                    {
                        o["is_family"] = true;
                        loss.Approximated(id, "malware.is_family", "required in 2.1, unknown in 2.0: set to true (a 2.0 malware object named a family in practice)");
                    }
                    break;
                case "threat-actor":
                    MoveLabels(o, "threat_actor_types", id, loss);
                    break;
                case "tool":
                    MoveLabels(o, "tool_types", id, loss);
                    break;
                case "report":
                    MoveLabels(o, "report_types", id, loss);
                    break;
                case "observed-data" when o["objects"] is JsonObject embedded:
                    result.AddRange(Extract(o, embedded, id, loss));
                    break;
            }
            result.Add(o);
        }
        loss.Converted = result.Count;
        return new StixConversion(result, loss);
    }

    private static void MoveLabels(JsonObject o, string property, string id, LossReport loss)
    {
        if (o["labels"] is JsonArray labels && o[property] is null)
        {
            o.Remove("labels");
            o[property] = labels;
            loss.Kept(id, "labels", $"2.0 labels carried the type: now {property}");
        }
    }

    // 2.0 observed-data holds its cyber-observables in a dictionary keyed "0", "1"…, referring to each other by those keys.
    private static List<JsonObject> Extract(JsonObject observed, JsonObject embedded, string id, LossReport loss)
    {
        var keys = embedded.Select(kv => kv.Key).ToList();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var scos = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        // Objects that others refer to first, so their ids are known when the referrers' ids are computed.
        foreach (string key in keys.OrderBy(k => Refs(embedded[k] as JsonObject).Any() ? 1 : 0))
        {
            if (embedded[key] is not JsonObject sco)
            {
                continue;
            }
            var copy = (JsonObject)sco.DeepClone();
            Remap(copy, ids);
            copy["spec_version"] = "2.1";
            string scoId = ScoIdentifier.Compute(JsonSerializer.SerializeToElement(copy)) ?? $"{copy["type"]}--{Guid.NewGuid()}";
            copy["id"] = scoId;
            ids[key] = scoId;
            scos[key] = copy;
        }
        observed.Remove("objects");
        observed["object_refs"] = new JsonArray([.. keys.Where(ids.ContainsKey).Select(k => (JsonNode)ids[k])]);
        loss.Kept(id, "observed-data.objects", "deprecated in 2.1: written as cyber-observable objects with object_refs");
        return [.. scos.Values];
    }

    private static IEnumerable<string> Refs(JsonObject? o) => o is null ? [] : o.Where(kv => kv.Key.EndsWith("_ref", StringComparison.Ordinal) || kv.Key.EndsWith("_refs", StringComparison.Ordinal)).Select(kv => kv.Key);

    private static void Remap(JsonObject o, Dictionary<string, string> ids)
    {
        foreach (string key in Refs(o).ToList())
        {
            switch (o[key])
            {
                case JsonValue v when v.GetValue<string>() is { } r && ids.TryGetValue(r, out var mapped):
                    o[key] = mapped;
                    break;
                case JsonArray a:
                    o[key] = new JsonArray([.. a.Select(x => (JsonNode)(x?.GetValue<string>() is { } r && ids.TryGetValue(r, out var m) ? m : x?.GetValue<string>() ?? ""))]);
                    break;
            }
        }
    }
}
