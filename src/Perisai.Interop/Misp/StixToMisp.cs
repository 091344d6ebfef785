using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Patterning;
using Perisai.Patterning.Syntax;
using Perisai.Stix.Identifiers;
using Perisai.Stix.Markings;

namespace Perisai.Interop.Misp;

/// <summary>MISP events made from STIX, and what did not carry over.</summary>
public sealed record MispConversion(IReadOnlyList<JsonObject> Events, LossReport Loss);

/// <summary>
/// STIX 2.1 to MISP core-format events, the inverse of <see cref="MispToStix"/> for what it wrote (its <c>x_misp_*</c>
/// properties are read back) and the mapping table's reading of anyone else's STIX: each report an event with the
/// objects it refers to; objects in no report gathered into one event.
/// </summary>
public static class StixToMisp
{
    /// <summary>Converts a bundle's objects.</summary>
    public static MispConversion Convert(IReadOnlyList<JsonElement> objects, string leftoverInfo = "STIX objects without a report")
    {
        ArgumentNullException.ThrowIfNull(objects);
        // Both forms of what MISP conversion kept: the MISP property extension, and x_misp_* properties (older data).
        objects = [.. objects.Where(o => Observables.Str(o, "id") is not (MispExtension.Id or MispExtension.PublisherId)).Select(MispExtension.Lift)];
        var byId = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var o in objects)
        {
            if (Observables.Str(o, "id") is { } id)
            {
                byId[id] = o;
            }
        }
        var loss = new LossReport();
        var events = new List<JsonObject>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in objects.Where(o => Observables.Str(o, "type") == "report"))
        {
            var members = MispToStix.Array(report, "object_refs").Select(r => r.GetString()).OfType<string>()
                .Where(byId.ContainsKey).Select(r => byId[r]).ToList();
            // Sightings and relationships point at members; they travel with them.
            var memberIds = members.Select(m => Observables.Str(m, "id")!).ToHashSet(StringComparer.Ordinal);
            members.AddRange(objects.Where(o => Observables.Str(o, "type") is "sighting" or "relationship" or "opinion"
                && Targets(o).Any(memberIds.Contains) && !memberIds.Contains(Observables.Str(o, "id")!)));
            placed.UnionWith(members.Select(m => Observables.Str(m, "id")!));
            placed.Add(Observables.Str(report, "id")!);
            events.Add(new EventBuilder(loss, id => byId.TryGetValue(id, out var e) ? e : null).Build(report, members));
        }
        var rest = objects.Where(o => !placed.Contains(Observables.Str(o, "id") ?? "")).ToList();
        if (rest.Any(o => Observables.Str(o, "type") is not ("identity" or "marking-definition" or "extension-definition") && !IsSco(o)))
        {
            events.Add(new EventBuilder(loss, id => byId.TryGetValue(id, out var e) ? e : null).Build(null, rest, leftoverInfo));
        }
        loss.Converted = events.Count;
        return new MispConversion(events, loss);
    }

    private static IEnumerable<string> Targets(JsonElement o) =>
        new[] { Observables.Str(o, "sighting_of_ref"), Observables.Str(o, "source_ref") }.OfType<string>()
            .Concat(MispToStix.Array(o, "object_refs").Select(r => r.GetString()).OfType<string>());

    internal static bool IsSco(JsonElement o) => Observables.Str(o, "type") is { } t && !t.Contains("--", StringComparison.Ordinal)
        && Observables.Str(o, "created") is null && Observables.Str(o, "id") is { } id && (id.StartsWith(t + "--", StringComparison.Ordinal))
        && Observables.Str(o, "type") is not ("relationship" or "sighting");

    /// <summary>Builds one event; also used by the feed writer, which gathers objects in its own way.</summary>
    internal sealed class EventBuilder(LossReport loss, Func<string, JsonElement?> resolve)
    {
        private readonly JsonArray _attributes = [];
        private readonly JsonArray _objects = [];
        private readonly JsonArray _galaxies = [];
        private readonly Dictionary<string, JsonObject> _attributeByUuid = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, JsonObject> _objectByUuid = new(StringComparer.OrdinalIgnoreCase);
        private string _eventTlp = "";

        private long _latest;

        public JsonObject Build(JsonElement? report, IReadOnlyList<JsonElement> members, string? info = null)
        {
            Begin(report);
            foreach (var m in members.Where(m => !IsRelated(m)))
            {
                Add(m);
            }
            foreach (var m in members.Where(IsRelated))
            {
                AddRelated(m);
            }
            return Finish(report, info);
        }

        /// <summary>Takes the event's TLP from its report: attributes repeat only a different one.</summary>
        public void Begin(JsonElement? report)
        {
            if (report is { } r)
            {
                _eventTlp = Tags(r).Select(t => t!["name"]!.GetValue<string>()).FirstOrDefault(t => t.StartsWith("tlp:", StringComparison.Ordinal)) ?? "";
            }
        }

        /// <summary>Sightings, relationships and opinions: they attach to what an event already holds.</summary>
        public static bool IsRelated(JsonElement o) => Observables.Str(o, "type") is "sighting" or "relationship" or "opinion";

        /// <summary>The event, from the report (when there is one) and what was added.</summary>
        public JsonObject Finish(JsonElement? report, string? info = null)
        {
            var ev = new JsonObject();
            string uuid;
            long latest = _latest;
            if (report is { } r)
            {
                uuid = UuidOf(Observables.Str(r, "id")!);
                ev["uuid"] = uuid;
                ev["info"] = Observables.Str(r, "name") ?? uuid;
                ev["date"] = (Observables.Str(r, "created") ?? "1970-01-01")[..10];
                latest = Epoch(Observables.Str(r, "modified"));
                ev["timestamp"] = latest.ToString(CultureInfo.InvariantCulture);
                ev["publish_timestamp"] = Epoch(Observables.Str(r, "published")).ToString(CultureInfo.InvariantCulture);
                ev["published"] = !r.TryGetProperty("x_misp_published", out var p) || p.ValueKind != JsonValueKind.False;
                ev["threat_level_id"] = Observables.Str(r, "x_misp_threat_level_id") ?? "4";
                ev["analysis"] = Observables.Str(r, "x_misp_analysis") ?? "2";
                ev["distribution"] = Observables.Str(r, "x_misp_distribution") ?? "1";
                if (Observables.Str(r, "created_by_ref") is { } creator && resolve(creator) is { } identity)
                {
                    ev["Orgc"] = new JsonObject { ["name"] = Observables.Str(identity, "name"), ["uuid"] = UuidOf(creator) };
                }
                if (r.TryGetProperty("x_misp_sharing_group", out var g) && g.ValueKind == JsonValueKind.Object)
                {
                    ev["SharingGroup"] = JsonNode.Parse(g.GetRawText());
                }
                ev["Tag"] = Tags(r);
                if (Observables.Str(r, "description") is { Length: > 0 })
                {
                    loss.Dropped(Observables.Str(r, "id")!, "report.description", "a MISP event has no description");
                }
            }
            else
            {
                // Named by its info, so that a feed regenerated tomorrow updates the same event instead of adding one.
                uuid = ScoIdentifier.Uuid5(LeftoverNamespace, System.Text.Encoding.UTF8.GetBytes(info ?? "")).ToString();
                ev["uuid"] = uuid;
                ev["info"] = info;
                ev["published"] = true;
                ev["threat_level_id"] = "4";
                ev["analysis"] = "2";
                ev["distribution"] = "1";
                ev["Tag"] = new JsonArray();
            }
            if (report is null)
            {
                ev["date"] = DateTimeOffset.FromUnixTimeSeconds(latest).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                ev["timestamp"] = latest.ToString(CultureInfo.InvariantCulture);
                ev["publish_timestamp"] = latest.ToString(CultureInfo.InvariantCulture);
            }
            ev["Attribute"] = _attributes;
            ev["Object"] = _objects;
            if (_galaxies.Count > 0)
            {
                ev["Galaxy"] = _galaxies;
            }
            return ev;
        }

        public int AttributeCount => _attributes.Count + _objects.Count;

        /// <summary>Adds one STIX object (not an SRO) to the event.</summary>
        public void Add(JsonElement o)
        {
            _latest = Math.Max(_latest, Epoch(Observables.Str(o, "modified")));
            string id = Observables.Str(o, "id") ?? "";
            string type = Observables.Str(o, "type") ?? "";
            switch (type)
            {
                case "indicator" or "observed-data" when o.TryGetProperty("x_misp_attributes", out var attrs) && attrs.ValueKind == JsonValueKind.Array:
                    MispObject(o, attrs);
                    break;
                case "indicator":
                    Indicator(o);
                    break;
                case "observed-data":
                    ObservedData(o);
                    break;
                case "vulnerability" or "threat-actor" or "campaign" when Observables.Str(o, "x_misp_galaxy_type") is null:
                    var a = Attribute(o, type == "campaign" ? "campaign-name" : type, Observables.Str(o, "name") ?? "", MispToStix.ToIds(o) || XToIds(o));
                    a["comment"] = Observables.Str(o, "description") ?? "";
                    break;
                case "malware" or "tool" or "attack-pattern" or "intrusion-set" or "course-of-action" or "threat-actor" or "campaign" or "vulnerability":
                    Cluster(o, type);
                    break;
                case "note":
                    var n = Attribute(o, Observables.Str(o, "x_misp_type") ?? "text", Observables.Str(o, "content") ?? "", XToIds(o));
                    n["comment"] = Observables.Str(o, "abstract") ?? "";
                    if (Observables.Str(o, "x_misp_type") is null)
                    {
                        loss.Approximated(id, "note", "a text attribute with the note's content");
                    }
                    break;
                case "identity" or "marking-definition" or "extension-definition" or "report":
                    break;
                default:
                    if (!IsSco(o))
                    {
                        loss.Dropped(id, type, "no MISP counterpart in the mapping table");
                    }
                    break;
            }
        }

        private static bool XToIds(JsonElement o) => o.TryGetProperty("x_misp_to_ids", out var t) && t.ValueKind == JsonValueKind.True;

        private JsonObject Attribute(JsonElement o, string type, string value, bool toIds, string? uuid = null)
        {
            string id = Observables.Str(o, "id")!;
            var a = new JsonObject
            {
                ["uuid"] = uuid ?? UuidOf(id),
                ["type"] = type,
                ["category"] = Observables.Str(o, "x_misp_category") ?? MispTypes.Find(type)?.Category ?? "Other",
                ["value"] = value,
                ["to_ids"] = toIds,
                ["comment"] = Observables.Str(o, "description") ?? Observables.Str(o, "x_misp_comment") ?? "",
                ["timestamp"] = Epoch(Observables.Str(o, "modified")).ToString(CultureInfo.InvariantCulture),
                ["distribution"] = Observables.Str(o, "x_misp_distribution") ?? "5",
            };
            var tags = Tags(o);
            // The event's TLP covers its attributes: only a different one is repeated on the attribute.
            var own = new JsonArray([.. tags.Where(t => t!["name"]!.GetValue<string>() != _eventTlp).Select(t => t!.DeepClone())]);
            if (own.Count > 0)
            {
                a["Tag"] = own;
            }
            DropUnmapped(o, id);
            _attributes.Add(a);
            _attributeByUuid[a["uuid"]!.GetValue<string>()] = a;
            return a;
        }

        private void Indicator(JsonElement o)
        {
            string id = Observables.Str(o, "id")!;
            string patternType = Observables.Str(o, "pattern_type") ?? "stix";
            string pattern = Observables.Str(o, "pattern") ?? "";
            string? hint = Observables.Str(o, "x_misp_type");
            JsonObject a;
            if (patternType != "stix")
            {
                string type = patternType switch { "yara" or "snort" or "sigma" => patternType, "suricata" => "snort", _ => "text" };
                if (type != patternType)
                {
                    loss.Approximated(id, $"pattern_type {patternType}", $"a MISP {type} attribute");
                }
                a = Attribute(o, type, pattern, true);
            }
            else if (StixPattern.TryParse(pattern, out var parsed, out _) && Conjunction(parsed!.Root) is { } slots
                && MispTypes.Match([.. slots.Select(s => s.Path)], hint) is { } mapped)
            {
                a = Attribute(o, mapped.Name, ValueOf(mapped, slots), true);
            }
            else
            {
                a = Attribute(o, "stix2-pattern", pattern, true);
                if (hint is not null && hint != "stix2-pattern")
                {
                    loss.Approximated(id, "pattern", "not one attribute's worth of comparisons: a stix2-pattern attribute");
                }
            }
            if (Observables.Str(o, "valid_from") is { } from && from != Observables.Str(o, "created"))
            {
                a["first_seen"] = from;
            }
            if (Observables.Str(o, "x_misp_last_seen") is { } last)
            {
                a["last_seen"] = last;
            }
            if (Observables.Str(o, "valid_until") is not null)
            {
                loss.Dropped(id, "indicator.valid_until", "MISP attributes do not expire (MISP's decay models are separate)");
            }
            if (Observables.Str(o, "name") is { } name && name != a["value"]!.GetValue<string>() && !name.EndsWith(" rule", StringComparison.Ordinal))
            {
                loss.Dropped(id, "indicator.name", "a MISP attribute has no name");
            }
        }

        // A pattern that is one observation (or observations joined by AND) of ANDed equality comparisons: the slots.
        private static List<Slot>? Conjunction(ObservationExpression e)
        {
            var slots = new List<Slot>();
            bool Observe(ObservationExpression x) => x switch
            {
                ObservationTest t => Compare(t.Comparison),
                ObservationGroup { Operator: ObservationOperator.And } g => g.Operands.All(Observe),
                _ => false,
            };
            bool Compare(ComparisonExpression c) => c switch
            {
                ComparisonGroup { Operator: BooleanOperator.And } g => g.Operands.All(Compare),
                PropertyComparison { Negated: false, Operator: ComparisonOperator.Equal } p when Literal(p.Value) is { } v => Add(p.Path, v),
                _ => false,
            };
            bool Add(ObjectPath path, string value)
            {
                slots.Add(new Slot(TablePath(path), value));
                return true;
            }
            return Observe(e) ? slots : null;
        }

        private static string? Literal(Literal l) => l switch
        {
            StringLiteral s => s.Value,
            IntegerLiteral n => n.Value.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };

        private static string TablePath(ObjectPath path)
        {
            string type = path.ObjectType is "ipv4-addr" or "ipv6-addr" ? MispTypes.AnyAddress : path.ObjectType;
            var keys = new List<string>();
            for (int i = 0; i < path.Steps.Count; i++)
            {
                switch (path.Steps[i])
                {
                    case KeyStep k:
                        keys.Add(i > 0 && path.Steps[i - 1] is KeyStep { Name: "hashes" } ? MispTypes.HashName(k.Name) : k.Name);
                        break;
                    case AnyIndexStep or IndexStep when keys.Count > 0:
                        keys[^1] += "[*]";
                        break;
                }
            }
            return $"{type}:{string.Join('.', keys)}";
        }

        private static string ValueOf(MispType type, List<Slot> slots) =>
            string.Join('|', type.Paths.Select(p => slots.First(s => s.Path == p).Value));

        private void ObservedData(JsonElement o)
        {
            string id = Observables.Str(o, "id")!;
            var slots = new List<Slot>();
            foreach (var r in MispToStix.Array(o, "object_refs"))
            {
                if (r.GetString() is { } rid && resolve(rid) is { } sco)
                {
                    slots.AddRange(Observables.Flatten(sco, resolve));
                }
            }
            if (slots.Count == 0)
            {
                loss.Dropped(id, "observed-data", "its objects are not in the export or have no mapped property");
                return;
            }
            bool toIds = XToIds(o);
            if (MispTypes.Match([.. slots.Select(s => s.Path)], Observables.Str(o, "x_misp_type")) is { } mapped && slots.Count == mapped.Paths.Length)
            {
                Attribute(o, mapped.Name, ValueOf(mapped, slots), toIds);
                return;
            }
            // Several properties that no one MISP type holds: one attribute each.
            loss.Approximated(id, "observed-data", "several observables: one attribute per value");
            int n = 0;
            foreach (var slot in slots)
            {
                if (MispTypes.Match([slot.Path], null) is { } single)
                {
                    string uuid = n++ == 0 ? UuidOf(id) : ScoIdentifier.Uuid5(Guid.Parse(UuidOf(id)), System.Text.Encoding.UTF8.GetBytes(slot.Path + "=" + slot.Value)).ToString();
                    Attribute(o, single.Name, slot.Value, toIds, uuid);
                }
                else
                {
                    loss.Dropped(id, slot.Path, "no MISP type holds it");
                }
            }
        }

        private void MispObject(JsonElement o, JsonElement attrs)
        {
            string id = Observables.Str(o, "id")!;
            var obj = new JsonObject
            {
                ["uuid"] = UuidOf(id),
                ["name"] = Observables.Str(o, "x_misp_object_name") ?? "object",
                ["meta-category"] = Observables.Str(o, "x_misp_meta_category") ?? "misc",
                ["comment"] = Observables.Str(o, "description") ?? Observables.Str(o, "x_misp_comment") ?? "",
                ["timestamp"] = Epoch(Observables.Str(o, "modified")).ToString(CultureInfo.InvariantCulture),
                ["distribution"] = Observables.Str(o, "x_misp_distribution") ?? "5",
            };
            if (Observables.Str(o, "x_misp_template_uuid") is { } template)
            {
                obj["template_uuid"] = template;
            }
            var list = new JsonArray();
            foreach (var a in attrs.EnumerateArray())
            {
                var copy = (JsonObject)JsonNode.Parse(a.GetRawText())!;
                if (copy["Tag"] is JsonArray { Count: 0 })
                {
                    copy.Remove("Tag");
                }
                list.Add(copy);
            }
            obj["Attribute"] = list;
            obj["ObjectReference"] = new JsonArray();
            var first = Observables.Str(o, "type") == "indicator" ? Observables.Str(o, "valid_from") : Observables.Str(o, "first_observed");
            if (first is not null && first != Observables.Str(o, "created"))
            {
                obj["first_seen"] = first;
            }
            _objects.Add(obj);
            _objectByUuid[obj["uuid"]!.GetValue<string>()] = obj;
            foreach (var a in list)
            {
                _attributeByUuid[a!["uuid"]!.GetValue<string>()] = (JsonObject)a;
            }
        }

        private void Cluster(JsonElement o, string type)
        {
            string id = Observables.Str(o, "id")!;
            string galaxyType = Observables.Str(o, "x_misp_galaxy_type") ?? type switch
            {
                "attack-pattern" => "mitre-attack-pattern",
                "intrusion-set" => "mitre-intrusion-set",
                "course-of-action" => "mitre-course-of-action",
                "tool" => "mitre-tool",
                "malware" => "mitre-malware",
                _ => type,
            };
            string name = Observables.Str(o, "name") ?? "";
            var cluster = new JsonObject
            {
                ["uuid"] = UuidOf(id),
                ["type"] = galaxyType,
                ["value"] = name,
                ["tag_name"] = Observables.Str(o, "x_misp_tag_name") ?? $"misp-galaxy:{galaxyType}=\"{name}\"",
                ["description"] = Observables.Str(o, "description") ?? "",
            };
            if (o.TryGetProperty("x_misp_galaxy_meta", out var meta))
            {
                cluster["meta"] = JsonNode.Parse(meta.GetRawText());
            }
            else if (o.TryGetProperty("aliases", out var aliases) && aliases.ValueKind == JsonValueKind.Array)
            {
                cluster["meta"] = new JsonObject { ["synonyms"] = JsonNode.Parse(aliases.GetRawText()) };
            }
            var galaxy = _galaxies.OfType<JsonObject>().FirstOrDefault(g => g["type"]!.GetValue<string>() == galaxyType);
            if (galaxy is null)
            {
                galaxy = new JsonObject { ["name"] = Observables.Str(o, "x_misp_galaxy_name") ?? galaxyType, ["type"] = galaxyType, ["GalaxyCluster"] = new JsonArray() };
                _galaxies.Add(galaxy);
            }
            ((JsonArray)galaxy["GalaxyCluster"]!).Add(cluster);
        }

        public void AddRelated(JsonElement o)
        {
            string id = Observables.Str(o, "id")!;
            switch (Observables.Str(o, "type"))
            {
                case "sighting" when Observables.Str(o, "sighting_of_ref") is { } target && _attributeByUuid.GetValueOrDefault(UuidOf(target)) is { } attribute:
                    var sightings = attribute["Sighting"] as JsonArray ?? [];
                    attribute["Sighting"] = sightings;
                    var s = new JsonObject
                    {
                        ["uuid"] = UuidOf(id),
                        ["type"] = "0",
                        ["date_sighting"] = Epoch(Observables.Str(o, "first_seen") ?? Observables.Str(o, "created")).ToString(CultureInfo.InvariantCulture),
                        ["source"] = Observables.Str(o, "x_misp_source") ?? "",
                    };
                    if (MispToStix.Array(o, "where_sighted_refs").Select(r => r.GetString()).FirstOrDefault() is { } org)
                    {
                        s["Organisation"] = new JsonObject { ["uuid"] = UuidOf(org), ["name"] = resolve(org) is { } ident ? Observables.Str(ident, "name") : null };
                    }
                    if (o.TryGetProperty("count", out var count) && count.TryGetInt32(out int c) && c > 1)
                    {
                        loss.Approximated(id, "sighting.count", $"one MISP sighting stands for {c}");
                    }
                    sightings.Add(s);
                    break;
                case "opinion" when MispToStix.Array(o, "object_refs").Select(r => r.GetString()).FirstOrDefault() is { } target
                    && _attributeByUuid.GetValueOrDefault(UuidOf(target)) is { } attribute && Observables.Str(o, "opinion") is "strongly-disagree" or "disagree":
                    var list = attribute["Sighting"] as JsonArray ?? [];
                    attribute["Sighting"] = list;
                    var fp = new JsonObject
                    {
                        ["uuid"] = UuidOf(id),
                        ["type"] = "1",
                        ["date_sighting"] = Epoch(Observables.Str(o, "created")).ToString(CultureInfo.InvariantCulture),
                        ["source"] = "",
                    };
                    if (Observables.Str(o, "created_by_ref") is { } by)
                    {
                        fp["Organisation"] = new JsonObject { ["uuid"] = UuidOf(by), ["name"] = resolve(by) is { } ident ? Observables.Str(ident, "name") : null };
                    }
                    list.Add(fp);
                    break;
                case "relationship" when Observables.Str(o, "source_ref") is { } source && _objectByUuid.GetValueOrDefault(UuidOf(source)) is { } obj
                    && Observables.Str(o, "target_ref") is { } target:
                    ((JsonArray)obj["ObjectReference"]!).Add(new JsonObject
                    {
                        ["uuid"] = UuidOf(id),
                        ["referenced_uuid"] = UuidOf(target),
                        ["relationship_type"] = Observables.Str(o, "x_misp_relationship_type") ?? Observables.Str(o, "relationship_type"),
                        ["comment"] = Observables.Str(o, "description") ?? "",
                        ["timestamp"] = Epoch(Observables.Str(o, "modified")).ToString(CultureInfo.InvariantCulture),
                    });
                    break;
                default:
                    loss.Dropped(id, Observables.Str(o, "type") ?? "object", "MISP holds references only from objects, sightings only of attributes");
                    break;
            }
        }

        private static JsonArray Tags(JsonElement o)
        {
            var tags = new JsonArray();
            var level = TlpMarkings.Strictest(MispToStix.Array(o, "object_marking_refs").Select(r => r.GetString()).OfType<string>());
            if (level != TlpLevel.None)
            {
                tags.Add(new JsonObject { ["name"] = "tlp:" + TlpMarkings.NameOf(level).ToLowerInvariant() });
            }
            foreach (var label in MispToStix.Array(o, "labels"))
            {
                if (label.GetString() is { } l)
                {
                    tags.Add(new JsonObject { ["name"] = l });
                }
            }
            return tags;
        }

        private static readonly HashSet<string> Mapped = ["type", "spec_version", "id", "created", "modified", "created_by_ref", "object_marking_refs", "labels",
            "pattern", "pattern_type", "pattern_version", "valid_from", "valid_until", "name", "description", "first_observed", "last_observed", "number_observed",
            "object_refs", "content", "abstract", "is_family", "aliases", "revoked"];

        private void DropUnmapped(JsonElement o, string id)
        {
            foreach (var p in o.EnumerateObject())
            {
                if (!Mapped.Contains(p.Name) && !p.Name.StartsWith("x_misp_", StringComparison.Ordinal))
                {
                    loss.Dropped(id, $"{Observables.Str(o, "type")}.{p.Name}", "no MISP attribute field holds it");
                }
            }
        }
    }

    private static readonly Guid LeftoverNamespace = new("5b1f9f0e-5e7a-4c55-9d0b-6f1d8f2b7a11");

    /// <summary>The UUID part of a STIX id.</summary>
    internal static string UuidOf(string stixId) => stixId[(stixId.IndexOf("--", StringComparison.Ordinal) + 2)..];

    private static long Epoch(string? stixTime) =>
        stixTime is not null && DateTimeOffset.TryParse(stixTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUnixTimeSeconds() : 0;
}
