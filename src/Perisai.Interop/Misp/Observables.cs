using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Stix.Identifiers;

namespace Perisai.Interop.Misp;

/// <summary>One value at one table path (<see cref="MispTypes"/>), e.g. <c>file:hashes.MD5</c> = <c>44d8…</c>.</summary>
internal readonly record struct Slot(string Path, string Value)
{
    /// <summary>The SCO type at the root of the path, an address placeholder resolved by the value.</summary>
    public string ObjectType
    {
        get
        {
            string type = Path[..Path.IndexOf(':', StringComparison.Ordinal)];
            return type == MispTypes.AnyAddress ? Observables.AddressType(Value) : type;
        }
    }

    /// <summary>The path with an address placeholder resolved.</summary>
    public string ConcretePath => Path.StartsWith(MispTypes.AnyAddress + ":", StringComparison.Ordinal)
        ? ObjectType + Path[MispTypes.AnyAddress.Length..] : Path;
}

/// <summary>
/// Slots to STIX cyber-observable objects and patterns, and back (STIX 2.1 §6, §9). The inverse functions accept the
/// forms other producers write (either address family, quoted or unquoted hash names, SHA256 for SHA-256).
/// </summary>
internal static class Observables
{
    public static string AddressType(string value) => value.Contains(':', StringComparison.Ordinal) ? "ipv6-addr" : "ipv4-addr";

    /// <summary>
    /// The observation expressions for slots: slots on one object share one expression (ANDed comparisons), a second
    /// value for a path already taken opens another, and expressions are ANDed (§9.5).
    /// </summary>
    public static string Pattern(IEnumerable<Slot> slots)
    {
        var groups = Group(slots);
        return string.Join(" AND ", groups.Select(g => "[" + string.Join(" AND ", g.Select(s =>
            $"{MispTypes.PatternPath(s.ConcretePath)} = {Literal(s)}")) + "]"));
    }

    private static string Literal(Slot s) => MispTypes.IsInteger(s.Path) && long.TryParse(IntegerText(s.Value), NumberStyles.None, CultureInfo.InvariantCulture, out long n)
        ? n.ToString(CultureInfo.InvariantCulture)
        : "'" + s.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    // MISP writes AS numbers as "AS13335" as often as "13335".
    private static string IntegerText(string value) => value.StartsWith("AS", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;

    private static List<List<Slot>> Group(IEnumerable<Slot> slots)
    {
        var groups = new List<List<Slot>>();
        foreach (var slot in slots)
        {
            var home = groups.FirstOrDefault(g => g[0].ObjectType == slot.ObjectType && g.All(s => s.Path != slot.Path || s.Path.Contains("[*]", StringComparison.Ordinal)));
            if (home is null)
            {
                groups.Add(home = []);
            }
            home.Add(slot);
        }
        return groups;
    }

    /// <summary>
    /// The SCOs for slots, one object (with whatever it refers to) per group as in <see cref="Pattern"/>, each with its
    /// deterministic id (§2.9). Returns the root objects' ids and every object.
    /// </summary>
    public static (List<string> Roots, List<JsonObject> Objects) Scos(IEnumerable<Slot> slots)
    {
        var roots = new List<string>();
        var all = new List<JsonObject>();
        foreach (var group in Group(slots))
        {
            var root = new JsonObject { ["type"] = group[0].ObjectType, ["spec_version"] = "2.1" };
            var referenced = new List<JsonObject>();
            foreach (var slot in group)
            {
                Set(root, slot, referenced);
            }
            if (root["type"]!.GetValue<string>() == "network-traffic" && root["protocols"] is null)
            {
                root["protocols"] = new JsonArray("tcp");
            }
            if (root["type"]!.GetValue<string>() == "email-message" && root["is_multipart"] is null)
            {
                root["is_multipart"] = false;
            }
            all.AddRange(referenced);
            root = WithId(root);
            roots.Add(root["id"]!.GetValue<string>());
            all.Add(root);
        }
        return (roots, all);
    }

    private static void Set(JsonObject root, Slot slot, List<JsonObject> referenced)
    {
        string rest = slot.Path[(slot.Path.IndexOf(':', StringComparison.Ordinal) + 1)..];
        switch (rest)
        {
            case "dst_ref.value" or "src_ref.value" or "from_ref.value":
                root[rest[..^6]] = Referenced(root["type"]!.GetValue<string>() == "email-message" ? "email-addr" : AddressType(slot.Value), slot.Value, referenced);
                break;
            case "resolves_to_refs[*].value" or "to_refs[*].value":
                string list = rest[..rest.IndexOf('[', StringComparison.Ordinal)];
                var refs = root[list] as JsonArray ?? [];
                refs.Add(Referenced(list == "to_refs" ? "email-addr" : AddressType(slot.Value), slot.Value, referenced));
                root[list] = refs;
                break;
            case "values[*].data":
                var values = root["values"] as JsonArray ?? [];
                values.Add(new JsonObject { ["data"] = slot.Value });
                root["values"] = values;
                break;
            case "extensions.http-request-ext.request_header.User-Agent":
                root["protocols"] = new JsonArray("tcp", "http");
                root["extensions"] = new JsonObject
                {
                    ["http-request-ext"] = new JsonObject
                    {
                        ["request_method"] = "GET",
                        ["request_value"] = "/",
                        ["request_header"] = new JsonObject { ["User-Agent"] = slot.Value },
                    },
                };
                break;
            default:
                if (rest.StartsWith("hashes.", StringComparison.Ordinal))
                {
                    var hashes = root["hashes"] as JsonObject ?? [];
                    hashes[rest["hashes.".Length..]] = slot.Value;
                    root["hashes"] = hashes;
                }
                else if (MispTypes.IsInteger(slot.Path) && long.TryParse(IntegerText(slot.Value), NumberStyles.None, CultureInfo.InvariantCulture, out long n))
                {
                    root[rest] = n;
                }
                else
                {
                    root[rest] = slot.Value;
                }
                break;
        }
    }

    private static string Referenced(string type, string value, List<JsonObject> referenced)
    {
        var sco = WithId(new JsonObject { ["type"] = type, ["spec_version"] = "2.1", ["value"] = value });
        referenced.Add(sco);
        return sco["id"]!.GetValue<string>();
    }

    // The id first, as every other producer writes it: a new object, since a node belongs to one parent.
    private static JsonObject WithId(JsonObject sco)
    {
        string id = ScoIdentifier.Compute(JsonSerializer.SerializeToElement(sco)) ?? $"{sco["type"]}--{Guid.NewGuid()}";
        var result = new JsonObject { ["type"] = sco["type"]!.DeepClone(), ["spec_version"] = "2.1", ["id"] = id };
        foreach (var (k, v) in sco)
        {
            if (k is not ("type" or "spec_version"))
            {
                result[k] = v?.DeepClone();
            }
        }
        return result;
    }

    /// <summary>
    /// The slots an SCO holds (with the objects it refers to found through <paramref name="resolve"/>), in table
    /// paths: what <see cref="Scos"/> would write for them.
    /// </summary>
    public static List<Slot> Flatten(JsonElement sco, Func<string, JsonElement?> resolve)
    {
        var slots = new List<Slot>();
        string type = Str(sco, "type") ?? "";
        string root = type is "ipv4-addr" or "ipv6-addr" ? MispTypes.AnyAddress : type;
        foreach (var p in sco.EnumerateObject())
        {
            switch (p.Name, p.Value.ValueKind)
            {
                case ("value" or "name" or "key" or "subject", JsonValueKind.String):
                    slots.Add(new Slot($"{root}:{p.Name}", p.Value.GetString()!));
                    break;
                case ("number" or "dst_port" or "src_port", JsonValueKind.Number):
                    slots.Add(new Slot($"{root}:{p.Name}", p.Value.GetRawText()));
                    break;
                case ("hashes", JsonValueKind.Object):
                    slots.AddRange(p.Value.EnumerateObject().Where(h => h.Value.ValueKind == JsonValueKind.String)
                        .Select(h => new Slot($"{root}:hashes.{MispTypes.HashName(h.Name)}", h.Value.GetString()!)));
                    break;
                case ("dst_ref" or "src_ref" or "from_ref", JsonValueKind.String):
                    if (resolve(p.Value.GetString()!) is { } target && Str(target, "value") is { } v)
                    {
                        slots.Add(new Slot($"{root}:{p.Name}.value", v));
                    }
                    break;
                case ("resolves_to_refs" or "to_refs", JsonValueKind.Array):
                    foreach (var r in p.Value.EnumerateArray())
                    {
                        if (r.ValueKind == JsonValueKind.String && resolve(r.GetString()!) is { } t && Str(t, "value") is { } rv)
                        {
                            slots.Add(new Slot($"{root}:{p.Name}[*].value", rv));
                        }
                    }
                    break;
                case ("values", JsonValueKind.Array):
                    slots.AddRange(p.Value.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object && Str(x, "data") is not null)
                        .Select(x => new Slot($"{root}:values[*].data", Str(x, "data")!)));
                    break;
                case ("extensions", JsonValueKind.Object):
                    if (p.Value.TryGetProperty("http-request-ext", out var http) && http.ValueKind == JsonValueKind.Object
                        && http.TryGetProperty("request_header", out var headers) && headers.ValueKind == JsonValueKind.Object)
                    {
                        slots.AddRange(headers.EnumerateObject().Where(h => h.Name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase) && h.Value.ValueKind == JsonValueKind.String)
                            .Select(h => new Slot($"{root}:extensions.http-request-ext.request_header.User-Agent", h.Value.GetString()!)));
                    }
                    break;
            }
        }
        return slots;
    }

    internal static string? Str(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
