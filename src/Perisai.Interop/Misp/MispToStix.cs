using Perisai.Stix.Validation;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Stix.Markings;

namespace Perisai.Interop.Misp;

/// <summary>How a MISP event's access settings meet the node's trust model.</summary>
public sealed record MispImportOptions
{
    /// <summary>
    /// The identity ids of the organizations of the community a MISP sharing group (name, uuid) maps to, or null when
    /// none does; such an event then stays with its producer (TLP:AMBER+STRICT with no recipients).
    /// </summary>
    public Func<string?, string?, IReadOnlyList<string>?> SharingGroup { get; init; } = (_, _) => null;
}

/// <summary>STIX objects made by a conversion, and what did not carry over.</summary>
public sealed record StixConversion(IReadOnlyList<JsonObject> Objects, LossReport Loss)
{
    /// <summary>The objects as one STIX 2.1 bundle (§8), ready for the node's intake.</summary>
    public byte[] ToBundle() => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["type"] = "bundle",
        ["id"] = $"bundle--{Guid.NewGuid()}",
        ["objects"] = new JsonArray([.. Objects.Select(o => (JsonNode)o.DeepClone())]),
    });
}

/// <summary>
/// A MISP core-format event (JSON, with or without its <c>{"Event": …}</c> wrapper) to STIX 2.1, as the mapping table
/// in docs/interop.md says. Deterministic: MISP uuids become the STIX ids, MISP timestamps the versions, so importing
/// the same event twice stores nothing new and a changed event stores new versions.
/// </summary>
public static class MispToStix
{
    /// <summary>Event fields that are an instance's own bookkeeping (database ids, counters, locks), not intelligence.</summary>
    private static readonly HashSet<string> LocalEventFields = ["id", "org_id", "orgc_id", "attribute_count", "sharing_group_id", "proposal_email_lock",
        "locked", "disable_correlation", "event_creator_email", "Org", "protected", "extends_uuid", "sighting_timestamp", "RelatedEvent", "ShadowAttribute",
        "CryptographicKey", "EventReport"];

    private static readonly HashSet<string> EventFields = ["uuid", "info", "date", "timestamp", "publish_timestamp", "published", "threat_level_id", "analysis",
        "distribution", "Orgc", "Tag", "Attribute", "Object", "Galaxy", "Sighting", "SharingGroup"];

    private static readonly HashSet<string> LocalAttributeFields = ["id", "event_id", "object_id", "sharing_group_id", "deleted", "disable_correlation",
        "ShadowAttribute", "RelatedAttribute", "Event", "value1", "value2", "decay_score", "data", "event_uuid"];

    private static readonly HashSet<string> AttributeFields = ["uuid", "type", "category", "value", "to_ids", "comment", "timestamp", "first_seen", "last_seen",
        "distribution", "Tag", "Sighting", "object_relation", "Galaxy"];

    private static readonly HashSet<string> ObjectFields = ["uuid", "name", "meta-category", "description", "template_uuid", "template_version", "comment",
        "timestamp", "distribution", "first_seen", "last_seen", "Attribute", "ObjectReference", "id", "event_id", "sharing_group_id", "deleted"];

    /// <summary>Converts one event.</summary>
    public static StixConversion Convert(JsonElement document, MispImportOptions? options = null)
    {
        var ev = document.ValueKind == JsonValueKind.Object && document.TryGetProperty("Event", out var inner) ? inner : document;
        if (ev.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException(InteropMessages.NotAnEvent);
        }
        return new EventConverter(ev, options ?? new MispImportOptions()).Run();
    }

    private sealed class EventConverter(JsonElement ev, MispImportOptions options)
    {
        private readonly List<JsonObject> _out = [];
        private readonly Dictionary<string, JsonObject> _byId = new(StringComparer.Ordinal);
        private readonly List<string> _refs = [];
        private readonly Dictionary<string, string> _stixIdOf = new(StringComparer.OrdinalIgnoreCase);
        private readonly LossReport _loss = new();
        private string _reportId = "";
        private string? _createdBy;
        private string _eventTime = "";

        public StixConversion Run()
        {
            string uuid = Uuid(ev) ?? throw new FormatException(InteropMessages.EventWithoutUuid);
            _reportId = $"report--{uuid}";
            string where = $"Event {uuid}";
            _eventTime = Time(ev, "timestamp") ?? DateOnlyTime(Str(ev, "date")) ?? throw new FormatException(InteropMessages.EventWithoutTime);
            var local = new List<string>();
            foreach (var p in ev.EnumerateObject())
            {
                if (LocalEventFields.Contains(p.Name))
                {
                    local.Add(p.Name);
                }
                else if (!EventFields.Contains(p.Name))
                {
                    _loss.Dropped(where, $"Event.{p.Name}", "no counterpart in the mapping table");
                }
            }
            if (local.Count > 0)
            {
                _loss.Dropped(where, "Event bookkeeping", "the MISP instance's own ids, counters and locks: " + string.Join(", ", local));
            }
            if (ev.TryGetProperty("Orgc", out var orgc) && Uuid(orgc) is { } orgUuid)
            {
                _createdBy = $"identity--{orgUuid}";
                Emit(new JsonObject
                {
                    ["type"] = "identity", ["spec_version"] = "2.1", ["id"] = _createdBy,
                    ["created"] = Created(DateOnlyTime(Str(ev, "date")), null), ["modified"] = Created(DateOnlyTime(Str(ev, "date")), null),
                    ["name"] = Str(orgc, "name") ?? orgUuid, ["identity_class"] = "organization",
                });
                _refs.Add(_createdBy);
            }
            var (eventMarkings, eventLabels) = Tags(ev, where);
            var access = Access(ev, where, eventMarkings, null);
            IndexIds();
            foreach (var a in Array(ev, "Attribute"))
            {
                Attribute(a, eventMarkings, access);
            }
            foreach (var o in Array(ev, "Object"))
            {
                MispObject(o, eventMarkings, access);
            }
            foreach (var o in Array(ev, "Object"))
            {
                References(o);
            }
            var galaxyTags = Galaxies(ev, eventMarkings, access);
            foreach (var s in Array(ev, "Sighting"))
            {
                Sighting(s, Str(s, "attribute_uuid"));
            }

            var report = Sdo("report", _reportId, _eventTime, eventMarkings, access);
            report["created"] = Created(DateOnlyTime(Str(ev, "date")), where);
            report["name"] = Str(ev, "info") ?? uuid;
            report["report_types"] = new JsonArray("threat-report");
            report["published"] = Time(ev, "publish_timestamp") is { } pub && pub != Epoch ? pub : report["created"]!.DeepClone();
            var labels = eventLabels.Where(l => !galaxyTags.Contains(l)).ToList();
            if (labels.Count > 0)
            {
                report["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]);
            }
            Keep(report, where, ev, "threat_level_id", "analysis", "distribution");
            report["x_misp_published"] = ev.TryGetProperty("published", out var published) && (published.ValueKind == JsonValueKind.True || published.ToString() == "1");
            if (ev.TryGetProperty("SharingGroup", out var group) && group.ValueKind == JsonValueKind.Object)
            {
                report["x_misp_sharing_group"] = new JsonObject { ["name"] = Str(group, "name"), ["uuid"] = Str(group, "uuid") };
            }
            // A report needs at least one ref (§5.8); an empty event refers to its creator.
            report["object_refs"] = new JsonArray([.. (_refs.Count > 0 ? _refs : [_createdBy ?? _reportId]).Distinct().Select(r => (JsonNode)r)]);
            Emit(report);
            // What was kept goes under the MISP property extension (§7.3), published with the objects that use it.
            bool extended = false;
            foreach (var o in _out)
            {
                extended |= MispExtension.Nest(o);
            }
            if (extended)
            {
                _out.Add(MispExtension.Publisher());
                _out.Add(MispExtension.Definition());
            }
            _loss.Converted = _out.Count;
            return new StixConversion(_out, _loss);
        }

        // STIX ids for every attribute and object first: object references may point forward.
        private void IndexIds()
        {
            foreach (var a in Array(ev, "Attribute"))
            {
                if (Uuid(a) is { } u)
                {
                    _stixIdOf[u] = $"{AttributeSdoType(a)}--{u}";
                }
            }
            foreach (var o in Array(ev, "Object"))
            {
                if (Uuid(o) is { } u)
                {
                    var observable = Array(o, "Attribute").Where(a => MispTypes.Find(Str(a, "type") ?? "") is not null).ToList();
                    _stixIdOf[u] = observable.Count == 0 ? $"note--{u}" : observable.Any(ToIds) ? $"indicator--{u}" : $"observed-data--{u}";
                    foreach (var a in Array(o, "Attribute"))
                    {
                        if (Uuid(a) is { } au)
                        {
                            _stixIdOf[au] = _stixIdOf[u];
                        }
                    }
                }
            }
        }

        private static string AttributeSdoType(JsonElement a) => Str(a, "type") switch
        {
            "vulnerability" => "vulnerability",
            "threat-actor" => "threat-actor",
            "campaign-name" => "campaign",
            "yara" or "snort" or "sigma" or "stix2-pattern" => "indicator",
            { } t when MispTypes.Find(t) is not null => ToIds(a) ? "indicator" : "observed-data",
            _ => "note",
        };

        private void Attribute(JsonElement a, JsonArray eventMarkings, Audience access)
        {
            if (Uuid(a) is not { } uuid || Str(a, "type") is not { } type || Str(a, "value") is not { } value)
            {
                _loss.Dropped("Attribute (no uuid, type or value)", "Attribute", "an attribute needs all three");
                return;
            }
            string where = $"Attribute {uuid}";
            if (a.TryGetProperty("deleted", out var deleted) && (deleted.ValueKind == JsonValueKind.True || deleted.ToString() == "1"))
            {
                _loss.Dropped(where, "Attribute.deleted", "a deleted attribute is not converted");
                return;
            }
            ReportUnknown(a, where, "Attribute", AttributeFields, LocalAttributeFields);
            var (markings, labels) = Tags(a, where, eventMarkings);
            var attributeAccess = Access(a, where, markings, access);
            string time = Time(a, "timestamp") ?? _eventTime;
            string id = _stixIdOf[uuid];
            string sdoType = id[..id.IndexOf("--", StringComparison.Ordinal)];
            var o = Sdo(sdoType, id, time, markings, attributeAccess);
            if (labels.Count > 0)
            {
                o["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]);
            }
            string? comment = Str(a, "comment") is { Length: > 0 } c ? c : null;
            var mapped = MispTypes.Find(type);
            switch (sdoType)
            {
                case "indicator" when mapped is not null:
                    o["name"] = value;
                    o["pattern"] = Observables.Pattern(SlotsOf(mapped, value, where));
                    o["pattern_type"] = "stix";
                    o["pattern_version"] = "2.1";
                    o["valid_from"] = Seen(a, "first_seen") ?? time;
                    break;
                case "indicator":
                    o["name"] = $"{type} rule";
                    o["pattern"] = value;
                    o["pattern_type"] = type == "stix2-pattern" ? "stix" : type;
                    o["valid_from"] = Seen(a, "first_seen") ?? time;
                    break;
                case "observed-data":
                    var (roots, scos) = Observables.Scos(SlotsOf(mapped!, value, where));
                    o["first_observed"] = Seen(a, "first_seen") ?? time;
                    o["last_observed"] = Seen(a, "last_seen") ?? o["first_observed"]!.DeepClone();
                    o["number_observed"] = 1;
                    o["object_refs"] = new JsonArray([.. roots.Select(r => (JsonNode)r)]);
                    AddScos(scos);
                    if (comment is not null)
                    {
                        o["x_misp_comment"] = comment;
                        _loss.Kept(where, "Attribute.comment", "observed-data has no description: x_misp_comment");
                        comment = null;
                    }
                    break;
                case "vulnerability":
                    o["name"] = value;
                    if (value.StartsWith("CVE-", StringComparison.OrdinalIgnoreCase))
                    {
                        o["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "cve", ["external_id"] = value.ToUpperInvariant() });
                    }
                    break;
                case "threat-actor" or "campaign":
                    o["name"] = value;
                    break;
                default:
                    o["content"] = value;
                    o["object_refs"] = new JsonArray(_reportId);
                    _loss.Approximated(where, $"Attribute type {type}", "no STIX counterpart: a note whose content is the value");
                    break;
            }
            if (comment is not null)
            {
                o[sdoType == "note" ? "abstract" : "description"] = comment;
            }
            if (sdoType == "indicator" && Seen(a, "last_seen") is { } last)
            {
                o["x_misp_last_seen"] = last;
                _loss.Kept(where, "Attribute.last_seen", "an indicator has no last-seen time: x_misp_last_seen");
            }
            o["x_misp_type"] = type;
            o["x_misp_category"] = Str(a, "category") ?? mapped?.Category ?? "Other";
            if (sdoType != "indicator" && ToIds(a))
            {
                o["x_misp_to_ids"] = true;
            }
            Keep(o, where, a, "distribution");
            _loss.Kept(where, "Attribute.category", "x_misp_category");
            Emit(o);
            _refs.Add(id);
            foreach (var s in Array(a, "Sighting"))
            {
                Sighting(s, uuid);
            }
        }

        /// <summary>
        /// The event's <c>created</c>: its date, unless that is later than its timestamp (MISP allows a date in the
        /// future of the last change), when the earlier instant is taken so that <c>modified</c> is never before
        /// <c>created</c> (STIX 2.1 §3.2). Both are in the loss report.
        /// </summary>
        private string Created(string? date, string? where)
        {
            if (date is null)
            {
                return _eventTime;
            }
            if (string.CompareOrdinal(date, _eventTime) <= 0)
            {
                return date;
            }
            if (where is not null)
            {
                _loss.Approximated(where, "Event.date", $"later than the event's timestamp: created is {_eventTime} (the timestamp), not {date} (the date)");
            }
            return _eventTime;
        }

        private List<Slot> SlotsOf(MispType type, string value, string where)
        {
            string[] parts = type.Paths.Length == 1 ? [value] : value.Split('|', type.Paths.Length);
            return [.. type.Paths.Zip(parts, (p, v) => Conform(new Slot(p, v), where))];
        }

        /// <summary>
        /// A value as STIX 2.1 requires it where MISP is laxer: a registry key's hive in full (§6.17: HKEY_LOCAL_MACHINE,
        /// not HKLM), and a URL with a scheme (§6.15 and RFC 3986 §3: a value without one is a domain name or an
        /// address). Each change is in the loss report.
        /// </summary>
        private Slot Conform(Slot slot, string where)
        {
            if (slot.Path == "windows-registry-key:key" && RegistryHives.Expand(slot.Value) is { } full && full != slot.Value)
            {
                static string HiveOf(string key) => key.Split('\\', 2)[0];
                _loss.Approximated(where, "registry key hive", $"abbreviated hive written in full (STIX 2.1 §6.17): {HiveOf(slot.Value)} as {HiveOf(full)}");
                return slot with { Value = full };
            }
            if (slot.Path == "url:value" && !UrlSyntax.HasScheme(slot.Value))
            {
                string value = slot.Value.Trim();
                if (System.Net.IPAddress.TryParse(value.Trim('[', ']'), out var ip))
                {
                    _loss.Approximated(where, "url without a scheme", "not a URL (RFC 3986 §3): an address, converted to " + Observables.AddressType(ip.ToString()));
                    return new Slot($"{Observables.AddressType(ip.ToString())}:value", ip.ToString());
                }
                if (Perisai.Detection.Indicators.IocNormalizer.Domain(value) is { } domain)
                {
                    _loss.Approximated(where, "url without a scheme", "not a URL (RFC 3986 §3): a domain name, converted to domain-name");
                    return new Slot("domain-name:value", domain);
                }
                _loss.Approximated(where, "url without a scheme", "not a URL (RFC 3986 §3): taken as http://");
                return slot with { Value = "http://" + value };
            }
            return slot;
        }

        private void MispObject(JsonElement obj, JsonArray eventMarkings, Audience access)
        {
            if (Uuid(obj) is not { } uuid)
            {
                _loss.Dropped("Object (no uuid)", "Object", "an object needs a uuid");
                return;
            }
            string where = $"Object {uuid}";
            ReportUnknown(obj, where, "Object", ObjectFields, []);
            string time = Time(obj, "timestamp") ?? _eventTime;
            var attributes = Array(obj, "Attribute").Where(a => !(a.TryGetProperty("deleted", out var d) && (d.ValueKind == JsonValueKind.True || d.ToString() == "1"))).ToList();
            var (markings, labels) = Tags(obj, where, eventMarkings);
            foreach (var a in attributes)
            {
                // Tags on an object's attributes: the strictest TLP marks the whole object; labels gather on it.
                var (m, l) = Tags(a, $"Attribute {Uuid(a)}", markings);
                markings = m;
                labels.AddRange(l.Where(x => !labels.Contains(x)));
            }
            var objectAccess = Access(obj, where, markings, access);
            string id = _stixIdOf[uuid];
            string sdoType = id[..id.IndexOf("--", StringComparison.Ordinal)];
            var o = Sdo(sdoType, id, time, markings, objectAccess);
            if (labels.Count > 0)
            {
                o["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]);
            }
            var slots = attributes.Where(a => MispTypes.Find(Str(a, "type") ?? "") is not null && Str(a, "value") is not null)
                .SelectMany(a => SlotsOf(MispTypes.Find(Str(a, "type")!)!, Str(a, "value")!, where)).ToList();
            string name = Str(obj, "name") ?? "object";
            switch (sdoType)
            {
                case "indicator":
                    o["name"] = name;
                    o["pattern"] = Observables.Pattern(slots);
                    o["pattern_type"] = "stix";
                    o["pattern_version"] = "2.1";
                    o["valid_from"] = Seen(obj, "first_seen") ?? time;
                    break;
                case "observed-data":
                    var (roots, scos) = Observables.Scos(slots);
                    o["first_observed"] = Seen(obj, "first_seen") ?? time;
                    o["last_observed"] = Seen(obj, "last_seen") ?? o["first_observed"]!.DeepClone();
                    o["number_observed"] = 1;
                    o["object_refs"] = new JsonArray([.. roots.Select(r => (JsonNode)r)]);
                    AddScos(scos);
                    break;
                default:
                    o["abstract"] = name;
                    o["content"] = string.Join("\n", attributes.Select(a => $"{Str(a, "object_relation") ?? Str(a, "type")}: {Str(a, "value")}"));
                    o["object_refs"] = new JsonArray(_reportId);
                    _loss.Approximated(where, $"Object {name}", "no observable attribute: a note listing the attributes");
                    break;
            }
            if (Str(obj, "comment") is { Length: > 0 } comment)
            {
                o[sdoType == "indicator" ? "description" : "x_misp_comment"] = comment;
            }
            o["x_misp_object_name"] = name;
            o["x_misp_meta_category"] = Str(obj, "meta-category");
            if (Str(obj, "template_uuid") is { } template)
            {
                o["x_misp_template_uuid"] = template;
            }
            Keep(o, where, obj, "distribution");
            // Each attribute's own MISP facts (which relation, category, to_ids, comment) have no place in a pattern
            // or an SCO: they travel beside it, so that MISP receives the object exactly as it was.
            o["x_misp_attributes"] = new JsonArray([.. attributes.Select(a => (JsonNode)new JsonObject
            {
                ["uuid"] = Uuid(a), ["type"] = Str(a, "type"), ["object_relation"] = Str(a, "object_relation"), ["category"] = Str(a, "category"),
                ["value"] = Str(a, "value"), ["to_ids"] = ToIds(a), ["comment"] = Str(a, "comment") ?? "", ["timestamp"] = Str(a, "timestamp") ?? Num(a, "timestamp"),
                ["Tag"] = new JsonArray([.. Array(a, "Tag").Select(t => (JsonNode)new JsonObject { ["name"] = Str(t, "name") })]),
            })]);
            _loss.Kept(where, "Object attributes' relation, category, to_ids and comment", "x_misp_attributes beside the pattern or SCOs");
            Emit(o);
            _refs.Add(id);
            foreach (var a in attributes)
            {
                foreach (var s in Array(a, "Sighting"))
                {
                    Sighting(s, Uuid(a));
                }
            }
        }

        private void References(JsonElement obj)
        {
            if (Uuid(obj) is not { } uuid)
            {
                return;
            }
            foreach (var r in Array(obj, "ObjectReference"))
            {
                string where = $"ObjectReference {Uuid(r)}";
                if (Str(r, "referenced_uuid") is not { } target || !_stixIdOf.TryGetValue(target, out var targetId))
                {
                    _loss.Dropped(where, "ObjectReference", "refers to nothing in this event");
                    continue;
                }
                string kind = Str(r, "relationship_type") ?? "related-to";
                string type = new([.. kind.ToLowerInvariant().Select(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-')]);
                if (type != kind)
                {
                    _loss.Kept(where, "ObjectReference.relationship_type", "rewritten to STIX's lowercase-and-hyphens form; the original in x_misp_relationship_type");
                }
                string time = Time(r, "timestamp") ?? Time(obj, "timestamp") ?? _eventTime;
                var rel = new JsonObject
                {
                    ["type"] = "relationship", ["spec_version"] = "2.1", ["id"] = $"relationship--{Uuid(r) ?? Guid.NewGuid().ToString()}",
                    ["created"] = time, ["modified"] = time, ["relationship_type"] = type,
                    ["source_ref"] = _stixIdOf[uuid], ["target_ref"] = targetId,
                };
                if (type != kind)
                {
                    rel["x_misp_relationship_type"] = kind;
                }
                if (Str(r, "comment") is { Length: > 0 } comment)
                {
                    rel["description"] = comment;
                }
                if (_createdBy is not null)
                {
                    rel["created_by_ref"] = _createdBy;
                }
                CopyMarkings(rel, _stixIdOf[uuid]);
                Emit(rel);
                _refs.Add(rel["id"]!.GetValue<string>());
            }
        }

        // A relationship is as confidential as the object it starts from.
        private void CopyMarkings(JsonObject rel, string sourceId)
        {
            if (_byId.GetValueOrDefault(sourceId) is { } source)
            {
                foreach (string key in new[] { "object_marking_refs", "x_perisai_recipients" })
                {
                    if (source[key] is { } v)
                    {
                        rel[key] = v.DeepClone();
                    }
                }
            }
        }

        // Galaxy clusters to SDOs by the galaxy's type; returns the clusters' tag names, which the event's tags repeat.
        private HashSet<string> Galaxies(JsonElement holder, JsonArray markings, Audience access)
        {
            var tags = new HashSet<string>(StringComparer.Ordinal);
            foreach (var galaxy in Array(holder, "Galaxy"))
            {
                string galaxyType = Str(galaxy, "type") ?? "";
                foreach (var cluster in Array(galaxy, "GalaxyCluster"))
                {
                    if (Uuid(cluster) is not { } uuid || Str(cluster, "value") is not { } value)
                    {
                        continue;
                    }
                    string where = $"GalaxyCluster {uuid}";
                    if (Str(cluster, "tag_name") is { } tagName)
                    {
                        tags.Add(tagName);
                    }
                    string? sdoType = GalaxySdo(galaxyType);
                    if (sdoType is null)
                    {
                        _loss.Approximated(where, $"Galaxy type {galaxyType}", "no matching SDO: kept as the event's label " + (Str(cluster, "tag_name") ?? value));
                        tags.Remove(Str(cluster, "tag_name") ?? "");
                        continue;
                    }
                    string time = Time(cluster, "timestamp") ?? _eventTime;
                    var o = Sdo(sdoType, $"{sdoType}--{uuid}", time, markings, access);
                    o["name"] = value;
                    if (Str(cluster, "description") is { Length: > 0 } d)
                    {
                        o["description"] = d;
                    }
                    if (sdoType == "malware")
                    {
                        o["is_family"] = true;
                    }
                    if (cluster.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object)
                    {
                        if (sdoType is "malware" or "threat-actor" or "intrusion-set" or "tool" or "campaign"
                            && meta.TryGetProperty("synonyms", out var syn) && syn.ValueKind == JsonValueKind.Array)
                        {
                            o["aliases"] = new JsonArray([.. syn.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => (JsonNode)s.GetString()!)]);
                        }
                        if (meta.TryGetProperty("external_id", out var ext) && ext.ValueKind == JsonValueKind.Array && ext.GetArrayLength() > 0)
                        {
                            o["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "mitre-attack", ["external_id"] = ext[0].GetString() });
                        }
                        o["x_misp_galaxy_meta"] = JsonNode.Parse(meta.GetRawText());
                        _loss.Kept(where, "GalaxyCluster.meta", "synonyms as aliases, external_id as an external reference, all of it in x_misp_galaxy_meta");
                    }
                    o["x_misp_galaxy_type"] = galaxyType;
                    o["x_misp_galaxy_name"] = Str(galaxy, "name");
                    o["x_misp_tag_name"] = Str(cluster, "tag_name");
                    Emit(o);
                    _refs.Add(o["id"]!.GetValue<string>());
                }
            }
            return tags;
        }

        private static string? GalaxySdo(string galaxyType) => galaxyType switch
        {
            "mitre-attack-pattern" or "attack-pattern" => "attack-pattern",
            "mitre-intrusion-set" or "intrusion-set" => "intrusion-set",
            "threat-actor" or "mitre-threat-actor" => "threat-actor",
            "mitre-malware" or "malpedia" or "ransomware" or "banker" or "botnet" or "rat" or "stealer" or "android" or "backdoor" or "malware" => "malware",
            "mitre-tool" or "tool" or "mitre-enterprise-attack-tool" => "tool",
            "mitre-course-of-action" or "course-of-action" => "course-of-action",
            "campaign" => "campaign",
            _ => null,
        };

        // Type 0 is a sighting (§5.1 of STIX's SROs); 1, a false positive, is an opinion that disagrees; 2, an expiration,
        // has no counterpart.
        private void Sighting(JsonElement s, string? attributeUuid)
        {
            string where = $"Sighting {Uuid(s)}";
            if (attributeUuid is null || !_stixIdOf.TryGetValue(attributeUuid, out var target))
            {
                _loss.Dropped(where, "Sighting", "of nothing in this event");
                return;
            }
            string kind = Str(s, "type") ?? Num(s, "type") ?? "0";
            string time = Time(s, "date_sighting") ?? _eventTime;
            string? org = s.TryGetProperty("Organisation", out var o) ? Uuid(o) : null;
            string id = Uuid(s) ?? Guid.NewGuid().ToString();
            if (kind == "2")
            {
                _loss.Dropped(where, "Sighting type 2 (expiration)", "no STIX counterpart");
                return;
            }
            var obj = kind == "1"
                ? new JsonObject
                {
                    ["type"] = "opinion", ["spec_version"] = "2.1", ["id"] = $"opinion--{id}", ["created"] = time, ["modified"] = time,
                    ["opinion"] = "strongly-disagree", ["explanation"] = "MISP false-positive sighting", ["object_refs"] = new JsonArray(target),
                }
                : new JsonObject
                {
                    ["type"] = "sighting", ["spec_version"] = "2.1", ["id"] = $"sighting--{id}", ["created"] = time, ["modified"] = time,
                    ["sighting_of_ref"] = target, ["count"] = 1, ["first_seen"] = time, ["last_seen"] = time,
                };
            if (kind == "1")
            {
                _loss.Approximated(where, "Sighting type 1 (false positive)", "an opinion strongly disagreeing with the indicator");
            }
            if (org is not null)
            {
                string identity = $"identity--{org}";
                if (!_byId.ContainsKey(identity))
                {
                    Emit(new JsonObject
                    {
                        ["type"] = "identity", ["spec_version"] = "2.1", ["id"] = identity, ["created"] = time, ["modified"] = time,
                        ["name"] = Str(o, "name") ?? org, ["identity_class"] = "organization",
                    });
                    _refs.Add(identity);
                }
                obj[kind == "1" ? "created_by_ref" : "where_sighted_refs"] = kind == "1" ? identity : new JsonArray(identity);
            }
            if (Str(s, "source") is { Length: > 0 } source)
            {
                obj["x_misp_source"] = source;
            }
            CopyMarkings(obj, target);
            Emit(obj);
        }

        private void AddScos(List<JsonObject> scos)
        {
            foreach (var sco in scos)
            {
                string id = sco["id"]!.GetValue<string>();
                if (!_byId.ContainsKey(id))
                {
                    Emit(sco);
                }
            }
        }

        // Every object made, in order, and by id: relationships and sightings look up what they point at, and an event
        // of thousands of attributes must not search the list for each.
        private void Emit(JsonObject o)
        {
            _out.Add(o);
            _byId.TryAdd(o["id"]!.GetValue<string>(), o);
        }

        private JsonObject Sdo(string type, string id, string time, JsonArray markings, Audience access)
        {
            var o = new JsonObject { ["type"] = type, ["spec_version"] = "2.1", ["id"] = id, ["created"] = time, ["modified"] = time };
            if (_createdBy is not null)
            {
                o["created_by_ref"] = _createdBy;
            }
            var all = markings.Select(m => m!.GetValue<string>()).ToList();
            if (access.Floor is { } floor && TlpMarkings.Strictest(all) < floor)
            {
                all = [.. all.Where(m => TlpMarkings.LevelOf(m) == TlpLevel.None), MarkingOf(floor)];
            }
            if (all.Count > 0)
            {
                o["object_marking_refs"] = new JsonArray([.. all.Select(m => (JsonNode)m)]);
            }
            if (access.Recipients is { Count: > 0 } recipients)
            {
                o["x_perisai_recipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)r)]);
            }
            return o;
        }

        /// <summary>What MISP's distribution means here: a floor on the TLP, and explicit recipients for a sharing group.</summary>
        private readonly record struct Audience(TlpLevel? Floor, IReadOnlyList<string>? Recipients);

        private Audience Access(JsonElement item, string where, JsonArray markings, Audience? inherited)
        {
            string? distribution = Str(item, "distribution") ?? Num(item, "distribution");
            switch (distribution)
            {
                case "0":
                    _loss.Approximated(where, "distribution 0 (this organization only)", "TLP:AMBER+STRICT with no recipients: only the producer reads it");
                    return new Audience(TlpLevel.AmberStrict, null);
                case "4":
                    string? name = null, uuid = null;
                    if (item.TryGetProperty("SharingGroup", out var g) && g.ValueKind == JsonValueKind.Object)
                    {
                        name = Str(g, "name");
                        uuid = Str(g, "uuid");
                    }
                    if (options.SharingGroup(name, uuid) is { } members)
                    {
                        _loss.Approximated(where, "distribution 4 (sharing group)", "TLP:AMBER with the mapped community's organizations as recipients");
                        return new Audience(TlpLevel.Amber, members);
                    }
                    if (inherited is { } i)
                    {
                        return i;
                    }
                    _loss.Approximated(where, "distribution 4 (sharing group)", "no community maps to the sharing group: kept to the producer (TLP:AMBER+STRICT)");
                    return new Audience(TlpLevel.AmberStrict, null);
                case null or "5":
                    return inherited ?? new Audience(null, null);
                default:
                    _loss.Approximated(where, $"distribution {distribution}", "the collection's grants and the TLP marking decide; the level kept as x_misp_distribution");
                    return inherited is { Floor: not null } strict ? strict : new Audience(null, null);
            }
        }

        private static string MarkingOf(TlpLevel level) => level switch
        {
            TlpLevel.Clear => TlpMarkings.Clear,
            TlpLevel.Green => TlpMarkings.Green,
            TlpLevel.Amber => TlpMarkings.Amber,
            TlpLevel.AmberStrict => TlpMarkings.AmberStrict,
            _ => TlpMarkings.Red,
        };

        // tlp:* tags become TLP 2.0 marking refs (the strictest wins, TLP 2.0 ids); every other tag a label.
        private (JsonArray Markings, List<string> Labels) Tags(JsonElement holder, string where, JsonArray? inherited = null)
        {
            var levels = new List<TlpLevel>();
            var labels = new List<string>();
            foreach (var tag in Array(holder, "Tag"))
            {
                if (Str(tag, "name") is not { } name)
                {
                    continue;
                }
                if (name.StartsWith("tlp:", StringComparison.OrdinalIgnoreCase) && TlpMarkings.TryParseName(name[4..], out var level))
                {
                    levels.Add(level);
                }
                else
                {
                    labels.Add(name);
                    if (name.StartsWith("PAP:", StringComparison.OrdinalIgnoreCase))
                    {
                        _loss.Approximated(where, "PAP tag", "STIX 2.1 has no PAP marking: a label");
                    }
                }
            }
            if (levels.Count == 0)
            {
                return (inherited is null ? [] : (JsonArray)inherited.DeepClone(), labels);
            }
            var strictest = levels.Max();
            var inheritedLevel = inherited is null ? TlpLevel.None : TlpMarkings.Strictest(inherited.Select(m => m!.GetValue<string>()));
            return (new JsonArray(MarkingOf(inheritedLevel > strictest ? inheritedLevel : strictest)), labels);
        }

        private void ReportUnknown(JsonElement item, string where, string kind, HashSet<string> known, HashSet<string> local)
        {
            foreach (var p in item.EnumerateObject())
            {
                if (local.Contains(p.Name))
                {
                    continue; // database ids and caches of the instance: nothing a reader loses
                }
                if (!known.Contains(p.Name))
                {
                    _loss.Dropped(where, $"{kind}.{p.Name}", "no counterpart in the mapping table");
                }
            }
        }

        private void Keep(JsonObject target, string where, JsonElement item, params string[] fields)
        {
            foreach (string f in fields)
            {
                if ((Str(item, f) ?? Num(item, f)) is { } v)
                {
                    target[$"x_misp_{f}"] = v;
                    _loss.Kept(where, f, $"x_misp_{f}");
                }
            }
        }
    }

    internal const string Epoch = "1970-01-01T00:00:00.000Z";

    internal static bool ToIds(JsonElement a) => a.TryGetProperty("to_ids", out var t) && (t.ValueKind == JsonValueKind.True || t.ToString() is "1" or "true");

    internal static IEnumerable<JsonElement> Array(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    internal static string? Str(JsonElement o, string name) => Observables.Str(o, name);

    internal static string? Num(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null;

    private static string? Uuid(JsonElement o) => Str(o, "uuid") is { } u && Guid.TryParse(u, out var g) ? g.ToString() : null;

    /// <summary>A MISP epoch-seconds field (string or number) as a STIX timestamp with milliseconds (§3.2).</summary>
    internal static string? Time(JsonElement o, string name) =>
        (Str(o, name) ?? Num(o, name)) is { } s && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            ? Format(DateTimeOffset.FromUnixTimeSeconds(seconds))
            : null;

    private static string? DateOnlyTime(string? date) =>
        DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? Format(new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))
            : null;

    // first_seen/last_seen: ISO 8601 with microseconds and an offset; STIX wants UTC with a Z, any precision (§3.2).
    private static string? Seen(JsonElement o, string name) =>
        Str(o, name) is { Length: > 0 } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)
            : null;

    internal static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
