using System.Text.Json;
using Perisai.Patterning;
using Perisai.Stix;

namespace Perisai.Detection.Indicators;

/// <summary>Something in an indicator source that could not be used, and where.</summary>
/// <param name="Source">The file (or <c>-</c>).</param>
/// <param name="Location">A JSON path or a line number.</param>
/// <param name="Message">What was wrong.</param>
public sealed record IndicatorProblem(string Source, string Location, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source} {Location}: {Message}";
}

/// <summary>
/// Reads indicators from what members have: STIX bundles (or envelopes, lists, single objects), MISP events (their
/// attributes, including those inside objects), and plain lists of values, one per line, defanged or not.
/// </summary>
public static class IndicatorSource
{
    private static readonly JsonDocumentOptions Json = new() { MaxDepth = 64 };

    /// <summary>Reads <paramref name="content"/>: JSON (STIX or MISP) when it starts with '{' or '[', else a plain list.</summary>
    public static List<DetectionIndicator> Read(string source, string content, List<IndicatorProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(problems);
        string trimmed = content.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(trimmed, Json);
            }
            catch (JsonException e)
            {
                problems.Add(new IndicatorProblem(source, e.LineNumber is { } l ? $"line {l + 1}" : "$", DetectionMessages.NotJson));
                return [];
            }
            using (doc)
            {
                return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("Event", out var ev)
                    ? Misp(source, ev, problems)
                    : Stix(source, doc.RootElement, problems);
            }
        }
        return PlainList(source, content, problems);
    }

    private static List<DetectionIndicator> Stix(string source, JsonElement root, List<IndicatorProblem> problems)
    {
        var list = new List<DetectionIndicator>();
        IEnumerable<(JsonElement, string)> objects = root.ValueKind switch
        {
            JsonValueKind.Array => root.EnumerateArray().Select((o, i) => (o, $"$[{i}]")),
            JsonValueKind.Object when root.TryGetProperty("objects", out var o) && o.ValueKind == JsonValueKind.Array => o.EnumerateArray().Select((x, i) => (x, $"$.objects[{i}]")),
            _ => [(root, "$")],
        };
        foreach (var (o, path) in objects)
        {
            if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty("type", out var type) || !type.ValueEquals("indicator"))
            {
                continue;
            }
            string? id = Str(o, "id");
            string? pattern = Str(o, "pattern");
            if (id is null || pattern is null)
            {
                problems.Add(new IndicatorProblem(source, path, DetectionMessages.IndicatorIncomplete));
                continue;
            }
            if (Str(o, "pattern_type") is { } language && language != "stix")
            {
                problems.Add(new IndicatorProblem(source, path, DetectionMessages.OtherLanguage(language)));
                continue;
            }
            if (!StixPattern.TryParse(pattern, out var parsed, out var errors))
            {
                problems.Add(new IndicatorProblem(source, path + ".pattern", errors[0].ToString()));
                continue;
            }
            // valid_from is required (§4.7) and checked by validation; a scanner reading a file takes what it finds.
            var from = StixTimestamp.TryParse(Str(o, "valid_from"), out var f) ? f : null;
            var until = StixTimestamp.TryParse(Str(o, "valid_until"), out var u) ? u : null;
            list.Add(new DetectionIndicator(id, Str(o, "name"), pattern, from, until,
                Bool(o, "revoked"), Bool(o, "x_perisai_force"), PatternReducer.Reduce(parsed!) ?? []));
        }
        return list;
    }

    // MISP core format: Event.Attribute[] and Event.Object[].Attribute[], each with a type and a value (composite types
    // such as "domain|ip" carry two values separated by '|').
    private static List<DetectionIndicator> Misp(string source, JsonElement ev, List<IndicatorProblem> problems)
    {
        var list = new List<DetectionIndicator>();
        var attributes = new List<JsonElement>();
        if (ev.TryGetProperty("Attribute", out var a) && a.ValueKind == JsonValueKind.Array)
        {
            attributes.AddRange(a.EnumerateArray());
        }
        if (ev.TryGetProperty("Object", out var objs) && objs.ValueKind == JsonValueKind.Array)
        {
            foreach (var obj in objs.EnumerateArray())
            {
                if (obj.TryGetProperty("Attribute", out var oa) && oa.ValueKind == JsonValueKind.Array)
                {
                    attributes.AddRange(oa.EnumerateArray());
                }
            }
        }
        string eventName = Str(ev, "info") ?? "MISP event";
        foreach (var attribute in attributes)
        {
            string? type = Str(attribute, "type"), value = Str(attribute, "value");
            if (type is null || value is null)
            {
                continue;
            }
            string[] types = type.Split('|'), values = value.Split('|');
            var lookups = new List<IocLookup>();
            for (int i = 0; i < types.Length && i < values.Length; i++)
            {
                if (MispKind(types[i]) is { } kind && IocNormalizer.Normalize(kind, values[i]) is { } canonical)
                {
                    lookups.Add(new IocLookup(kind, canonical));
                }
            }
            if (lookups.Count == 0)
            {
                continue;
            }
            string id = Str(attribute, "uuid") is { } uuid ? $"misp-attribute:{uuid}" : $"misp:{source}:{list.Count}";
            list.Add(new DetectionIndicator(id, eventName, $"{type} {value}", null, null, Bool(attribute, "deleted"), false, lookups));
        }
        if (list.Count == 0)
        {
            problems.Add(new IndicatorProblem(source, "$.Event", DetectionMessages.NoMispAttributes));
        }
        return list;
    }

    private static IocKind? MispKind(string type) => type switch
    {
        "ip-src" or "ip-dst" or "ip" => IocKind.Address,
        "domain" or "hostname" => IocKind.Domain,
        "url" or "uri" or "link" => IocKind.Url,
        "email" or "email-src" or "email-dst" => IocKind.Email,
        "md5" or "sha1" or "sha256" or "sha512" or "filename|md5" or "filename|sha1" or "filename|sha256" => IocKind.FileHash,
        "x509-fingerprint-sha1" or "x509-fingerprint-sha256" or "x509-fingerprint-md5" => IocKind.CertificateFingerprint,
        "ja3-fingerprint-md5" or "ja3s-fingerprint-md5" => IocKind.Ja3,
        "user-agent" => IocKind.UserAgent,
        _ => null,
    };

    private static List<DetectionIndicator> PlainList(string source, string content, List<IndicatorProblem> problems)
    {
        var list = new List<DetectionIndicator>();
        int number = 0;
        foreach (string raw in content.Split('\n'))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            string value = Refang(line);
            if (Classify(value) is not { } lookup)
            {
                problems.Add(new IndicatorProblem(source, $"line {number}", DetectionMessages.Unrecognized(line.Length > 60 ? line[..60] + "…" : line)));
                continue;
            }
            list.Add(new DetectionIndicator($"list:{source}:{number}", null, line, null, null, false, false, [lookup]));
        }
        return list;
    }

    /// <summary>Undoes the usual defanging: hxxp, [.], (.), [:], [@] and [at].</summary>
    public static string Refang(string value) => value
        .Replace("hxxp", "http", StringComparison.OrdinalIgnoreCase)
        .Replace("[.]", ".", StringComparison.Ordinal).Replace("(.)", ".", StringComparison.Ordinal).Replace("{.}", ".", StringComparison.Ordinal)
        .Replace("[dot]", ".", StringComparison.OrdinalIgnoreCase).Replace("[:]", ":", StringComparison.Ordinal)
        .Replace("[@]", "@", StringComparison.Ordinal).Replace("[at]", "@", StringComparison.OrdinalIgnoreCase);

    /// <summary>What a bare value is: an address or block, a URL, an e-mail address, a hash, or a domain name.</summary>
    public static IocLookup? Classify(string value)
    {
        foreach (var kind in new[] { IocKind.Address, IocKind.Url, IocKind.Email })
        {
            if (IocNormalizer.Normalize(kind, value) is { } v)
            {
                return new IocLookup(kind, v);
            }
        }
        if (value.Length is 32 or 40 or 64 or 128 && IocNormalizer.Normalize(IocKind.FileHash, value) is { } hash)
        {
            return new IocLookup(IocKind.FileHash, hash);
        }
        return IocNormalizer.Normalize(IocKind.Domain, value) is { } d ? new IocLookup(IocKind.Domain, d) : null;
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
