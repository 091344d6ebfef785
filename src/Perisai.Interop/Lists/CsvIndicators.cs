using System.Globalization;
using System.Text.Json.Nodes;
using Perisai.Detection.Indicators;
using Perisai.Detection.Logs;
using Perisai.Stix.Identifiers;

namespace Perisai.Interop.Lists;

/// <summary>
/// How to read one CSV layout: which columns hold indicator values (and of what kind, when the column name does not
/// say), which holds the date the value was first seen, and which describe it (malware family, threat, tags).
/// </summary>
/// <param name="Name">The preset's name (<c>--preset</c>).</param>
/// <param name="Values">Value columns; a null kind means "recognize each value" (address, domain, URL, e-mail, hash).</param>
/// <param name="Date">The first-seen column, if any: the indicator's created and valid_from.</param>
/// <param name="Labels">Columns whose non-empty cells become labels (a tags column is split on commas and spaces).</param>
/// <param name="Name1">The column that names the indicator (a malware family), if any.</param>
public sealed record CsvLayout(string Name, IReadOnlyList<(string Column, IocKind? Kind)> Values, string? Date, IReadOnlyList<string> Labels, string? Name1)
{
    /// <summary>
    /// abuse.ch's CSV exports (2024 layouts): Feodo Tracker's botnet C2 IP blocklist, URLhaus's URL list, ThreatFox's
    /// IOC export and MalwareBazaar's sample export.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, CsvLayout> Presets = new Dictionary<string, CsvLayout>(StringComparer.OrdinalIgnoreCase)
    {
        ["feodo"] = new("feodo", [("dst_ip", IocKind.Address)], "first_seen_utc", ["malware", "c2_status"], "malware"),
        ["urlhaus"] = new("urlhaus", [("url", IocKind.Url)], "dateadded", ["threat", "tags"], null),
        ["threatfox"] = new("threatfox", [("ioc_value", null)], "first_seen_utc", ["threat_type", "malware_printable", "tags"], "malware_printable"),
        ["malwarebazaar"] = new("malwarebazaar", [("sha256_hash", IocKind.FileHash), ("md5_hash", IocKind.FileHash), ("sha1_hash", IocKind.FileHash)],
            "first_seen_utc", ["signature", "file_type_guess"], "signature"),
    };
}

/// <summary>An indicator made from a row, or why the row made none.</summary>
public sealed record CsvRow(long Line, JsonObject? Indicator, string? Problem);

/// <summary>
/// CSV files and plain lists to STIX 2.1 indicators, one per row (STIX 2.1 §4.7), streamed: a million rows never sit
/// in memory together. Ids are UUIDv5 of the source and the row's values, so the same row imported again is the same
/// indicator, and with a date column the same version (the store keeps it once).
/// </summary>
public static class CsvIndicators
{
    private static readonly Guid Namespace = new("3c7f5a52-0b8e-4d1f-a2b6-9e4c1d7f8a30");

    /// <summary>
    /// Reads rows. The header is the first line that is not a comment, or, as abuse.ch writes it, the last comment
    /// line before the data that names a value column. Without a header (a plain list) every line is one value.
    /// </summary>
    public static IEnumerable<CsvRow> Read(TextReader reader, CsvLayout? layout, string source, DateTimeOffset now, IReadOnlyList<string>? extraLabels = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        List<string>? header = null;
        string? lastComment = null;
        long number = 0;
        var valueColumns = new List<(int Index, IocKind? Kind)>();
        int dateColumn = -1, nameColumn = -1;
        var labelColumns = new List<(int Index, bool Split)>();
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            string trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }
            if (trimmed.StartsWith('#'))
            {
                lastComment = trimmed.TrimStart('#').Trim();
                continue;
            }
            if (header is null)
            {
                // First data-ish line: is it a header, or does a commented line before it name the columns?
                var cells = Cells(trimmed);
                var commented = lastComment is null ? null : Cells(lastComment);
                if (commented is not null && Resolve(commented, layout, valueColumns, ref dateColumn, ref nameColumn, labelColumns))
                {
                    header = commented;
                }
                else if (cells is not null && Resolve(cells, layout, valueColumns, ref dateColumn, ref nameColumn, labelColumns))
                {
                    header = cells;
                    continue;
                }
                else if (layout is not null)
                {
                    yield return new CsvRow(number, null, InteropMessages.NoValueColumn(string.Join(", ", cells ?? [])));
                    yield break;
                }
                else
                {
                    header = [];
                    valueColumns.Add((0, null)); // a plain list: the whole line is the value
                }
            }
            yield return Row(trimmed, number, header.Count == 0, valueColumns, dateColumn, nameColumn, labelColumns, source, now, extraLabels);
        }
    }

    private static List<string>? Cells(string line) => LogFormats.SplitCsv(line)?.Select(c => c.Trim()).ToList();

    private static bool Resolve(List<string> header, CsvLayout? layout, List<(int, IocKind?)> values, ref int date, ref int name, List<(int, bool)> labels)
    {
        values.Clear();
        labels.Clear();
        if (layout is not null)
        {
            foreach (var (column, kind) in layout.Values)
            {
                int i = header.FindIndex(h => h.Equals(column, StringComparison.OrdinalIgnoreCase));
                if (i >= 0)
                {
                    values.Add((i, kind));
                }
            }
            date = layout.Date is null ? -1 : header.FindIndex(h => h.Equals(layout.Date, StringComparison.OrdinalIgnoreCase));
            name = layout.Name1 is null ? -1 : header.FindIndex(h => h.Equals(layout.Name1, StringComparison.OrdinalIgnoreCase));
            labels.AddRange(layout.Labels.Select(l => (header.FindIndex(h => h.Equals(l, StringComparison.OrdinalIgnoreCase)), l == "tags")).Where(l => l.Item1 >= 0));
            return values.Count > 0;
        }
        // No layout: columns named like values in logs (ip, domain, url, md5…) or "value"/"indicator"/"ioc".
        for (int i = 0; i < header.Count; i++)
        {
            string h = header[i].ToLowerInvariant();
            if (LogFormats.FieldKind(h) is { } kind)
            {
                values.Add((i, kind));
            }
            else if (h is "value" or "indicator" or "ioc" or "ioc_value" or "observable")
            {
                values.Add((i, null));
            }
            else if (h is "first_seen" or "first_seen_utc" or "date" or "dateadded" or "created")
            {
                date = i;
            }
            else if (h is "tags" or "malware" or "threat" or "threat_type")
            {
                labels.Add((i, h == "tags"));
            }
        }
        return values.Count > 0;
    }

    private static CsvRow Row(string line, long number, bool plain, List<(int Index, IocKind? Kind)> valueColumns, int dateColumn, int nameColumn,
        List<(int Index, bool Split)> labelColumns, string source, DateTimeOffset now, IReadOnlyList<string>? extraLabels)
    {
        var cells = plain ? [line] : Cells(line);
        if (cells is null)
        {
            return new CsvRow(number, null, InteropMessages.CsvLine(number, "a quoted cell is not closed"));
        }
        var lookups = new List<IocLookup>();
        foreach (var (index, kind) in valueColumns)
        {
            if (index >= cells.Count || cells[index].Length == 0)
            {
                continue;
            }
            string raw = IndicatorSource.Refang(cells[index]);
            IocLookup? lookup = kind is { } k && k != IocKind.Address
                ? IocNormalizer.Normalize(k, raw) is { } canonical ? new IocLookup(k, canonical) : null
                : IndicatorSource.Classify(raw) ?? IndicatorSource.Classify(WithoutPort(raw));
            if (lookup is null)
            {
                return new CsvRow(number, null, InteropMessages.CsvLine(number, InteropMessages.UnrecognizedValue(cells[index].Length > 80 ? cells[index][..80] + "…" : cells[index])));
            }
            lookups.Add(lookup.Value);
        }
        if (lookups.Count == 0)
        {
            return new CsvRow(number, null, InteropMessages.CsvLine(number, "no value in the value column"));
        }
        string time = dateColumn >= 0 && dateColumn < cells.Count && Date(cells[dateColumn]) is { } d ? d : Format(now);
        var labels = labelColumns.Where(l => l.Index < cells.Count && cells[l.Index].Length > 0 && cells[l.Index] != "None")
            .SelectMany(l => l.Split ? cells[l.Index].Split([',', ' '], StringSplitOptions.RemoveEmptyEntries) : [cells[l.Index]])
            .Concat(extraLabels ?? []).Select(l => l.ToLowerInvariant()).Distinct().ToList();
        string key = source + "\n" + string.Join("\n", lookups.Select(l => $"{l.Kind}:{l.Value}"));
        var indicator = new JsonObject
        {
            ["type"] = "indicator",
            ["spec_version"] = "2.1",
            ["id"] = $"indicator--{ScoIdentifier.Uuid5(Namespace, System.Text.Encoding.UTF8.GetBytes(key))}",
            ["created"] = time,
            ["modified"] = time,
            ["name"] = nameColumn >= 0 && nameColumn < cells.Count && cells[nameColumn] is { Length: > 0 } n && n != "None" ? $"{n}: {Display(lookups[0])}" : Display(lookups[0]),
            ["indicator_types"] = new JsonArray("malicious-activity"),
            ["pattern"] = Pattern(lookups),
            ["pattern_type"] = "stix",
            ["pattern_version"] = "2.1",
            ["valid_from"] = time,
            // An external reference needs a description, url or external_id besides its source (§2.5).
            ["external_references"] = new JsonArray(new JsonObject { ["source_name"] = source, ["description"] = $"line {number.ToString(CultureInfo.InvariantCulture)} of the {source} list" }),
        };
        if (labels.Count > 0)
        {
            indicator["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]);
        }
        return new CsvRow(number, indicator, null);
    }

    // ThreatFox writes "ip:port" values.
    private static string WithoutPort(string value)
    {
        int colon = value.LastIndexOf(':');
        return colon > 0 && value.IndexOf(':', StringComparison.Ordinal) == colon && value[(colon + 1)..].All(char.IsAsciiDigit) ? value[..colon] : value;
    }

    /// <summary>A lookup as people and sensors write it: an address without "/32" (or "/128"), a block with its prefix.</summary>
    internal static string Display(IocLookup l)
    {
        if (l.Kind != IocKind.Address)
        {
            return l.Value;
        }
        var set = Perisai.Patterning.IpSet.FromKey(l.Value);
        string text = set.ToString();
        return set.Prefix == (set.IsV6 ? 128 : 32) ? text[..text.IndexOf('/', StringComparison.Ordinal)] : text;
    }

    /// <summary>The STIX pattern for lookups: one comparison each, ORed (§9.5), any one of them being a hit.</summary>
    public static string Pattern(IReadOnlyList<IocLookup> lookups)
    {
        ArgumentNullException.ThrowIfNull(lookups);
        return string.Join(" OR ", lookups.Select(l => "[" + Comparison(l) + "]"));
    }

    private static string Comparison(IocLookup l)
    {
        string Quote(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
        return l.Kind switch
        {
            IocKind.Address => $"{(l.Value.StartsWith('6') ? "ipv6-addr" : "ipv4-addr")}:value = {Quote(Display(l))}",
            IocKind.Domain => $"domain-name:value = {Quote(l.Value)}",
            IocKind.Url => $"url:value = {Quote(l.Value)}",
            IocKind.Email => $"email-addr:value = {Quote(l.Value)}",
            IocKind.FileHash => $"file:hashes.{HashKey(l.Value.Length)} = {Quote(l.Value)}",
            IocKind.CertificateFingerprint => $"x509-certificate:hashes.{HashKey(l.Value.Length)} = {Quote(l.Value)}",
            IocKind.Ja3 => $"x-ja3:value = {Quote(l.Value)}",
            _ => $"network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = {Quote(l.Value)}",
        };
    }

    private static string HashKey(int length) => length switch { 32 => "MD5", 40 => "'SHA-1'", 128 => "'SHA-512'", _ => "'SHA-256'" };

    // abuse.ch writes "2024-01-31 12:34:56" in UTC.
    private static string? Date(string cell) =>
        DateTimeOffset.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? Format(t) : null;

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
