using System.Text.Json;
using Perisai.Patterning;
using Perisai.Stix;
using System.Runtime.CompilerServices;

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
    public static List<DetectionIndicator> Read(string source, string content, List<IndicatorProblem> problems) =>
        Read(source, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), problems);

    /// <summary>Reads a JSON source already parsed: a MISP event, or STIX (a bundle, a TAXII envelope, a list or one indicator).</summary>
    public static List<DetectionIndicator> Read(string source, JsonElement root, List<IndicatorProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Event", out var ev)
            ? Misp(source, ev, problems)
            : Stix(source, root, problems);
    }

    /// <summary>
    /// Reads a source from <paramref name="stream"/> without holding it as text: JSON (STIX or MISP) when its first
    /// character is '{' or '[', parsed from the bytes; otherwise a plain list, read line by line.
    /// </summary>
    public static List<DetectionIndicator> Read(string source, Stream stream, List<IndicatorProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(problems);
        var (first, all) = Peek(stream);
        if (first is '{' or '[')
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(all, Json);
            }
            catch (JsonException e)
            {
                problems.Add(new IndicatorProblem(source, e.LineNumber is { } l ? $"line {l + 1}" : "$", DetectionMessages.NotJson));
                return [];
            }
            using (doc)
            {
                return Read(source, doc.RootElement, problems);
            }
        }
        return PlainList(source, new StreamReader(all, System.Text.Encoding.UTF8), problems);
    }

    /// <summary>
    /// Reads a source into <paramref name="builder"/>. A plain list goes in line by line, its usual lines (lowercase
    /// ASCII domain names) without a string made for each: the way to load a million values in little memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReadInto(string source, Stream stream, IndicatorSetBuilder builder, List<IndicatorProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(problems);
        var (first, all) = Peek(stream);
        if (first is '{' or '[')
        {
            foreach (var indicator in Read(source, all, problems))
            {
                builder.Add(indicator);
            }
            return;
        }
        if (stream.CanSeek)
        {
            builder.ReserveDomains(stream.Length);
        }
        // Lines as bytes, widened into a buffer on the stack: a million lines make no garbage.
        var reader = new Scanning.LineReader(all);
        Span<char> chars = stackalloc char[256];
        int index = -1, number = 0;
        while (reader.MoveNext())
        {
            number++;
            var bytes = reader.Current.Trim(" \t"u8);
            if (bytes.IsEmpty || bytes[0] == '#')
            {
                continue;
            }
            if (index < 0)
            {
                index = builder.AddStreamed(new DetectionIndicator($"list:{source}", source, "plain list", null, null, false, false, []));
            }
            string? text = null;
            scoped ReadOnlySpan<char> line;
            if (bytes.Length <= chars.Length && System.Text.Ascii.IsValid(bytes))
            {
                System.Text.Ascii.ToUtf16(bytes, chars, out int n);
                line = chars[..n];
            }
            else
            {
                line = text = System.Text.Encoding.UTF8.GetString(bytes);
            }
            if (IsPlainDomain(line))
            {
                builder.AddLookup(index, false, IocKind.Domain, line);
            }
            else if (Classify(Refang(text ??= line.ToString())) is { } lookup)
            {
                builder.AddLookup(index, false, lookup.Kind, lookup.Value);
            }
            else
            {
                problems.Add(new IndicatorProblem(source, $"line {number}", DetectionMessages.Unrecognized(text.Length > 60 ? text[..60] + "…" : text)));
            }
        }
    }

    /// <summary>
    /// A name already in canonical form: lowercase ASCII labels of letters, digits, '-' and '_', at least two, starting
    /// with a letter (so not an address). What most of a large list is; anything else takes <see cref="Classify"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsPlainDomain(ReadOnlySpan<char> s)
    {
        if (s.Length is < 3 or > 253 || !char.IsAsciiLetterLower(s[0]) || s[^1] == '.')
        {
            return false;
        }
        bool dot = false;
        char previous = ' ';
        foreach (char c in s)
        {
            if (c == '.')
            {
                if (previous == '.')
                {
                    return false;
                }
                dot = true;
            }
            else if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            {
                return false;
            }
            previous = c;
        }
        return dot && s[(s.LastIndexOf('.') + 1)..].IndexOfAnyExceptInRange('0', '9') >= 0;
    }

    /// <summary>
    /// The first byte that is not white space or a byte order mark (it tells JSON from a list), and a stream that
    /// reads from that byte on.
    /// </summary>
    private static (int First, Stream All) Peek(Stream stream)
    {
        var buffered = new BufferedStream(stream, 1 << 16);
        int first;
        do
        {
            first = buffered.ReadByte();
        }
        while (first is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF);
        return (first, new Scanning.PrefixedStream(first < 0 ? [] : [(byte)first], buffered, ownsTail: false));
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
            var lookups = PatternReducer.Reduce(parsed!);
            list.Add(new DetectionIndicator(id, Str(o, "name"), pattern, from, until, Bool(o, "revoked"), Bool(o, "x_perisai_force"), lookups ?? [])
            {
                Parsed = lookups is null ? parsed : null,
            });
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

    // A plain list is one indicator (id "list:FILE"): its lines have no identity of their own, and a million of them
    // must not cost a million objects. A hit names the listed value it matched.
    private static List<DetectionIndicator> PlainList(string source, TextReader reader, List<IndicatorProblem> problems)
    {
        var lookups = new List<IocLookup>();
        int number = 0;
        for (string? raw = reader.ReadLine(); raw is not null; raw = reader.ReadLine())
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (Classify(Refang(line)) is not { } lookup)
            {
                problems.Add(new IndicatorProblem(source, $"line {number}", DetectionMessages.Unrecognized(line.Length > 60 ? line[..60] + "…" : line)));
                continue;
            }
            lookups.Add(lookup);
        }
        return lookups.Count == 0 ? [] : [new DetectionIndicator($"list:{source}", source, "plain list", null, null, false, false, lookups)];
    }

    /// <summary>Undoes the usual defanging: hxxp, [.], (.), [:], [@] and [at].</summary>
    public static string Refang(string value) => value.AsSpan().IndexOfAny("[({hH") < 0 ? value : value
        .Replace("hxxp", "http", StringComparison.OrdinalIgnoreCase)
        .Replace("[.]", ".", StringComparison.Ordinal).Replace("(.)", ".", StringComparison.Ordinal).Replace("{.}", ".", StringComparison.Ordinal)
        .Replace("[dot]", ".", StringComparison.OrdinalIgnoreCase).Replace("[:]", ":", StringComparison.Ordinal)
        .Replace("[@]", "@", StringComparison.Ordinal).Replace("[at]", "@", StringComparison.OrdinalIgnoreCase);

    /// <summary>What a bare value is: an address or block, a URL, an e-mail address, a hash, or a domain name.</summary>
    public static IocLookup? Classify(string value)
    {
        // Cheapest tests first: a million-line list is mostly domains, which every other test must reject quickly.
        if (value.Length is 32 or 40 or 64 or 128 && IocNormalizer.Normalize(IocKind.FileHash, value) is { } hash)
        {
            return new IocLookup(IocKind.FileHash, hash);
        }
        if (IpSet.TryParse(value, out var set))
        {
            return new IocLookup(IocKind.Address, set.Key);
        }
        if (value.Contains("://", StringComparison.Ordinal))
        {
            return IocNormalizer.Url(value) is { } url ? new IocLookup(IocKind.Url, url) : null;
        }
        if (value.Contains('@', StringComparison.Ordinal))
        {
            return IocNormalizer.Email(value) is { } email ? new IocLookup(IocKind.Email, email) : null;
        }
        return IocNormalizer.Domain(value) is { } d ? new IocLookup(IocKind.Domain, d) : null;
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
