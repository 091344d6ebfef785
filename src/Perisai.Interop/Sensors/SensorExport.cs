using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Perisai.Detection.Indicators;
using Perisai.Patterning;
using Perisai.Stix;
using Perisai.Stix.Markings;

namespace Perisai.Interop.Sensors;

/// <summary>The formats sensors, resolvers and firewalls read.</summary>
public enum SensorFormat
{
    /// <summary>One value per line, nothing else: firewalls and proxies.</summary>
    Blocklist,

    /// <summary>CSV with a header: value, kind, indicator id, name, valid_from, valid_until, TLP.</summary>
    Csv,

    /// <summary>A Zeek Intel framework file (tab-separated, <c>#fields</c> header).</summary>
    ZeekIntel,

    /// <summary>A DNS response policy zone (RPZ) for BIND, Unbound, Knot and PowerDNS.</summary>
    Rpz,

    /// <summary>Suricata rules with datasets beside them (a directory).</summary>
    Suricata,
}

/// <summary>What an export wrote.</summary>
/// <param name="Indicators">Indicators that gave at least one value.</param>
/// <param name="Values">Values written.</param>
/// <param name="Skipped">Indicators left out: revoked, expired, not yet valid, or with a pattern that is not a list of values.</param>
/// <param name="Unsupported">Values the format cannot express (a URL in an RPZ zone), by kind.</param>
public sealed record SensorExportResult(int Indicators, int Values, int Skipped, IReadOnlyDictionary<IocKind, int> Unsupported);

/// <summary>One value to block, with the indicator it comes from.</summary>
internal readonly record struct SensorValue(IocKind Kind, string Value, string IndicatorId, string? Name, string? ValidFrom, string? ValidUntil, TlpLevel Tlp);

/// <summary>
/// Active STIX indicators (not revoked, inside valid_from/valid_until, §4.7) whose patterns are lists of values
/// (<see cref="PatternReducer"/>), written for sensors. The objects come from the caller, already through the
/// sharing filter: this class decides the format, never who may see what.
/// </summary>
public static class SensorExport
{
    /// <summary>
    /// Writes <paramref name="objects"/> (STIX JSON) in <paramref name="format"/>. Single-file formats write to
    /// <c>open("")</c>; Suricata asks for its rules file and each dataset by file name.
    /// </summary>
    public static async Task<SensorExportResult> WriteAsync(IAsyncEnumerable<string> objects, SensorFormat format, Func<string, TextWriter> open,
        DateTimeOffset now, string source = "perisai", CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(open);
        ISensorWriter writer = format switch
        {
            SensorFormat.Blocklist => new BlocklistWriter(open("")),
            SensorFormat.Csv => new CsvWriter(open("")),
            SensorFormat.ZeekIntel => new ZeekIntelWriter(open(""), source),
            SensorFormat.Rpz => new RpzWriter(open(""), now, source),
            _ => new SuricataWriter(open, source),
        };
        int indicators = 0, values = 0, skipped = 0;
        var unsupported = new Dictionary<IocKind, int>();
        var seen = new HashSet<(IocKind, string)>();
        await foreach (string json in objects.WithCancellation(ct).ConfigureAwait(false))
        {
            using var doc = JsonDocument.Parse(json);
            var o = doc.RootElement;
            if (Str(o, "type") != "indicator")
            {
                continue;
            }
            var lookups = Lookups(o, now);
            if (lookups is null)
            {
                skipped++;
                continue;
            }
            indicators++;
            var tlp = TlpMarkings.Strictest(o.TryGetProperty("object_marking_refs", out var m) && m.ValueKind == JsonValueKind.Array
                ? m.EnumerateArray().Select(x => x.GetString() ?? "") : []);
            foreach (var lookup in lookups)
            {
                // One line per value: a value listed by two indicators is blocked once (the first names it).
                if (!seen.Add((lookup.Kind, lookup.Value)))
                {
                    continue;
                }
                var value = new SensorValue(lookup.Kind, Lists.CsvIndicators.Display(lookup), Str(o, "id")!, Str(o, "name"), Str(o, "valid_from"), Str(o, "valid_until"), tlp);
                if (writer.Write(value))
                {
                    values++;
                }
                else
                {
                    unsupported[lookup.Kind] = unsupported.GetValueOrDefault(lookup.Kind) + 1;
                }
            }
        }
        await writer.FinishAsync().ConfigureAwait(false);
        return new SensorExportResult(indicators, values, skipped, unsupported);
    }

    private static IReadOnlyList<IocLookup>? Lookups(JsonElement o, DateTimeOffset now)
    {
        if (Str(o, "pattern_type") is not (null or "stix") || Str(o, "pattern") is not { } pattern || !StixPattern.TryParse(pattern, out var parsed, out _))
        {
            return null;
        }
        var from = StixTimestamp.TryParse(Str(o, "valid_from"), out var f) ? f : null;
        var until = StixTimestamp.TryParse(Str(o, "valid_until"), out var u) ? u : null;
        bool revoked = o.TryGetProperty("revoked", out var r) && r.ValueKind == JsonValueKind.True;
        var indicator = new DetectionIndicator(Str(o, "id")!, null, pattern, from, until, revoked, false, []);
        return indicator.IsActive(now) ? PatternReducer.Reduce(parsed!) : null;
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private interface ISensorWriter
    {
        /// <summary>Writes one value; false when the format cannot express its kind.</summary>
        bool Write(SensorValue value);

        Task FinishAsync();
    }

    private sealed class BlocklistWriter(TextWriter w) : ISensorWriter
    {
        public bool Write(SensorValue v)
        {
            w.Write(v.Value);
            w.Write('\n');
            return true;
        }

        public Task FinishAsync() => w.FlushAsync();
    }

    private sealed class CsvWriter : ISensorWriter
    {
        private readonly TextWriter _w;

        public CsvWriter(TextWriter w)
        {
            _w = w;
            _w.Write("value,kind,indicator_id,name,valid_from,valid_until,tlp\n");
        }

        public bool Write(SensorValue v)
        {
            _w.Write(string.Join(',', Field(v.Value), KindName(v.Kind), v.IndicatorId, Field(v.Name ?? ""), v.ValidFrom ?? "", v.ValidUntil ?? "",
                v.Tlp == TlpLevel.None ? "" : TlpMarkings.NameOf(v.Tlp)));
            _w.Write('\n');
            return true;
        }

        // RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
        private static string Field(string s) => s.AsSpan().IndexOfAny(",\"\r\n") < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        public Task FinishAsync() => _w.FlushAsync();
    }

    internal static string KindName(IocKind kind) => kind switch
    {
        IocKind.Address => "ip",
        IocKind.Domain => "domain",
        IocKind.Url => "url",
        IocKind.Email => "email",
        IocKind.FileHash => "hash",
        IocKind.CertificateFingerprint => "cert-fingerprint",
        IocKind.Ja3 => "ja3",
        _ => "user-agent",
    };

    /// <summary>
    /// Zeek's Intel framework input (base/frameworks/intel): <c>indicator</c>, <c>indicator_type</c> and the
    /// <c>meta.*</c> fields, tab-separated; "-" for an empty field. Intel::URL indicators are written without their
    /// scheme, as Zeek compares them (host and path of the HTTP request).
    /// </summary>
    private sealed class ZeekIntelWriter : ISensorWriter
    {
        private readonly TextWriter _w;
        private readonly string _source;

        public ZeekIntelWriter(TextWriter w, string source)
        {
            _w = w;
            _source = Clean(source);
            _w.Write("#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n");
        }

        public bool Write(SensorValue v)
        {
            string? type = v.Kind switch
            {
                IocKind.Address => v.Value.Contains('/', StringComparison.Ordinal) ? "Intel::SUBNET" : "Intel::ADDR",
                IocKind.Domain => "Intel::DOMAIN",
                IocKind.Url => "Intel::URL",
                IocKind.Email => "Intel::EMAIL",
                IocKind.FileHash => "Intel::FILE_HASH",
                IocKind.CertificateFingerprint => "Intel::CERT_HASH",
                IocKind.UserAgent => "Intel::SOFTWARE",
                _ => null,
            };
            if (type is null)
            {
                return false;
            }
            string value = v.Kind == IocKind.Url ? v.Value[(v.Value.IndexOf("://", StringComparison.Ordinal) + 3)..] : v.Value;
            _w.Write($"{Clean(value)}\t{type}\t{_source}\t{Clean(v.Name is { Length: > 0 } n ? $"{n} ({v.IndicatorId})" : v.IndicatorId)}\t-\n");
            return true;
        }

        // A tab or line break would shift Zeek's columns; an empty field is written "-".
        private static string Clean(string s) => s.Length == 0 ? "-" : s.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

        public Task FinishAsync() => _w.FlushAsync();
    }

    /// <summary>
    /// A response policy zone (draft-vixie-dnsop-dns-rpz): each listed domain and its subdomains answer NXDOMAIN
    /// (<c>CNAME .</c>); listed addresses and blocks become <c>rpz-ip</c> triggers. Names relative to the zone's origin.
    /// </summary>
    private sealed class RpzWriter : ISensorWriter
    {
        private readonly TextWriter _w;

        public RpzWriter(TextWriter w, DateTimeOffset now, string source)
        {
            _w = w;
            // The serial is the export time (RFC 1912 §2.2 allows any increasing number; seconds since 1970 fit 32 bits until 2106).
            _w.Write($"; Perisai response policy zone, from {source}, {now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\n");
            _w.Write("$TTL 300\n");
            _w.Write($"@ IN SOA localhost. hostmaster.localhost. ({now.ToUnixTimeSeconds()} 3600 600 86400 300)\n");
            _w.Write("@ IN NS localhost.\n");
        }

        public bool Write(SensorValue v)
        {
            switch (v.Kind)
            {
                case IocKind.Domain:
                    // A zone name has labels of 1 to 63 octets; with the origin and the "*." it must stay within 255.
                    if (v.Value.Length > 200 || v.Value.Split('.').Any(l => l.Length is 0 or > 63))
                    {
                        return false;
                    }
                    _w.Write($"{v.Value} CNAME .\n*.{v.Value} CNAME .\n");
                    return true;
                case IocKind.Address:
                    _w.Write($"{IpTrigger(v.Value)}.rpz-ip CNAME .\n");
                    return true;
                default:
                    return false;
            }
        }

        // rpz-ip owner names: the prefix length, then the address's parts in reverse order (octets for IPv4, 16-bit
        // groups for IPv6, with "zz" standing for the longest run of zero groups).
        private static string IpTrigger(string value)
        {
            var set = IpSet.TryParse(value, out var s) ? s : default;
            if (!set.IsV6)
            {
                uint a = (uint)set.Start;
                return string.Create(CultureInfo.InvariantCulture, $"{set.Prefix}.{a & 0xFF}.{(a >> 8) & 0xFF}.{(a >> 16) & 0xFF}.{a >> 24}");
            }
            var groups = new ushort[8];
            for (int i = 0; i < 8; i++)
            {
                groups[i] = (ushort)(set.Start >> (16 * (7 - i)));
            }
            int bestStart = -1, bestLength = 0;
            for (int i = 0; i < 8;)
            {
                int j = i;
                while (j < 8 && groups[j] == 0)
                {
                    j++;
                }
                if (j - i > bestLength && j - i >= 2)
                {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j == i ? i + 1 : j;
            }
            var parts = new List<string>();
            for (int i = 7; i >= 0; i--)
            {
                if (i == bestStart + bestLength - 1 && bestStart >= 0)
                {
                    parts.Add("zz");
                    i = bestStart;
                    continue;
                }
                parts.Add(groups[i].ToString("x", CultureInfo.InvariantCulture));
            }
            return $"{set.Prefix.ToString(CultureInfo.InvariantCulture)}.{string.Join('.', parts)}";
        }

        public Task FinishAsync() => _w.FlushAsync();
    }

    /// <summary>
    /// Suricata 7: a rules file and datasets beside it. Domains match dns.query, tls.sni and http.host through a
    /// string dataset (values base64-encoded, as Suricata's dataset files require); SHA-256 and MD5 file hashes
    /// through filesha256/filemd5 lists; addresses in address-group rules of 500 each. Subdomains are not matched
    /// (datasets compare whole values); URLs, e-mail and the other kinds have no rule here.
    /// </summary>
    private sealed class SuricataWriter(Func<string, TextWriter> open, string source) : ISensorWriter
    {
        private TextWriter? _domains, _sha256, _md5;
        private readonly List<string> _addresses = [];
        private readonly TextWriter _rules = open("perisai.rules");
        private int _sid = 4_100_000;

        public bool Write(SensorValue v)
        {
            switch (v.Kind)
            {
                case IocKind.Domain:
                    (_domains ??= open("perisai-domains.lst")).Write(Convert.ToBase64String(Encoding.UTF8.GetBytes(v.Value)) + "\n");
                    return true;
                case IocKind.FileHash when v.Value.Length == 64:
                    (_sha256 ??= open("perisai-sha256.lst")).Write(v.Value + "\n");
                    return true;
                case IocKind.FileHash when v.Value.Length == 32:
                    (_md5 ??= open("perisai-md5.lst")).Write(v.Value + "\n");
                    return true;
                case IocKind.Address:
                    _addresses.Add(v.Value);
                    if (_addresses.Count == 500)
                    {
                        FlushAddresses();
                    }
                    return true;
                default:
                    return false;
            }
        }

        private void FlushAddresses()
        {
            if (_addresses.Count == 0)
            {
                return;
            }
            string group = "[" + string.Join(',', _addresses) + "]";
            _rules.Write($"alert ip $HOME_NET any -> {group} any (msg:\"Perisai {source}: listed address\"; sid:{_sid++}; rev:1;)\n");
            _rules.Write($"alert ip {group} any -> $HOME_NET any (msg:\"Perisai {source}: listed address\"; sid:{_sid++}; rev:1;)\n");
            _addresses.Clear();
        }

        public async Task FinishAsync()
        {
            FlushAddresses();
            if (_domains is not null)
            {
                foreach (string buffer in new[] { "dns.query", "tls.sni", "http.host" })
                {
                    string proto = buffer[..buffer.IndexOf('.', StringComparison.Ordinal)];
                    _rules.Write($"alert {proto} any any -> any any (msg:\"Perisai {source}: listed domain in {buffer}\"; {buffer}; dataset:isset,perisai-domains,type string,load perisai-domains.lst; sid:{_sid++}; rev:1;)\n");
                }
            }
            if (_sha256 is not null)
            {
                _rules.Write($"alert http any any -> any any (msg:\"Perisai {source}: listed SHA-256 file\"; filesha256:perisai-sha256.lst; sid:{_sid++}; rev:1;)\n");
            }
            if (_md5 is not null)
            {
                _rules.Write($"alert http any any -> any any (msg:\"Perisai {source}: listed MD5 file\"; filemd5:perisai-md5.lst; sid:{_sid++}; rev:1;)\n");
            }
            foreach (var w in new[] { _domains, _sha256, _md5, _rules })
            {
                if (w is not null)
                {
                    await w.FlushAsync().ConfigureAwait(false);
                }
            }
        }
    }
}
