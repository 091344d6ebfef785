using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using Perisai.Detection.Indicators;
using Perisai.Patterning;

namespace Perisai.Detection.Logs;

/// <summary>The log formats <c>perisai scan</c> reads.</summary>
public enum LogFormat
{
    /// <summary>Decide from the first line.</summary>
    Auto,
    /// <summary>Zeek logs, tab-separated with <c>#fields</c> headers, or Zeek's JSON output.</summary>
    Zeek,
    /// <summary>Suricata EVE JSON.</summary>
    SuricataEve,
    /// <summary>BIND query log lines.</summary>
    Dns,
    /// <summary>Squid's native access.log.</summary>
    Squid,
    /// <summary>CSV with a header line.</summary>
    Csv,
    /// <summary>One JSON object per line.</summary>
    Jsonl,
    /// <summary>Free text (syslog and the like): every token that reads as an address, URL, e-mail, hash or domain.</summary>
    Syslog,
}

/// <summary>Receives the values a parser finds on a line.</summary>
public interface IFieldSink
{
    /// <summary>A value of <paramref name="kind"/> in the field <paramref name="field"/>.</summary>
    void Value(IocKind kind, string field, string value);

    /// <summary>Whether an indicator looks for any value of this kind at all.</summary>
    bool Wants(IocKind kind);

    /// <summary>
    /// Whether a line holding a value of this kind is wanted whole even when no lookup hits: an indicator run by the
    /// pattern engine refers to the kind of object such a value becomes, so the line may take part in its matches.
    /// </summary>
    bool Feeds(IocKind kind);

    /// <summary>Whether some indicator would match <paramref name="value"/> as a <paramref name="kind"/> (a prefilter: no hit is recorded).</summary>
    bool Probe(IocKind kind, ReadOnlySpan<char> value);

    /// <summary>Sets <paramref name="hit"/> at the tag of each name of <paramref name="probes"/> that some indicator would match.</summary>
    void ProbeDomains(DomainProbes probes, Span<bool> hit);
}

/// <summary>
/// Turns one line into values to look up, and the time of the event when the line has one. A parser keeps per-file
/// state (Zeek's and CSV's headers), so each file gets its own.
/// </summary>
public abstract class LogParser
{
    /// <summary>The time of the last event parsed, when the line carried one.</summary>
    public DateTimeOffset? EventTime { get; protected set; }

    /// <summary>Parses <paramref name="line"/>; false with a reason when it is not a line of the format.</summary>
    public abstract bool TryParse(string line, IFieldSink sink, out string? problem);

    /// <summary>
    /// Parses a line of UTF-8. By default decoded and handed to <see cref="TryParse(string, IFieldSink, out string?)"/>;
    /// a format with a faster way (Zeek TSV) overrides it.
    /// </summary>
    public virtual bool TryParse(ReadOnlySpan<byte> line, IFieldSink sink, out string? problem) =>
        TryParse(System.Text.Encoding.UTF8.GetString(line), sink, out problem);

    /// <summary>Whether <see cref="Prefilter"/> can answer for the lines that follow (until a header line), with this sink.</summary>
    public virtual bool CanPrefilter(IFieldSink sink) => false;

    /// <summary>
    /// Looks at many lines at once (<paramref name="lines"/>, ranges of <paramref name="buffer"/>) and sets
    /// <paramref name="parse"/>[i] for each line that must be parsed with <c>TryParse</c>; a line left false is a
    /// well-formed data line with no value an indicator looks for. By default every line is to be parsed.
    /// </summary>
    public virtual void Prefilter(ReadOnlySpan<byte> buffer, ReadOnlySpan<Range> lines, IFieldSink sink, Span<bool> parse) =>
        parse[..lines.Length].Fill(true);

    /// <summary>
    /// Whether the value at <paramref name="offset"/> in <paramref name="buffer"/> could hit as a
    /// <paramref name="kind"/>: <see cref="LogFormats.Emit"/>'s reading of it as a yes-or-no question, from the bytes. A
    /// plain name (the common case) goes into <paramref name="batch"/> under <paramref name="tag"/>, to be looked up with
    /// the others, and answers false for now; true means the line is to be parsed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected bool MayHit(IFieldSink sink, IocKind kind, ReadOnlySpan<byte> buffer, int offset, int length, DomainProbes batch, int tag)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(batch);
        var value = buffer.Slice(offset, length);
        if (value.IsEmpty)
        {
            return false;
        }
        if (Fed(kind))
        {
            return true; // the engine may want the line whole
        }
        switch (kind)
        {
            case IocKind.Domain:
                // An address in a name's column starts with a digit (IPv4), or has a colon (IPv6, or a port) or a bracket
                // (which Emit trims at either end).
                if (value[0] != '[' && value[^1] != ']' && !char.IsAsciiDigit((char)value[0]) && Scanning.ByteSearch.IndexOf(value, (byte)':') < 0)
                {
                    return Wanted(IocKind.Domain) && !batch.Add(buffer, offset, length, tag);
                }
                return MayHit(sink, kind, value);
            case IocKind.Url:
                if (Wanted(IocKind.Url) && MayHit(sink, kind, value))
                {
                    return true;
                }
                // Emit looks the URL's host up as a name too.
                int scheme = value.IndexOf("://"u8);
                if (scheme < 0)
                {
                    return false;
                }
                int start = scheme + 3, end = value[start..].IndexOfAny("/?#"u8);
                var authority = end < 0 ? value[start..] : value.Slice(start, end);
                int at = authority.LastIndexOf((byte)'@') + 1;
                return MayHit(sink, IocKind.Domain, buffer, offset + start + at, authority.Length - at, batch, tag);
            case IocKind.Email:
                int lt = value.IndexOf((byte)'<'), gt = value.LastIndexOf((byte)'>');
                return MayHit(sink, kind, lt >= 0 && gt > lt ? value[(lt + 1)..gt] : value);
            default:
                return MayHit(sink, kind, value);
        }
    }

    private static readonly IocKind[] Kinds = Enum.GetValues<IocKind>();

    // What the sink wants and what the engine takes in, by kind: read once per batch (Notice), since a call through the
    // interface for every value of every line cost the line rate several percent.
    private uint _wanted, _fed;

    /// <summary>Reads what <paramref name="sink"/> wants and what its engine takes in, for the batch that follows.</summary>
    protected void Notice(IFieldSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        (_wanted, _fed) = (0, 0);
        foreach (var kind in Kinds)
        {
            _wanted |= sink.Wants(kind) ? 1u << (int)kind : 0;
            _fed |= sink.Feeds(kind) ? 1u << (int)kind : 0;
        }
    }

    /// <summary>Whether an indicator looks for values of <paramref name="kind"/> (as noticed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected bool Wanted(IocKind kind) => (_wanted & (1u << (int)kind)) != 0;

    /// <summary>Whether the engine takes in lines with values of <paramref name="kind"/> (as noticed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected bool Takes(IocKind kind) => (_fed & (1u << (int)kind)) != 0;

    /// <summary>
    /// Whether a field of <paramref name="kind"/> can hold anything an indicator looks for or the engine takes in (a URL
    /// holds a name, a name's field an address at times).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected bool Concerns(IocKind kind) => Wanted(kind) || Fed(kind)
        || (kind is IocKind.Domain or IocKind.Url && (Wanted(IocKind.Domain) || Wanted(IocKind.Address)));

    /// <summary>Whether a field of <paramref name="kind"/> yields a value the engine takes in (Emit reads a URL's host and a name's field as an address at times).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Fed(IocKind kind) => Takes(kind) || (kind is IocKind.Domain or IocKind.Url && (Takes(IocKind.Domain) || Takes(IocKind.Address)));

    /// <summary>A value asked about at once, widened to characters; true (parse the line) when it is not plain ASCII.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool MayHit(IFieldSink sink, IocKind kind, ReadOnlySpan<byte> value)
    {
        Span<char> chars = stackalloc char[512];
        if (value.Length > chars.Length || !System.Text.Ascii.IsValid(value))
        {
            return true;
        }
        var text = chars[..value.Length];
        System.Text.Ascii.ToUtf16(value, text, out _);
        if (kind != IocKind.Domain)
        {
            return sink.Probe(kind, text);
        }
        // Emit's reading of a name's field: its host, then an address or a name.
        var host = LogFormats.Host(text);
        return IpSet.TryParse(host, out _) ? sink.Probe(IocKind.Address, host) : sink.Probe(IocKind.Domain, host);
    }

    /// <summary>A parser for <paramref name="format"/>, with field names mapped by <paramref name="fields"/> on top of the built-in names.</summary>
    public static LogParser Create(LogFormat format, IReadOnlyDictionary<string, IocKind>? fields = null) => format switch
    {
        LogFormat.Zeek => new ZeekParser(fields),
        LogFormat.SuricataEve or LogFormat.Jsonl => new JsonLineParser(fields),
        LogFormat.Dns => new BindQueryParser(),
        LogFormat.Squid => new SquidParser(),
        LogFormat.Csv => new CsvParser(fields),
        LogFormat.Syslog => new TextParser(),
        _ => throw new ArgumentException("detect the format first (LogFormats.Detect)", nameof(format)),
    };
}

/// <summary>Knows formats by their first line, and fields by their names.</summary>
public static class LogFormats
{
    /// <summary>The format of a file whose first non-empty line is <paramref name="firstLine"/>.</summary>
    public static LogFormat Detect(string firstLine, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(firstLine);
        string line = firstLine.TrimStart();
        if (line.StartsWith("#separator", StringComparison.Ordinal) || line.StartsWith("#fields", StringComparison.Ordinal))
        {
            return LogFormat.Zeek;
        }
        if (line.StartsWith('{'))
        {
            return line.Contains("\"event_type\"", StringComparison.Ordinal) ? LogFormat.SuricataEve
                : line.Contains("\"id.orig_h\"", StringComparison.Ordinal) ? LogFormat.Zeek : LogFormat.Jsonl;
        }
        if (line.Contains(" query: ", StringComparison.Ordinal) && line.Contains("client ", StringComparison.Ordinal))
        {
            return LogFormat.Dns;
        }
        string[] tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length >= 10 && double.TryParse(tokens[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _) && tokens[3].Contains('/', StringComparison.Ordinal))
        {
            return LogFormat.Squid;
        }
        if (fileName?.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) == true || fileName?.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase) == true)
        {
            return LogFormat.Csv;
        }
        return LogFormat.Syslog;
    }

    /// <summary>The cells of one CSV line (RFC 4180: quoted cells, doubled quotes); null when a quote is not closed.</summary>
    public static List<string>? SplitCsv(string line) => CsvParser.Split(line);

    /// <summary>Fields known by name in Zeek, Suricata and common CSV exports, and the kind of value each holds.</summary>
    internal static readonly IReadOnlyDictionary<string, IocKind> KnownFields = new Dictionary<string, IocKind>(StringComparer.Ordinal)
    {
        ["id.orig_h"] = IocKind.Address, ["id.resp_h"] = IocKind.Address, ["src_ip"] = IocKind.Address, ["dest_ip"] = IocKind.Address,
        ["tx_hosts"] = IocKind.Address, ["rx_hosts"] = IocKind.Address, ["src"] = IocKind.Address, ["dst"] = IocKind.Address,
        ["client_ip"] = IocKind.Address, ["server_ip"] = IocKind.Address, ["ip"] = IocKind.Address, ["src_addr"] = IocKind.Address,
        ["dst_addr"] = IocKind.Address,
        ["query"] = IocKind.Domain, ["server_name"] = IocKind.Domain, ["sni"] = IocKind.Domain, ["dns.rrname"] = IocKind.Domain,
        ["dns.query.rrname"] = IocKind.Domain, ["dns.queries.rrname"] = IocKind.Domain, ["http.hostname"] = IocKind.Domain,
        ["tls.sni"] = IocKind.Domain, ["domain"] = IocKind.Domain, ["hostname"] = IocKind.Domain, ["host"] = IocKind.Domain,
        ["qname"] = IocKind.Domain,
        ["url"] = IocKind.Url, ["http.url_full"] = IocKind.Url,
        ["md5"] = IocKind.FileHash, ["sha1"] = IocKind.FileHash, ["sha256"] = IocKind.FileHash, ["sha512"] = IocKind.FileHash,
        ["fileinfo.md5"] = IocKind.FileHash, ["fileinfo.sha1"] = IocKind.FileHash, ["fileinfo.sha256"] = IocKind.FileHash, ["hash"] = IocKind.FileHash,
        ["ja3"] = IocKind.Ja3, ["ja3s"] = IocKind.Ja3, ["tls.ja3.hash"] = IocKind.Ja3, ["tls.ja3s.hash"] = IocKind.Ja3,
        ["fingerprint"] = IocKind.CertificateFingerprint, ["cert_chain_fps"] = IocKind.CertificateFingerprint, ["tls.fingerprint"] = IocKind.CertificateFingerprint,
        ["user_agent"] = IocKind.UserAgent, ["http.http_user_agent"] = IocKind.UserAgent, ["useragent"] = IocKind.UserAgent,
        ["mailfrom"] = IocKind.Email, ["rcptto"] = IocKind.Email, ["from"] = IocKind.Email, ["to"] = IocKind.Email,
        ["smtp.mail_from"] = IocKind.Email, ["smtp.rcpt_to"] = IocKind.Email, ["email"] = IocKind.Email,
    };

    /// <summary>Kind of a field known by name in Zeek, Suricata and common CSV exports; null for the others.</summary>
    public static IocKind? FieldKind(string name, IReadOnlyDictionary<string, IocKind>? extra = null) =>
        extra is not null && extra.TryGetValue(name, out var k) ? k : KnownFields.TryGetValue(name, out var known) ? known : null;

    /// <summary>Fields of answers that hold an address or a name, by the record's type (Suricata, Zeek JSON).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsAnswer(ReadOnlySpan<char> path) => path is "dns.answers.rdata" or "dns.rdata" or "answers";

    /// <summary>Emits <paramref name="value"/> under <paramref name="kind"/>, cleaning what logs add around values.</summary>
    internal static void Emit(IFieldSink sink, IocKind kind, string field, string value)
    {
        switch (kind)
        {
            case IocKind.Domain:
                var host = Host(value);
                sink.Value(IpSet.TryParse(host, out _) ? IocKind.Address : IocKind.Domain, field, host.ToString());
                break;
            case IocKind.Email:
                int lt = value.IndexOf('<', StringComparison.Ordinal), gt = value.LastIndexOf('>');
                sink.Value(kind, field, lt >= 0 && gt > lt ? value[(lt + 1)..gt] : value);
                break;
            case IocKind.Url:
                sink.Value(kind, field, value);
                if (Uri.TryCreate(value, UriKind.Absolute, out var uri))
                {
                    Emit(sink, IocKind.Domain, field, uri.IdnHost);
                }
                break;
            default:
                sink.Value(kind, field, value);
                break;
        }
    }

    /// <summary>
    /// The host in a name's field: "host" fields carry a port at times (Zeek http.log, Squid CONNECT), and an address in
    /// brackets at others; the port is dropped and the brackets trimmed. The prefilters read fields this same way.
    /// </summary>
    internal static ReadOnlySpan<char> Host(ReadOnlySpan<char> value)
    {
        int colon = value.LastIndexOf(':');
        if (colon > 0 && value.IndexOf(':') == colon && !value[(colon + 1)..].ContainsAnyExceptInRange('0', '9'))
        {
            value = value[..colon];
        }
        return value.Trim("[]");
    }

    internal static DateTimeOffset? EpochSeconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s is > 0 and < 253402300800
            ? DateTimeOffset.UnixEpoch.AddTicks((long)(s * TimeSpan.TicksPerSecond)) : null;
}

/// <summary>Zeek TSV (columns named by <c>#fields</c>, vectors split on <c>#set_separator</c>).</summary>
internal sealed class ZeekParser(IReadOnlyDictionary<string, IocKind>? extra) : LogParser
{
    private readonly JsonLineParser _json = new(extra);
    private string[]? _fields;
    private IocKind?[] _kinds = [];
    private int _ts = -1, _host = -1, _uri = -1;
    private char _separator = '\t';
    private string _set = ",";
    private (int Column, IocKind Kind)[] _probes = [];
    private int _lastProbe;
    private bool _slowOnly;

    private readonly DomainProbes _batch = new();

    public override bool CanPrefilter(IFieldSink sink) => _fields is null ? _json.CanPrefilter(sink)
        : !_slowOnly && _separator <= 0x7F && _set.Length == 1 && _set[0] <= 0x7F;

    /// <summary>
    /// The batch form of the line-rate path: every line's columns found, its names hashed, and then all the names
    /// looked up together (<see cref="IndicatorSet.Match(DomainProbes, Span{bool})"/>), so that the lookups' memory
    /// accesses overlap. A line that could hit, is not well-formed, or is a header is left to <c>TryParse</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Prefilter(ReadOnlySpan<byte> buffer, ReadOnlySpan<Range> lines, IFieldSink sink, Span<bool> parse)
    {
        if (_fields is null)
        {
            _json.Prefilter(buffer, lines, sink, parse); // Zeek's JSON output
            return;
        }
        byte sep = (byte)_separator, set = (byte)_set[0];
        Span<int> ends = stackalloc int[_lastProbe + 1];
        Notice(sink);
        _batch.Clear();
        parse[..lines.Length].Clear();
        for (int i = 0; i < lines.Length; i++)
        {
            int lineStart = lines[i].Start.GetOffset(buffer.Length);
            var line = buffer[lines[i]];
            if (line.IsEmpty)
            {
                continue;
            }
            if (line[0] is (byte)'#' or (byte)'{')
            {
                // A header may change the columns: this line and the rest are read one by one.
                parse[i..lines.Length].Fill(true);
                break;
            }
            if (Columns(line, sep, ends) != _fields!.Length)
            {
                parse[i] = true;
                continue;
            }
            foreach (var (column, kind) in _probes)
            {
                if (!Concerns(kind))
                {
                    continue;
                }
                int start = column == 0 ? 0 : ends[column - 1] + 1;
                var cell = line[start..ends[column]];
                if (cell.IsEmpty || cell.SequenceEqual("-"u8) || cell.SequenceEqual("(empty)"u8))
                {
                    continue;
                }
                int at = lineStart + start; // where cell starts in the buffer
                while (!parse[i])
                {
                    int next = Scanning.ByteSearch.IndexOf(cell, set);
                    var value = next < 0 ? cell : cell[..next];
                    if (!value.IsEmpty)
                    {
                        parse[i] = MayHit(sink, kind, buffer, at, value.Length, _batch, i);
                    }
                    if (next < 0)
                    {
                        break;
                    }
                    cell = cell[(next + 1)..];
                    at += next + 1;
                }
            }
        }
        sink.ProbeDomains(_batch, parse);
    }

    /// <summary>
    /// Counts the columns of <paramref name="line"/> and notes where each of the first ones ends (the index of its
    /// separator, or the line's length), in one pass of 32-byte comparisons: walking separator to separator took a
    /// search call per column, and counting them another pass over the line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Columns(ReadOnlySpan<byte> line, byte sep, Span<int> ends)
    {
        int found = 0, i = 0;
        if (Vector256.IsHardwareAccelerated && line.Length >= Vector256<byte>.Count)
        {
            var separators = Vector256.Create(sep);
            while (i < line.Length)
            {
                // The last block overlaps the one before it, its bytes already seen shifted out: no byte-by-byte tail.
                int at = Math.Min(i, line.Length - Vector256<byte>.Count);
                uint mask = Vector256.Equals(Vector256.Create(line.Slice(at, Vector256<byte>.Count)), separators).ExtractMostSignificantBits() >> (i - at);
                while (mask != 0 && found < ends.Length)
                {
                    ends[found++] = i + BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                }
                found += BitOperations.PopCount(mask);
                i = at + Vector256<byte>.Count;
            }
        }
        for (; i < line.Length; i++)
        {
            if (line[i] == sep)
            {
                if (found < ends.Length)
                {
                    ends[found] = i;
                }
                found++;
            }
        }
        if (found < ends.Length)
        {
            ends[found] = line.Length;
        }
        return found + 1;
    }

    public override bool TryParse(string line, IFieldSink sink, out string? problem)
    {
        problem = null;
        if (line.StartsWith('{'))
        {
            bool ok = _json.TryParse(line, sink, out problem);
            EventTime = _json.EventTime;
            return ok;
        }
        if (line.StartsWith('#'))
        {
            Header(line);
            return true;
        }
        if (_fields is null)
        {
            problem = DetectionMessages.ZeekNoFields;
            return false;
        }
        string[] values = line.Split(_separator);
        if (values.Length != _fields.Length)
        {
            problem = $"{values.Length} columns where #fields names {_fields.Length}";
            return false;
        }
        EventTime = _ts >= 0 ? LogFormats.EpochSeconds(values[_ts]) : null;
        for (int i = 0; i < values.Length; i++)
        {
            if (_kinds[i] is not { } kind || values[i] is "-" or "(empty)" || values[i].Length == 0)
            {
                continue;
            }
            foreach (string v in values[i].Split(_set))
            {
                LogFormats.Emit(sink, kind, _fields[i], v);
            }
        }
        if (_host >= 0 && _uri >= 0 && values[_host] != "-" && values[_uri] != "-")
        {
            // http.log splits the URL: host and uri; indicators name the whole of it.
            sink.Value(IocKind.Url, "host+uri", "http://" + values[_host] + values[_uri]);
        }
        return true;
    }

    private void Header(string line)
    {
        if (line.StartsWith("#separator ", StringComparison.Ordinal))
        {
            string sep = line["#separator ".Length..];
            _separator = sep.StartsWith("\\x", StringComparison.Ordinal) ? (char)Convert.ToInt32(sep[2..], 16) : sep[0];
        }
        else if (line.StartsWith("#set_separator", StringComparison.Ordinal))
        {
            _set = line.Split(_separator) is { Length: > 1 } parts ? parts[1] : ",";
        }
        else if (line.StartsWith("#fields", StringComparison.Ordinal))
        {
            _fields = line.Split(_separator)[1..];
            _kinds = [.. _fields.Select(f => LogFormats.FieldKind(f, extra))];
            _ts = Array.IndexOf(_fields, "ts");
            _host = Array.IndexOf(_fields, "host");
            _uri = Array.IndexOf(_fields, "uri");
            _probes = [.. _kinds.Select((k, i) => (i, k)).Where(p => p.k is not null).Select(p => (p.i, p.k!.Value))];
            _lastProbe = _probes.Length == 0 ? 0 : _probes[^1].Column;
            // http.log's URL is composed from two columns: its lines take the string path, whose composing the
            // prefilter would have to repeat.
            _slowOnly = _host >= 0 && _uri >= 0;
        }
    }
}

/// <summary>
/// A parser whose line-rate path looks at each line on its own (JSON lines, BIND, Squid): it says whether a line could
/// hit, putting the names it finds into a batch, and the batch is then looked up at once (see
/// <see cref="IndicatorSet.Match(DomainProbes, Span{bool})"/>).
/// </summary>
internal abstract class LinePrefilter : LogParser
{
    /// <summary>The names of the lines being looked at, to be looked up together.</summary>
    protected DomainProbes Batch { get; } = new();

    public override bool CanPrefilter(IFieldSink sink) => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Prefilter(ReadOnlySpan<byte> buffer, ReadOnlySpan<Range> lines, IFieldSink sink, Span<bool> parse)
    {
        Notice(sink);
        Batch.Clear();
        for (int i = 0; i < lines.Length; i++)
        {
            var (start, length) = lines[i].GetOffsetAndLength(buffer.Length);
            parse[i] = length > 0 && MayHit(buffer, start, length, sink, i);
        }
        sink.ProbeDomains(Batch, parse);
    }

    /// <summary>
    /// Whether the line at <paramref name="start"/> in <paramref name="buffer"/> is to be parsed (it could hit, or it is
    /// not a line this reading vouches for); its plain names go into <see cref="Batch"/> under <paramref name="tag"/>.
    /// </summary>
    protected abstract bool MayHit(ReadOnlySpan<byte> buffer, int start, int length, IFieldSink sink, int tag);
}

/// <summary>One JSON object per line (Suricata EVE, Zeek JSON, any JSON lines): fields by dotted name.</summary>
internal sealed class JsonLineParser(IReadOnlyDictionary<string, IocKind>? extra) : LinePrefilter
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    /// <summary>Longest dotted path the prefilter follows; a line with a longer one is parsed.</summary>
    private const int MaxPath = 256;

    // The known fields and the mapped ones, looked up by the dotted path as characters: no string per property.
    private readonly FieldTable _fields = new(LogFormats.KnownFields.Concat(extra ?? new Dictionary<string, IocKind>()));

    /// <summary>
    /// The line-rate path for JSON lines: each line read as UTF-8 tokens (<see cref="JsonLineTokens"/>: no document, no
    /// string), the dotted path of each property kept as characters on the stack, and the strings at known paths asked
    /// about as <see cref="LogFormats.Emit"/> would read them; names go into the batch. A line that could hit, or that
    /// this reading cannot vouch for (not JSON, escapes in a value it looks at, a very long path), is parsed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override bool MayHit(ReadOnlySpan<byte> buffer, int start, int length, IFieldSink sink, int tag) =>
        !Clear(buffer, start, length, sink, tag);

    /// <summary>True when nothing on the line can hit (names put in the batch aside); false to parse it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Clear(ReadOnlySpan<byte> buffer, int lineStart, int lineLength, IFieldSink sink, int tag)
    {
        var line = buffer.Slice(lineStart, lineLength);
        Span<char> path = stackalloc char[MaxPath];
        Span<int> saved = stackalloc int[JsonLineTokens.MaxDepth + 1];
        int length = 0, nameStart = -1, nameLength = 0;
        // The two halves of an HTTP URL (Suricata's http.hostname and http.url, Zeek's host and uri): where each is.
        int host = -1, hostLength = 0, target = -1, targetLength = 0;
        bool escapedHalf = false;
        var tokens = new JsonLineTokens(line);
        if (tokens.Next() != JsonToken.Open)
        {
            return false;
        }
        while (true)
        {
            switch (tokens.Next())
            {
                case JsonToken.Refused:
                    return false;
                case JsonToken.End:
                    // The string path composes http://host + target when the target is a path (Suricata's http.url,
                    // Zeek's uri).
                    return host < 0 || target < 0 || (!Wanted(IocKind.Url) && !Takes(IocKind.Url))
                        || (!escapedHalf && !Takes(IocKind.Url) && (targetLength == 0 || buffer[target] != '/' || !MayHitUrl(sink, buffer.Slice(host, hostLength), buffer.Slice(target, targetLength))));
                case JsonToken.Name:
                    // The name is appended after a dot, tentatively: a value under it sees it, and an object under it
                    // keeps it.
                    var name = line.Slice(tokens.Start, tokens.Length);
                    int dot = length > 0 ? 1 : 0;
                    if (length + dot + name.Length > MaxPath || !System.Text.Ascii.IsValid(name))
                    {
                        return false;
                    }
                    if (dot == 1)
                    {
                        path[length] = '.';
                    }
                    System.Text.Ascii.ToUtf16(name, path[(length + dot)..], out _);
                    nameStart = length;
                    nameLength = dot + name.Length;
                    break;
                case JsonToken.Open:
                    saved[tokens.Depth] = length;
                    if (nameStart >= 0)
                    {
                        length = nameStart + nameLength;
                        nameStart = -1;
                    }
                    break;
                case JsonToken.Close:
                    length = saved[tokens.Depth + 1];
                    break;
                case JsonToken.String:
                    int end = nameStart >= 0 ? nameStart + nameLength : length;
                    nameStart = -1;
                    var full = path[..end];
                    var last = full[(full.LastIndexOf('.') + 1)..];
                    IocKind? kind = _fields.TryGetValue(full, out var k) ? k : _fields.TryGetValue(last, out k) ? k
                        : LogFormats.IsAnswer(full) ? IocKind.Domain : null;
                    int at = lineStart + tokens.Start, size = tokens.Length;
                    if (full is "http.hostname" or "host")
                    {
                        (host, hostLength) = (at, size);
                        escapedHalf |= tokens.Escaped;
                    }
                    else if (full is "http.url" or "uri")
                    {
                        (target, targetLength) = (at, size);
                        escapedHalf |= tokens.Escaped;
                    }
                    if (kind is { } wanted && Concerns(wanted) && (tokens.Escaped || MayHit(sink, wanted, buffer, at, size, Batch, tag)))
                    {
                        return false;
                    }
                    break;
                default:
                    nameStart = -1;
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool MayHitUrl(IFieldSink sink, ReadOnlySpan<byte> host, ReadOnlySpan<byte> target)
    {
        Span<char> url = stackalloc char[1024];
        if (7 + host.Length + target.Length > url.Length || !System.Text.Ascii.IsValid(host) || !System.Text.Ascii.IsValid(target))
        {
            return true;
        }
        "http://".CopyTo(url);
        System.Text.Ascii.ToUtf16(host, url[7..], out _);
        System.Text.Ascii.ToUtf16(target, url[(7 + host.Length)..], out _);
        return sink.Probe(IocKind.Url, url[..(7 + host.Length + target.Length)]);
    }

    public override bool TryParse(string line, IFieldSink sink, out string? problem)
    {
        problem = null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line, Options);
        }
        catch (JsonException e)
        {
            problem = e.Message.Split(" Path:", 2)[0];
            return false;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = DetectionMessages.JsonNotObject;
                return false;
            }
            EventTime = null;
            Walk(doc.RootElement, "", sink);
            var root = doc.RootElement;
            if (root.TryGetProperty("http", out var http) && http.ValueKind == JsonValueKind.Object
                && http.TryGetProperty("hostname", out var h) && h.ValueKind == JsonValueKind.String
                && http.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String && u.GetString()!.StartsWith('/'))
            {
                // Suricata's http.url is the request target; indicators name the whole URL.
                sink.Value(IocKind.Url, "http.hostname+url", "http://" + h.GetString() + u.GetString());
            }
            else if (root.TryGetProperty("host", out var zh) && zh.ValueKind == JsonValueKind.String
                && root.TryGetProperty("uri", out var zu) && zu.ValueKind == JsonValueKind.String && zu.GetString()!.StartsWith('/'))
            {
                // Zeek's http.log in JSON: host and uri, as in its TSV form.
                sink.Value(IocKind.Url, "host+uri", "http://" + zh.GetString() + zu.GetString());
            }
        }
        return true;
    }

    private void Walk(JsonElement e, string prefix, IFieldSink sink)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    string name = prefix.Length == 0 ? p.Name : prefix + "." + p.Name;
                    if (name is "ts" or "timestamp")
                    {
                        EventTime = p.Value.ValueKind == JsonValueKind.Number ? LogFormats.EpochSeconds(p.Value.GetRawText())
                            : p.Value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(p.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : EventTime;
                    }
                    Walk(p.Value, name, sink);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item, prefix, sink);
                }
                break;
            case JsonValueKind.String:
                string last = prefix[(prefix.LastIndexOf('.') + 1)..];
                if ((LogFormats.FieldKind(prefix, extra) ?? LogFormats.FieldKind(last, extra)) is { } kind)
                {
                    LogFormats.Emit(sink, kind, prefix, e.GetString()!);
                }
                else if (prefix is "dns.answers.rdata" or "dns.rdata" or "answers")
                {
                    string v = e.GetString()!;
                    sink.Value(IpSet.TryParse(v, out _) ? IocKind.Address : IocKind.Domain, prefix, v);
                }
                break;
        }
    }
}

/// <summary>
/// BIND query log: <c>… client @0x… 192.0.2.10#53514 (evil.example): query: evil.example IN A +E(0) (192.0.2.53)</c>.
/// </summary>
internal sealed class BindQueryParser : LinePrefilter
{
    /// <summary>The client address and the query name read from the bytes, as <see cref="TryParse(string, IFieldSink, out string?)"/> reads them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override bool MayHit(ReadOnlySpan<byte> buffer, int start, int length, IFieldSink sink, int tag)
    {
        var line = buffer.Slice(start, length);
        int client = line.IndexOf("client "u8), query = line.IndexOf("query: "u8);
        if (client < 0 || query < client)
        {
            return true; // the string path words the problem
        }
        // The address: the first word after "client " (the second when the first is BIND's @0x… handle), up to '#'.
        var words = line[(client + 7)..];
        var (first, firstLength) = Word(words, 0);
        var (at, atLength) = firstLength > 0 && words[first] == '@' && Word(words, first + firstLength) is { Length: > 0 } second ? second : (first, firstLength);
        int hash = words.Slice(at, atLength).IndexOf((byte)'#');
        if (hash > 0 && Concerns(IocKind.Address) && MayHit(sink, IocKind.Address, buffer, start + client + 7 + at, hash, Batch, tag))
        {
            return true;
        }
        var rest = line[(query + 7)..];
        int space = rest.IndexOf((byte)' ');
        int nameLength = space < 0 ? rest.Length : space;
        return nameLength == 0 || (Concerns(IocKind.Domain) && MayHit(sink, IocKind.Domain, buffer, start + query + 7, nameLength, Batch, tag));
    }

    /// <summary>Where the word at or after <paramref name="from"/> starts in <paramref name="s"/>, and how long it is (0: none).</summary>
    private static (int Start, int Length) Word(ReadOnlySpan<byte> s, int from)
    {
        while (from < s.Length && s[from] == ' ')
        {
            from++;
        }
        int end = from;
        while (end < s.Length && s[end] != ' ')
        {
            end++;
        }
        return (from, end - from);
    }

    public override bool TryParse(string line, IFieldSink sink, out string? problem)
    {
        problem = null;
        int client = line.IndexOf("client ", StringComparison.Ordinal);
        int query = line.IndexOf("query: ", StringComparison.Ordinal);
        if (client < 0 || query < client)
        {
            problem = "no 'client … query: …' in it";
            return false;
        }
        string[] after = line[(client + 7)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string address = after.Length > 0 && after[0].StartsWith('@') && after.Length > 1 ? after[1] : after.Length > 0 ? after[0] : "";
        int hash = address.IndexOf('#', StringComparison.Ordinal);
        if (hash > 0)
        {
            sink.Value(IocKind.Address, "client", address[..hash]);
        }
        string rest = line[(query + 7)..];
        int space = rest.IndexOf(' ', StringComparison.Ordinal);
        string name = space < 0 ? rest : rest[..space];
        if (name.Length == 0)
        {
            problem = "no name after 'query: '";
            return false;
        }
        sink.Value(IocKind.Domain, "query", name);
        EventTime = null;
        return true;
    }
}

/// <summary>Squid native access.log: time elapsed client code/status bytes method URL user hierarchy/peer type.</summary>
internal sealed class SquidParser : LinePrefilter
{
    /// <summary>The client, the URL (or CONNECT's host) and the peer read from the bytes, as <see cref="TryParse(string, IFieldSink, out string?)"/> reads them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override bool MayHit(ReadOnlySpan<byte> buffer, int start, int length, IFieldSink sink, int tag)
    {
        var line = buffer.Slice(start, length);
        Span<(int Start, int Length)> fields = stackalloc (int, int)[9];
        int count = 0;
        for (int at = 0; count < fields.Length; count++)
        {
            while (at < line.Length && line[at] == ' ')
            {
                at++;
            }
            if (at == line.Length)
            {
                break;
            }
            int end = line[at..].IndexOf((byte)' ');
            fields[count] = (start + at, end < 0 ? line.Length - at : end);
            at += fields[count].Length;
        }
        if (count < 7)
        {
            return true; // the string path words the problem
        }
        if (Concerns(IocKind.Address) && MayHit(sink, IocKind.Address, buffer, fields[2].Start, fields[2].Length, Batch, tag))
        {
            return true;
        }
        // CONNECT requests log host:port rather than a URL.
        var url = buffer.Slice(fields[6].Start, fields[6].Length);
        var kind = buffer.Slice(fields[5].Start, fields[5].Length).SequenceEqual("CONNECT"u8) || url.IndexOf("://"u8) < 0 ? IocKind.Domain : IocKind.Url;
        if (Concerns(kind) && MayHit(sink, kind, buffer, fields[6].Start, fields[6].Length, Batch, tag))
        {
            return true;
        }
        if (count > 8)
        {
            var hierarchy = buffer.Slice(fields[8].Start, fields[8].Length);
            int slash = hierarchy.IndexOf((byte)'/');
            var peer = slash > 0 ? hierarchy[(slash + 1)..] : [];
            if (peer.Length > 0 && !peer.SequenceEqual("-"u8) && Concerns(IocKind.Domain)
                && MayHit(sink, IocKind.Domain, buffer, fields[8].Start + slash + 1, peer.Length, Batch, tag))
            {
                return true;
            }
        }
        return false;
    }

    public override bool TryParse(string line, IFieldSink sink, out string? problem)
    {
        problem = null;
        string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 7)
        {
            problem = $"{f.Length} fields where Squid writes at least 7";
            return false;
        }
        EventTime = LogFormats.EpochSeconds(f[0]);
        sink.Value(IocKind.Address, "client", f[2]);
        // CONNECT requests log host:port rather than a URL.
        LogFormats.Emit(sink, f[5] == "CONNECT" || !f[6].Contains("://", StringComparison.Ordinal) ? IocKind.Domain : IocKind.Url, "url", f[6]);
        if (f.Length > 8 && f[8].IndexOf('/', StringComparison.Ordinal) is int slash and > 0 && f[8][(slash + 1)..] is { Length: > 0 } peer && peer != "-")
        {
            LogFormats.Emit(sink, IocKind.Domain, "peer", peer);
        }
        return true;
    }
}

/// <summary>CSV (RFC 4180 quoting) with a header line; columns by name.</summary>
internal sealed class CsvParser(IReadOnlyDictionary<string, IocKind>? extra) : LogParser
{
    private string[]? _header;
    private IocKind?[] _kinds = [];
    private int _time = -1;

    public override bool TryParse(string line, IFieldSink sink, out string? problem)
    {
        problem = null;
        var cells = Split(line);
        if (cells is null)
        {
            problem = "a quoted cell is not closed";
            return false;
        }
        if (_header is null)
        {
            _header = [.. cells.Select(c => c.Trim())];
            _kinds = [.. _header.Select(h => LogFormats.FieldKind(h, extra) ?? LogFormats.FieldKind(h.ToLowerInvariant(), extra))];
            _time = Array.FindIndex(_header, h => h is "ts" or "timestamp" or "time");
            return true;
        }
        if (cells.Count != _header.Length)
        {
            problem = $"{cells.Count} cells where the header names {_header.Length}";
            return false;
        }
        EventTime = _time < 0 ? null : LogFormats.EpochSeconds(cells[_time])
            ?? (DateTimeOffset.TryParse(cells[_time], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null);
        for (int i = 0; i < cells.Count; i++)
        {
            if (_kinds[i] is { } kind && cells[i].Length > 0)
            {
                LogFormats.Emit(sink, kind, _header[i], cells[i]);
            }
        }
        return true;
    }

    internal static List<string>? Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c != '\r')
            {
                cell.Append(c);
            }
        }
        if (quoted)
        {
            return null;
        }
        cells.Add(cell.ToString());
        return cells;
    }
}

/// <summary>Free text: every token that reads as an address, URL, e-mail address, hash or domain name.</summary>
internal sealed class TextParser : LogParser
{
    private static readonly char[] Separators = [' ', '\t', '"', '\'', '<', '>', '(', ')', '[', ']', '{', '}', ',', ';', '=', '|'];

    public override bool TryParse(string line, IFieldSink sink, out string? problem)
    {
        problem = null;
        foreach (string raw in line.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            string token = raw.TrimEnd('.', ':');
            if (token.Length < 4)
            {
                continue;
            }
            if (IndicatorSource.Classify(token) is { } lookup)
            {
                LogFormats.Emit(sink, lookup.Kind, "text", token);
            }
            else if (token.Contains('#', StringComparison.Ordinal) || token.Count(c => c == ':') == 1)
            {
                // "192.0.2.1#53" (BIND) or "192.0.2.1:443": an address with a port.
                string host = token.Split('#', ':')[0];
                if (IpSet.TryParse(host, out _))
                {
                    sink.Value(IocKind.Address, "text", host);
                }
            }
        }
        return true;
    }
}
