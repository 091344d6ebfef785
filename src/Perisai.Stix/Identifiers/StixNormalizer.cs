using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Identifiers;

/// <summary>
/// What a node fills in on import so that a deterministic property need not be sent: the id of an SCO that arrives
/// without one (§2.9, §3.4: derived from its ID contributing properties, or a UUIDv4 when none is present).
/// </summary>
public static class StixNormalizer
{
    /// <summary>
    /// Returns the object with an SCO id filled in when it was missing, or the same element when nothing was needed.
    /// <paramref name="newUuid"/> supplies the UUIDv4 that §2.9 requires when no ID contributing property is present.
    /// </summary>
    public static JsonElement FillScoId(JsonElement obj, Func<Guid> newUuid)
    {
        ArgumentNullException.ThrowIfNull(newUuid);
        if (obj.ValueKind != JsonValueKind.Object || obj.TryGetProperty("id", out _)
            || !obj.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String
            || TypeCatalog.Find(t.GetString()!)?.Category != ObjectCategory.Sco)
        {
            return obj;
        }
        string id = ScoIdentifier.Compute(obj) ?? $"{t.GetString()}--{newUuid()}";
        var copy = new JsonObject { ["type"] = t.GetString(), ["id"] = id };
        foreach (var (name, value) in JsonNode.Parse(obj.GetRawText())!.AsObject())
        {
            if (name != "type")
            {
                copy[name] = value?.DeepClone();
            }
        }
        return JsonSerializer.SerializeToElement(copy);
    }
}
