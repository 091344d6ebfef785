using System.Text.Json;
using System.Text.Json.Nodes;

namespace Perisai.Interop.Misp;

/// <summary>
/// The STIX 2.1 property extension (§7.3) that carries what MISP conversion keeps and STIX has no property for: an
/// attribute's type, category, to_ids and comment, an object's template and attributes, a galaxy cluster's meta, an
/// event's threat level, analysis and distribution, and so on. Converted objects hold them under
/// <c>extensions["extension-definition--…"]</c> instead of as <c>x_misp_*</c> custom properties (which §7.3 and the
/// OASIS validator discourage); the definition itself, and the identity that publishes it, travel with the objects.
/// The readers (STIX to MISP, the MISP feed) accept both forms, so data imported before the extension still converts.
/// </summary>
public static class MispExtension
{
    /// <summary>The extension definition's id (fixed: every Perisai node publishes the same definition).</summary>
    public const string Id = "extension-definition--7c3d2b1a-5e4f-4a6b-9c8d-0e1f2a3b4c5d";

    /// <summary>The identity that publishes it (STIX 2.1 §7.3.1 requires <c>created_by_ref</c>).</summary>
    public const string PublisherId = "identity--2f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";

    /// <summary>Where each node serves the extension's JSON schema.</summary>
    public const string SchemaPath = "/api/v1/schemas/misp-properties.json";

    private const string Prefix = "x_misp_";
    private const string Published = "2026-12-01T00:00:00.000Z";

    /// <summary>The properties the extension defines, with what each holds (the schema's and the documentation's source).</summary>
    public static readonly IReadOnlyList<(string Name, string Type, string Description)> Properties =
    [
        ("type", "string", "The MISP attribute type (ip-dst, domain, regkey, ...)."),
        ("category", "string", "The MISP category (Network activity, Payload delivery, ...)."),
        ("to_ids", "boolean", "The attribute's to_ids flag, on objects that are not indicators."),
        ("comment", "string", "The comment of an attribute or object where STIX has no description."),
        ("last_seen", "string", "An indicator attribute's last_seen (STIX timestamp)."),
        ("distribution", "string", "The MISP distribution level (0 to 5)."),
        ("object_name", "string", "The MISP object's template name (file, domain-ip, ...)."),
        ("meta_category", "string", "The MISP object's meta-category."),
        ("template_uuid", "string", "The MISP object template's uuid."),
        ("attributes", "array", "The MISP object's attributes: type, object_relation, value, category, to_ids, comment, timestamp, uuid."),
        ("relationship_type", "string", "A MISP object reference's relationship type as written in MISP."),
        ("galaxy_meta", "object", "A galaxy cluster's meta, whole."),
        ("galaxy_type", "string", "The galaxy's type (threat-actor, mitre-attack-pattern, ...)."),
        ("galaxy_name", "string", "The galaxy's name."),
        ("tag_name", "string", "The galaxy cluster's tag (misp-galaxy:...)."),
        ("source", "string", "A sighting's source."),
        ("published", "boolean", "Whether the event was published."),
        ("sharing_group", "object", "The event's sharing group: name and uuid."),
        ("threat_level_id", "string", "The event's threat level (1 to 4)."),
        ("analysis", "string", "The event's analysis state (0 to 2)."),
    ];

    /// <summary>The extension-definition object (§7.3).</summary>
    public static JsonObject Definition() => new()
    {
        ["type"] = "extension-definition", ["spec_version"] = "2.1", ["id"] = Id, ["created_by_ref"] = PublisherId,
        ["created"] = Published, ["modified"] = Published, ["name"] = "MISP properties kept by Perisai",
        ["description"] = "What a conversion from MISP keeps that STIX 2.1 has no property for, so that a conversion back to MISP restores it.",
        ["schema"] = $"The JSON Schema served by every Perisai node at {SchemaPath}: a property extension whose properties are " + string.Join(", ", Properties.Select(p => p.Name)) + ".",
        ["version"] = "1.0.0",
        ["extension_types"] = new JsonArray("property-extension"),
    };

    /// <summary>The identity that publishes the definition.</summary>
    public static JsonObject Publisher() => new()
    {
        ["type"] = "identity", ["spec_version"] = "2.1", ["id"] = PublisherId, ["created"] = Published, ["modified"] = Published,
        ["name"] = "Perisai", ["identity_class"] = "system", ["description"] = "The Perisai threat-intelligence node software.",
    };

    /// <summary>The extension's JSON Schema (draft 2020-12), as the node serves it.</summary>
    public static string Schema()
    {
        var properties = new JsonObject { ["extension_type"] = new JsonObject { ["const"] = "property-extension" } };
        foreach (var (name, type, description) in Properties)
        {
            properties[name] = new JsonObject { ["type"] = type, ["description"] = description };
        }
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = SchemaPath,
            ["title"] = "MISP properties kept by Perisai (" + Id + ")",
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray("extension_type"),
            ["additionalProperties"] = false,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// Moves an object's <c>x_misp_*</c> properties into the extension; true when it had any. Custom properties of
    /// other origins stay where they are.
    /// </summary>
    internal static bool Nest(JsonObject o)
    {
        var kept = o.Where(p => p.Key.StartsWith(Prefix, StringComparison.Ordinal)).Select(p => p.Key).ToList();
        if (kept.Count == 0)
        {
            return false;
        }
        var extension = new JsonObject { ["extension_type"] = "property-extension" };
        foreach (string key in kept)
        {
            var value = o[key];
            o.Remove(key);
            extension[key[Prefix.Length..]] = value;
        }
        if (o["extensions"] is not JsonObject extensions)
        {
            o["extensions"] = extensions = [];
        }
        extensions[Id] = extension;
        return true;
    }

    /// <summary>
    /// The object with the extension's properties as <c>x_misp_*</c> properties again, for the readers that look for
    /// them there; the object itself when it has no such extension.
    /// </summary>
    public static JsonElement Lift(JsonElement o)
    {
        if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty("extensions", out var ext) || ext.ValueKind != JsonValueKind.Object
            || !ext.TryGetProperty(Id, out var mine) || mine.ValueKind != JsonValueKind.Object)
        {
            return o;
        }
        var lifted = JsonNode.Parse(o.GetRawText())!.AsObject();
        foreach (var p in mine.EnumerateObject().Where(p => p.Name != "extension_type"))
        {
            lifted.TryAdd(Prefix + p.Name, JsonNode.Parse(p.Value.GetRawText()));
        }
        var extensions = lifted["extensions"]!.AsObject();
        extensions.Remove(Id);
        if (extensions.Count == 0)
        {
            lifted.Remove("extensions");
        }
        using var doc = JsonDocument.Parse(lifted.ToJsonString());
        return doc.RootElement.Clone();
    }
}
