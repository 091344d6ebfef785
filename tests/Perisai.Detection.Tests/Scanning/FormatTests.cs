using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Perisai.Detection.Logs;
using Perisai.Detection.Scanning;

namespace Perisai.Detection.Tests.Scanning;

/// <summary>
/// Each log format, on logs written here with planted hits and near misses: 'a.evil.com' hits evil.com and
/// 'notevil.com' does not; 10.1.2.3 hits 10.0.0.0/8 and 11.0.0.1 does not; an expired indicator's value never hits.
/// </summary>
public sealed class FormatTests
{
    private static (List<(long Line, string Indicator, string Value)> Hits, ScanSummary Summary) Scan(string content, string fileName = "log", LogFormat format = LogFormat.Auto, bool gzip = false)
    {
        string dir = Directory.CreateTempSubdirectory("perisai-scan-").FullName;
        string path = Path.Combine(dir, fileName);
        byte[] bytes = Encoding.UTF8.GetBytes(content);
        if (gzip)
        {
            using var file = File.Create(path);
            using var z = new GZipStream(file, CompressionLevel.Fastest);
            z.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }
        var hits = new List<(long, string, string)>();
        var scanner = new Scanner(Fixtures.Set(), new FakeTimeProvider(Fixtures.Now));
        var summary = scanner.Scan([path], new ScanOptions { Format = format }, h => hits.Add((h.Line, h.Indicator.Id, h.Value)));
        Directory.Delete(dir, recursive: true);
        return (hits, summary);
    }

    private const string ZeekDns = """
        #separator \x09
        #set_separator	,
        #empty_field	(empty)
        #unset_field	-
        #path	dns
        #fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	query	qtype_name	answers
        #types	time	string	addr	port	addr	port	enum	string	string	vector[string]
        1764417600.000000	C1	192.168.1.5	53000	10.1.2.3	53	udp	a.evil.com	A	203.0.113.7,cdn.notevil.com
        1764417601.000000	C2	192.168.1.5	53001	11.0.0.1	53	udp	notevil.com	A	-
        1764417602.000000	C3	192.168.1.6	53002	192.168.1.1	53	udp	expired.example	A	(empty)
        1764417603.000000	C4	192.168.1.6	53003
        """;

    [Fact]
    public void Zeek_Tsv_PlantedHitsOnly()
    {
        var (hits, summary) = Scan(ZeekDns);
        Assert.Equal([(8L, Fixtures.TenSlash8, "10.1.2.3"), (8L, Fixtures.EvilDomain, "a.evil.com")], hits);
        Assert.Equal(1, summary.Malformed);
        var problem = Assert.Single(summary.Problems);
        Assert.Equal((11L, "4 columns where #fields names 10"), (problem.Line, problem.Message));
        Assert.Equal(11, summary.Lines);
    }

    [Fact]
    public void Zeek_Gzip_ReadsTheSame()
    {
        var (hits, summary) = Scan(ZeekDns, "dns.log.gz", gzip: true);
        Assert.Equal(2, hits.Count);
        Assert.DoesNotContain(summary.Problems, p => p.Message.StartsWith("the gzip stream", StringComparison.Ordinal));
        Assert.Equal(Encoding.UTF8.GetByteCount(ZeekDns), summary.Bytes);
    }

    [Fact]
    public void Zeek_Json_HttpLogWithUrlAndAgent()
    {
        const string Log = """
            {"ts":1764417600.5,"uid":"C1","id.orig_h":"10.9.9.9","id.orig_p":50000,"id.resp_h":"198.51.100.1","id.resp_p":80,"method":"GET","host":"bad.example","uri":"/payload.exe","user_agent":"EvilBot/1.0"}
            {"ts":1764417601.5,"uid":"C2","id.orig_h":"11.9.9.9","id.orig_p":50001,"id.resp_h":"198.51.100.1","id.resp_p":80,"method":"GET","host":"good.example","uri":"/payload.exe","user_agent":"Mozilla/5.0"}
            {"ts":1764417602.5,"uid":
            """;
        var (hits, summary) = Scan(Log);
        Assert.Equal([(1L, Fixtures.TenSlash8, "10.9.9.9"), (1L, Fixtures.Agent, "EvilBot/1.0")], hits.Where(h => h.Line == 1 && h.Indicator != Fixtures.BadUrl).ToList());
        Assert.Contains((1L, Fixtures.BadUrl, "http://bad.example/payload.exe"), hits);
        Assert.DoesNotContain(hits, h => h.Line == 2);
        Assert.Equal(1, summary.Malformed);
    }

    [Fact]
    public void SuricataEve_DnsTlsHttpFileinfo()
    {
        const string Log = """
            {"timestamp":"2026-11-29T10:00:00.000000+0000","event_type":"dns","src_ip":"192.168.1.5","dest_ip":"192.168.1.1","dns":{"type":"query","rrname":"x.evil.com","rrtype":"A"}}
            {"timestamp":"2026-11-29T10:00:01.000000+0000","event_type":"dns","src_ip":"192.168.1.5","dest_ip":"192.168.1.1","dns":{"type":"query","rrname":"notevil.com","rrtype":"A"}}
            {"timestamp":"2026-11-29T10:00:02.000000+0000","event_type":"tls","src_ip":"10.200.0.1","dest_ip":"2001:db8::bad","tls":{"sni":"example.org"}}
            {"timestamp":"2026-11-29T10:00:03.000000+0000","event_type":"fileinfo","src_ip":"11.0.0.1","dest_ip":"192.168.1.9","fileinfo":{"filename":"a.exe","sha256":"ED01EBFBC9EB5BBEA545AF4D01BF5F1071661840480439C6E5BABE8E080E41AA"}}
            {"timestamp":"2026-11-29T10:00:04.000000+0000","event_type":"http","src_ip":"192.168.1.9","dest_ip":"198.51.100.4","http":{"hostname":"bad.example","url":"/payload.exe","http_user_agent":"curl/8.0"}}
            """;
        var (hits, _) = Scan(Log);
        Assert.Equal(
            [(1L, Fixtures.EvilDomain, "x.evil.com"), (3L, Fixtures.TenSlash8, "10.200.0.1"), (3L, Fixtures.V6, "2001:db8::bad"), (4L, Fixtures.Hash, "ED01EBFBC9EB5BBEA545AF4D01BF5F1071661840480439C6E5BABE8E080E41AA"), (5L, Fixtures.BadUrl, "http://bad.example/payload.exe")],
            hits);
    }

    [Fact]
    public void Bind_QueryLog()
    {
        const string Log = """
            29-Nov-2026 10:00:00.123 queries: info: client @0x7f3a1c0 192.168.1.5#53514 (a.evil.com): query: a.evil.com IN A +E(0) (192.168.1.1)
            29-Nov-2026 10:00:01.123 queries: info: client @0x7f3a1c0 10.0.0.7#53515 (notevil.com): query: notevil.com IN A +E(0) (192.168.1.1)
            29-Nov-2026 10:00:02.123 queries: info: client @0x7f3a1c0 192.168.1.5#53516 (expired.example): query: expired.example IN A + (192.168.1.1)
            29-Nov-2026 10:00:03.123 queries: info: client garbage
            """;
        var (hits, summary) = Scan(Log);
        Assert.Equal([(1L, Fixtures.EvilDomain, "a.evil.com"), (2L, Fixtures.TenSlash8, "10.0.0.7")], hits);
        Assert.Equal(1, summary.Malformed);
    }

    [Fact]
    public void Squid_AccessLog()
    {
        const string Log = """
            1764417600.123    120 192.168.1.5 TCP_MISS/200 5120 GET http://bad.example/payload.exe - HIER_DIRECT/198.51.100.4 application/octet-stream
            1764417601.123     80 10.1.1.1 TCP_TUNNEL/200 3000 CONNECT www.evil.com:443 - HIER_DIRECT/198.51.100.5 -
            1764417602.123     80 11.0.0.1 TCP_MISS/200 3000 GET http://notevil.com/ - HIER_DIRECT/198.51.100.6 text/html
            1764417603.123 short
            """;
        var (hits, summary) = Scan(Log);
        Assert.Equal([(1L, Fixtures.BadUrl, "http://bad.example/payload.exe"), (2L, Fixtures.TenSlash8, "10.1.1.1"), (2L, Fixtures.EvilDomain, "www.evil.com")], hits);
        Assert.Equal(1, summary.Malformed);
    }

    [Fact]
    public void Csv_HeaderNamesTheColumns()
    {
        const string Log = """
            timestamp,src_ip,domain,email,note
            2026-11-29T10:00:00Z,192.168.1.5,mail.evil.com,"Phish <phish@evil.org>","quoted, with comma"
            2026-11-29T10:00:01Z,11.0.0.1,notevil.com,someone@notevil.com,ok
            2026-11-29T10:00:02Z,10.0.0.1,"unclosed
            """;
        var (hits, summary) = Scan(Log, "export.csv");
        Assert.Equal([(2L, Fixtures.EvilDomain, "mail.evil.com"), (2L, Fixtures.Phish, "phish@evil.org")], hits);
        Assert.Equal(1, summary.Malformed);
    }

    [Fact]
    public void Jsonl_WithFieldMapping()
    {
        const string Log = """
            {"when":"2026-11-29T10:00:00Z","peer":{"addr":"10.4.4.4"},"site":"b.evil.com"}
            {"when":"2026-11-29T10:00:01Z","peer":{"addr":"11.4.4.4"},"site":"notevil.com"}
            """;
        string dir = Directory.CreateTempSubdirectory("perisai-scan-").FullName;
        string path = Path.Combine(dir, "app.jsonl");
        File.WriteAllText(path, Log);
        var hits = new List<string>();
        var summary = new Scanner(Fixtures.Set(), new FakeTimeProvider(Fixtures.Now)).Scan([dir],
            new ScanOptions { Format = LogFormat.Jsonl, Fields = new Dictionary<string, Perisai.Detection.Indicators.IocKind> { ["peer.addr"] = Perisai.Detection.Indicators.IocKind.Address, ["site"] = Perisai.Detection.Indicators.IocKind.Domain } },
            h => hits.Add($"{h.Line} {h.Indicator.Id} {h.Value}"));
        Directory.Delete(dir, recursive: true);
        Assert.Equal([$"1 {Fixtures.TenSlash8} 10.4.4.4", $"1 {Fixtures.EvilDomain} b.evil.com"], hits);
        Assert.Equal(1, summary.Files);
    }

    [Fact]
    public void Syslog_FreeText()
    {
        const string Log = """
            Nov 29 10:00:00 fw1 kernel: DROP IN=eth0 SRC=10.3.3.3 DST=192.168.1.1 PROTO=TCP
            Nov 29 10:00:01 mail postfix/smtpd[123]: connect from unknown[11.0.0.1] for phish@evil.org via relay.evil.com
            Nov 29 10:00:02 web nginx: "GET http://bad.example/payload.exe HTTP/1.1" from notevil.com
            """;
        var (hits, _) = Scan(Log, "syslog", LogFormat.Syslog);
        Assert.Equal(
            [(1L, Fixtures.TenSlash8, "10.3.3.3"), (2L, Fixtures.Phish, "phish@evil.org"), (2L, Fixtures.EvilDomain, "relay.evil.com"), (3L, Fixtures.BadUrl, "http://bad.example/payload.exe")],
            hits);
    }

    [Fact]
    public void Gzip_Truncated_IsReportedWithTheOffsetAndTheScanGoesOn()
    {
        string dir = Directory.CreateTempSubdirectory("perisai-scan-").FullName;
        var body = new StringBuilder(ZeekDns);
        for (int i = 0; i < 20_000; i++)
        {
            body.Append(CultureInfoInvariant($"\n1764417604.{i:D6}\tC{i}\t192.168.{i % 250}.5\t53000\t10.1.2.3\t53\tudp\th{i}.evil.com\tA\t-"));
        }
        using (var ms = new MemoryStream())
        {
            using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            {
                z.Write(Encoding.UTF8.GetBytes(body.ToString()));
            }
            byte[] all = ms.ToArray();
            File.WriteAllBytes(Path.Combine(dir, "a-truncated.log.gz"), all[..(all.Length / 2)]);
        }
        File.WriteAllText(Path.Combine(dir, "b-next.log"), ZeekDns);
        var summary = new Scanner(Fixtures.Set(), new FakeTimeProvider(Fixtures.Now)).Scan([dir, Path.Combine(dir, "missing.log")], new ScanOptions(), _ => { });
        Directory.Delete(dir, recursive: true);
        Assert.Equal(2, summary.Files);
        Assert.Contains(summary.Problems, p => p.File.EndsWith("a-truncated.log.gz", StringComparison.Ordinal) && p.Message.StartsWith("the gzip stream ends early, after ", StringComparison.Ordinal));
        Assert.Contains(summary.Problems, p => p.File.EndsWith("missing.log", StringComparison.Ordinal) && p.Message.StartsWith("cannot be read: ", StringComparison.Ordinal));
        Assert.True(summary.HitsByIndicator[Fixtures.EvilDomain] > 1000, "the truncated file's intact part was scanned");
    }

    private static byte[] Gzip(string text)
    {
        using var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(Encoding.UTF8.GetBytes(text));
        }
        return ms.ToArray();
    }

    private static ScanSummary ScanStdin(byte[] input, List<(long, string)> hits) =>
        new Scanner(Fixtures.Set(), new FakeTimeProvider(Fixtures.Now)).Scan(["-"], new ScanOptions(), h => hits.Add((h.Line, h.Indicator.Id)), new MemoryStream(input));

    [Fact]
    public void Gzip_OnStandardInput_IsRecognizedByItsMagicBytes()
    {
        var hits = new List<(long, string)>();
        var summary = ScanStdin(Gzip(ZeekDns), hits);
        Assert.Equal([(8L, Fixtures.TenSlash8), (8L, Fixtures.EvilDomain)], hits);
        Assert.Equal(Encoding.UTF8.GetByteCount(ZeekDns), summary.Bytes);
        Assert.Equal((11L, "4 columns where #fields names 10"), (summary.Problems.Single().Line, summary.Problems.Single().Message));
    }

    [Fact]
    public void Gzip_TruncatedOnStandardInput_IsReportedWithTheOffset()
    {
        byte[] all = Gzip(string.Concat(Enumerable.Repeat(ZeekDns.Replace("1764417603.000000\tC4\t192.168.1.6\t53003", "", StringComparison.Ordinal), 200)));
        var hits = new List<(long, string)>();
        var summary = ScanStdin(all[..(all.Length - 3)], hits);
        var problem = Assert.Single(summary.Problems);
        Assert.Equal($"the gzip stream ends early, after {all.Length - 3:N0} compressed bytes", problem.Message);
    }

    [Fact]
    public void Gzip_SeveralMembers_AreReadWholeAndNotReportedAsCut()
    {
        // Two members one after the other (RFC 1952 §2.2), as `cat a.gz b.gz` or bgzip write them.
        string first = ZeekDns.Replace("1764417603.000000\tC4\t192.168.1.6\t53003", "", StringComparison.Ordinal);
        string second = "1764417605.000000\tC5\t192.168.1.7\t53005\t10.9.9.9\t53\tudp\tb.evil.com\tA\t-\n";
        Assert.DoesNotContain("C4", first, StringComparison.Ordinal);
        byte[] both = [.. Gzip(first), .. Gzip(second)];
        var hits = new List<(long, string)>();
        var summary = ScanStdin(both, hits);
        Assert.Empty(summary.Problems);
        Assert.Equal([(8L, Fixtures.TenSlash8), (8L, Fixtures.EvilDomain), (11L, Fixtures.TenSlash8), (11L, Fixtures.EvilDomain)], hits);

        // A pipe that gives a few bytes per read: the second member's header straddles reads, and is still found.
        for (int chunk = 1; chunk <= 17; chunk += 4)
        {
            var trickled = new Scanner(Fixtures.Set(), new FakeTimeProvider(Fixtures.Now)).Scan(["-"], new ScanOptions(), _ => { }, new Trickle(both, chunk));
            Assert.Empty(trickled.Problems);
            Assert.Equal(2, trickled.HitsByIndicator[Fixtures.EvilDomain]);
        }

        // Cut inside the second member: reported.
        var cut = ScanStdin(both[..(both.Length - 5)], []);
        Assert.Equal($"the gzip stream ends early, after {both.Length - 5:N0} compressed bytes", Assert.Single(cut.Problems).Message);
    }

    /// <summary>A stream that gives at most a few bytes per read, as a pipe may.</summary>
    private sealed class Trickle(byte[] bytes, int most) : MemoryStream(bytes)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(most, buffer.Length)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(most, count));
    }

    private static string CultureInfoInvariant(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The Zeek prefilter (lines looked at in batches, names hashed from their bytes, looked up together) against an
/// independent expectation on a large generated log. The set has no engine indicator, or the prefilter would be off.
/// </summary>
public sealed class ZeekPrefilterTests
{
    [Fact]
    public void Zeek_ManyLines_HitsExactlyThePlantedOnes()
    {
        var rng = new Random(7);
        var sb = new StringBuilder("#separator \\x09\n#set_separator\t,\n#fields\tts\tuid\tid.orig_h\tid.resp_h\tquery\tanswers\n");
        var expected = new List<(long, string)>();
        long line = 3, malformed = 0;
        bool swapped = false;
        for (int i = 0; i < 20_000; i++)
        {
            if (i == 10_000)
            {
                // A new header halfway, in the middle of a batch of lines: the columns change order from here on.
                sb.Append("#fields\tts\tuid\tquery\tid.orig_h\tid.resp_h\tanswers\n");
                line++;
                swapped = true;
            }
            line++;
            string query, orig = $"192.168.{rng.Next(256)}.{rng.Next(256)}";
            switch (rng.Next(60))
            {
                case 0:
                    query = $"h{i}.evil.com";
                    expected.Add((line, Fixtures.EvilDomain));
                    break;
                case 1:
                    query = $"h{i}.notevil.com";
                    break;
                case 2:
                    query = $"EVIL.COM:53";
                    expected.Add((line, Fixtures.EvilDomain));
                    break;
                case 3:
                    query = "x.example";
                    orig = $"10.{rng.Next(256)}.0.1";
                    expected.Add((line, Fixtures.TenSlash8));
                    break;
                case 4:
                    query = "y.example";
                    orig = $"11.{rng.Next(256)}.0.1";
                    break;
                case 5:
                    query = "10.1.1.1";
                    expected.Add((line, Fixtures.TenSlash8));
                    break;
                case 6:
                    query = $"H{i}.Evil.COM.";
                    expected.Add((line, Fixtures.EvilDomain));
                    break;
                case 7:
                    query = new string('a', 60) + $".x{i}.evil.com"; // longer than the 64 bytes looked at in vectors
                    expected.Add((line, Fixtures.EvilDomain));
                    break;
                case 8:
                    query = new string('b', 70) + ".notevil.com";
                    break;
                case 9:
                    query = $"bücher{i}.evil.com"; // not ASCII: the exact path compares its IDNA form
                    expected.Add((line, Fixtures.EvilDomain));
                    break;
                case 10:
                    sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"1764417600.{i:D6}\tC{i}\th{i}.evil.com\n");
                    malformed++;
                    continue;
                default:
                    query = $"host{rng.Next(1000)}.site{rng.Next(1000)}.example";
                    break;
            }
            if (swapped)
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"1764417600.{i:D6}\tC{i}\t{query}\t{orig}\t192.168.0.53\t-\n");
            }
            else
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"1764417600.{i:D6}\tC{i}\t{orig}\t192.168.0.53\t{query}\t-\n");
            }
        }
        string dir = Directory.CreateTempSubdirectory("perisai-scan-").FullName;
        string path = Path.Combine(dir, "dns.log");
        File.WriteAllText(path, sb.ToString());
        var hits = new List<(long, string)>();
        var summary = new Scanner(Fixtures.LookupSet(), new FakeTimeProvider(Fixtures.Now)).Scan([path], new ScanOptions(), h => hits.Add((h.Line, h.Indicator.Id)));
        Directory.Delete(dir, recursive: true);
        Assert.True(expected.Count > 1000);
        Assert.Equal(expected, hits);
        Assert.Equal(malformed, summary.Malformed);
        Assert.Equal(line, summary.Lines);
    }
}

/// <summary>
/// Scans a generated log twice: with the line-rate prefilter (a set without engine indicators) and through the string
/// path alone (the same set with an engine indicator that refers to every kind of object, so every line is parsed); the
/// two must find the same hits and count the same malformed lines, which is how the prefilters are tested against an
/// independent reading.
/// </summary>
internal static class StringPathOracle
{
    public static (List<(long Line, string Indicator, string Value)> Hits, ScanSummary Summary) Compare(string fileName, string log)
    {
        string dir = Directory.CreateTempSubdirectory("perisai-scan-").FullName;
        string path = Path.Combine(dir, fileName);
        File.WriteAllText(path, log);
        List<(long, string, string)> Run(Perisai.Detection.Indicators.IndicatorSet set, out ScanSummary summary)
        {
            var hits = new List<(long, string, string)>();
            summary = new Scanner(set, new FakeTimeProvider(Fixtures.Now)).Scan([path], new ScanOptions(), h => hits.Add((h.Line, h.Indicator.Id, h.Value)));
            return hits;
        }
        var fast = Run(Fixtures.LookupSet(), out var fastSummary);
        var exact = Run(Fixtures.StringPathSet(), out var exactSummary);
        string[] text = File.ReadAllLines(path);
        Directory.Delete(dir, recursive: true);
        var differ = exact.Except(fast).Concat(fast.Except(exact)).Select(h => $"{h.Item1}: {text[h.Item1 - 1]}").Take(5);
        Assert.True(exact.SequenceEqual(fast), string.Join("\n", differ));
        Assert.Equal(exactSummary.Malformed, fastSummary.Malformed);
        return (fast, fastSummary);
    }
}

/// <summary>
/// The JSON lines prefilter (tokens read from the bytes, values at known paths asked about, names looked up in batches)
/// against the string path on the same large generated log: Suricata EVE and Zeek JSON events of every kind, with
/// planted hits and near misses in every field, escapes, names that are not ASCII, addresses with ports, composed URLs
/// and malformed lines. The string path is what a scan with an engine indicator loaded takes for every line.
/// </summary>
public sealed class JsonPrefilterTests
{
    private static readonly string[] Names =
    [
        "a.evil.com", "EVIL.COM", "evil.com.", "notevil.com", "x.expired.example", "b.revoked.example", "bücher.example",
        "xn--bcher-kva.example", "host.example", "evil.com:8080", "[2001:db8::bad]:443", "10.1.2.3", "11.0.0.1", "8.8.8.8",
        "8.8.4.4", "evil\\u002ecom", "2001:db8::bad", "cdn.example",
    ];

    private static readonly string[] Urls = ["/payload.exe", "/index.html", "http://bad.example/payload.exe", "http://a.evil.com/x", "HTTP://BAD.EXAMPLE/payload.exe", "http://user@evil.com:81/", "/p\\u0061yload.exe"];

    private static readonly string[] Emails = ["phish@evil.org", "Bob <phish@evil.org>", "alice@good.example", "PHISH@EVIL.ORG"];

    private static readonly string[] Agents = ["EvilBot/1.0", "Mozilla/5.0", "evilbot/1.0"];

    private static string Pick(Random rng, string[] from) => from[rng.Next(from.Length)];

    // Lines that are not JSON, and JSON at its edges: the prefilter's reading must never accept what the string path
    // refuses (the malformed counts are compared), and may leave to it what it is unsure of.
    private static readonly string[] Odd =
    [
        "{not json", "[1,2]", """{"a":1} trailing""", """{"dns":{"rrname":"a.evil.com" """, "", """{"n":01}""", """{"n":1.}""",
        """{"n":-}""", """{"n":1e}""", """{"b":tru}""", """{"s":"unclosed}""", "{\"s\":\"a\tb\"}", """{"a":1,}""", """{"a":[1,]}""",
        """{"a" 1}""", """{"a\u0062":"a.evil.com"}""", """{"ké":"a.evil.com"}""", """{"s":"\x"}""", """{"s":"\u12"}""",
        """ { "query" : "a.evil.com" , "n" : [ -0 , 1.5e+10 , true , false , null ] } """, """{"query":"a.evil.com"}   """,
        string.Concat(Enumerable.Repeat("{\"x\":", 20)) + "\"a.evil.com\"" + new string('}', 20),
        string.Concat(Enumerable.Repeat("{\"x\":", 40)) + "1" + new string('}', 40),
        """{"query":"a.evil.com","query":"b.example"}""", """{"dns":{"rrname":"\u0061.evil.com"}}""", """{"query":"a.evil.com"}{}""",
        """{"dns":{"answers":[[{"rdata":"10.2.3.4"}]]}}""", """{"n":1,"dns":{"rrname":"ok.example"},"query":"EVIL.com"}""",
    ];

    private static string Log(int lines)
    {
        var rng = new Random(11);
        var sb = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            string ts = $"2026-11-29T10:00:{i % 60:D2}.000000+0000", src = Pick(rng, ["192.168.1.5", "10.9.8.7", "11.0.0.1", "2001:db8::bad", "8.8.8.8"]);
            string line = rng.Next(9) switch
            {
                0 => $$$"""{"timestamp":"{{{ts}}}","event_type":"dns","src_ip":"{{{src}}}","dest_ip":"192.168.0.53","dns":{"type":"answer","rrname":"{{{Pick(rng, Names)}}}","answers":[{"rrname":"{{{Pick(rng, Names)}}}","rdata":"{{{Pick(rng, Names)}}}"},{"rdata":"203.0.113.9"}]}}""",
                1 => $$$"""{"timestamp":"{{{ts}}}","event_type":"tls","src_ip":"{{{src}}}","dest_ip":"203.0.113.5","tls":{"sni":"{{{Pick(rng, Names)}}}","ja3":{"hash":"e7d705a3286e19ea42f587b344ee6865"},"fingerprint":"aa:bb"}}""",
                2 => $$$"""{"timestamp":"{{{ts}}}","event_type":"http","src_ip":"{{{src}}}","http":{"hostname":"{{{Pick(rng, ["bad.example", "evil.com", "good.example", "BAD.EXAMPLE"])}}}","url":"{{{Pick(rng, Urls)}}}","http_user_agent":"{{{Pick(rng, Agents)}}}","status":200}}""",
                3 => $$$"""{"timestamp":"{{{ts}}}","event_type":"fileinfo","fileinfo":{"sha256":"{{{Pick(rng, [Fixtures.Sha256, Fixtures.Sha256.ToUpperInvariant(), new string('0', 64)])}}}","size":3}}""",
                4 => $$$"""{"timestamp":"{{{ts}}}","event_type":"smtp","smtp":{"mail_from":"{{{Pick(rng, Emails)}}}","rcpt_to":["{{{Pick(rng, Emails)}}}","x@y.example"]}}""",
                5 => $$$"""{"ts":1764417600.{{{i:D6}}},"id.orig_h":"{{{src}}}","id.resp_h":"192.168.0.53","query":"{{{Pick(rng, Names)}}}","answers":["{{{Pick(rng, Names)}}}"]}""",
                6 => $$$"""{"ts":1764417600.{{{i:D6}}},"host":"{{{Pick(rng, ["bad.example", "evil.com:80", "good.example"])}}}","uri":"{{{Pick(rng, Urls)}}}","user_agent":"{{{Pick(rng, Agents)}}}"}""",
                7 => Pick(rng, Odd),
                _ => $$$"""{"timestamp":"{{{ts}}}","event_type":"flow","src_ip":"{{{src}}}","dest_ip":"{{{Pick(rng, ["10.0.0.1", "192.0.2.1", "2001:db8::1"])}}}","flow":{"pkts_toserver":3}}""",
            };
            sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    [Fact]
    public void JsonLines_Prefiltered_HitExactlyAsTheStringPath()
    {
        var (fast, summary) = StringPathOracle.Compare("eve.json", Log(30_000));
        Assert.True(summary.Malformed > 1000);
        foreach (string id in new[] { Fixtures.EvilDomain, Fixtures.TenSlash8, Fixtures.BadUrl, Fixtures.Hash, Fixtures.Phish, Fixtures.V6, Fixtures.ForcedResolver, Fixtures.Agent, Fixtures.Idn })
        {
            Assert.True(fast.Count(h => h.Indicator == id) > 50, id);
        }
        Assert.DoesNotContain(fast, h => h.Indicator is Fixtures.Expired or Fixtures.Revoked or Fixtures.Resolver);
    }
}

/// <summary>
/// The BIND and Squid prefilters (fields read from the bytes, names looked up in batches) against the string path on
/// generated logs with planted hits, near misses, odd spacing and malformed lines.
/// </summary>
public sealed class TextPrefilterTests
{
    private static readonly string[] Names = ["a.evil.com", "EVIL.COM.", "notevil.com", "x.expired.example", "bücher.example", "host.example", "10.1.2.3", "evil.com:443", "bad.example", "evil.com:", "evil.com]", "[10.2.3.4]:80", "10.2.3.4:x"];

    private static readonly string[] Clients = ["192.168.1.5", "10.9.8.7", "11.0.0.1", "2001:db8::bad", "8.8.8.8", "8.8.4.4"];

    private static void SameAsStringPath(string fileName, string log)
    {
        var (fast, summary) = StringPathOracle.Compare(fileName, log);
        Assert.True(summary.Malformed > 100);
        Assert.True(fast.Count > 1000);
        Assert.Contains(fast, h => h.Indicator == Fixtures.EvilDomain);
        Assert.Contains(fast, h => h.Indicator == Fixtures.TenSlash8);
    }

    private static string Pick(Random rng, string[] from) => from[rng.Next(from.Length)];

    [Fact]
    public void BindQueryLog_Prefiltered_HitsExactlyAsTheStringPath()
    {
        var rng = new Random(13);
        var sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            string name = Pick(rng, Names), client = Pick(rng, Clients);
            sb.Append(rng.Next(12) switch
            {
                0 => $"29-Nov-2026 10:00:00.000 queries: info: client {client}#53514 ({name}): view default: query {name} IN A +E(0)\n",
                1 => $"29-Nov-2026 10:00:00.000 queries: info: query: {name} IN A\n",
                2 => $"29-Nov-2026 10:00:00.000 queries: info: client  @0x7f00  {client}#1 ({name}): query: \n",
                3 => $"29-Nov-2026 10:00:00.000 queries: info: client {client} ({name}): query: {name} IN A +\n",
                _ => $"29-Nov-2026 10:00:00.000 queries: info: client @0x7f82a8021b60 {client}#{rng.Next(1024, 65535)} ({name}): query: {name} IN {Pick(rng, ["A", "AAAA", "TXT"])} +E(0)K ({Pick(rng, Clients)})\n",
            });
        }
        SameAsStringPath("query.log", "29-Nov-2026 10:00:00.000 queries: info: client @0x1 192.168.1.1#1 (x.example): query: x.example IN A +E(0) (192.168.0.53)\n" + sb);
    }

    [Fact]
    public void SquidAccessLog_Prefiltered_HitsExactlyAsTheStringPath()
    {
        var rng = new Random(17);
        var sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            string name = Pick(rng, Names), client = Pick(rng, Clients);
            string url = Pick(rng, [$"http://{name}/x", "http://bad.example/payload.exe", $"https://user@{name}:8443/y?z", $"{name}", "/relative"]);
            sb.Append(rng.Next(10) switch
            {
                0 => $"1764417600.{i:D3}    12 {client} TCP_MISS/200\n",
                1 => $"1764417600.{i:D3}  1 {client} TCP_TUNNEL/200 0 CONNECT {name} - HIER_DIRECT/{Pick(rng, Names)} -\n",
                2 => $"1764417600.{i:D3} 7 {client} TCP_MISS/200 512 GET {url} - HIER_NONE/- text/html\n",
                _ => $"1764417600.{i:D3}    {rng.Next(1000)} {client} TCP_MISS/200 {rng.Next(100000)} GET {url} - HIER_DIRECT/{Pick(rng, Clients)} text/html\n",
            });
        }
        SameAsStringPath("access.log", "1764417600.000      5 192.168.1.1 TCP_MISS/200 100 GET http://x.example/ - HIER_DIRECT/192.0.2.1 text/html\n" + sb);
    }
}

/// <summary>Indicators that are not plain lookups, run by the pattern engine over windows of log events.</summary>
public sealed class EngineWindowTests
{
    private static string Indicator(string id, string pattern) =>
        $$"""{"type":"indicator","spec_version":"2.1","id":"{{id}}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":{{System.Text.Json.JsonSerializer.Serialize(pattern)}},"pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}""";

    [Fact]
    public void Engine_FollowedByWithinAndLike_HitTheLinesThatTookPart()
    {
        const string Sequence = "indicator--00000000-0000-4000-8000-0000000000e1", Dga = "indicator--00000000-0000-4000-8000-0000000000e2";
        string bundle = "[" + Indicator(Sequence, "([domain-name:value = 'stage1.example'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.66']) WITHIN 60 SECONDS") + ","
            + Indicator(Dga, "[domain-name:value LIKE '%.dga.example']") + "]";
        var problems = new List<Perisai.Detection.Indicators.IndicatorProblem>();
        var set = Perisai.Detection.Indicators.IndicatorSet.Build(Perisai.Detection.Indicators.IndicatorSource.Read("intel.json", bundle, problems), Fixtures.Now);
        Assert.Empty(problems);
        Assert.Equal(2, set.Engine.Count);
        const string Log = """
            #separator \x09
            #fields	ts	id.orig_h	id.resp_h	query
            1764417600.0	192.168.1.5	192.168.1.1	stage1.example
            1764417630.0	192.168.1.5	203.0.113.66	cdn.example
            1764417700.0	192.168.1.5	192.168.1.1	x7.dga.example
            1764418000.0	192.168.1.6	192.168.1.1	stage1.example
            1764418100.0	192.168.1.6	203.0.113.66	other.example
            """;
        string dir = Directory.CreateTempSubdirectory("perisai-scan-").FullName;
        string path = Path.Combine(dir, "dns.log");
        File.WriteAllText(path, Log);
        var hits = new List<(long, string)>();
        new Scanner(set, new FakeTimeProvider(Fixtures.Now)).Scan([path], new ScanOptions(), h => hits.Add((h.Line, h.Indicator.Id)));
        Directory.Delete(dir, recursive: true);
        // Lines 3 and 4 are 30 s apart; lines 6 and 7 are 100 s apart, outside the window of the pattern.
        Assert.Equal([(3L, Sequence), (4L, Sequence), (5L, Dga)], hits.Order().ToArray());
    }
}

/// <summary><c>--follow</c>: lines appended to a growing file are scanned as they arrive, until cancelled.</summary>
public sealed class FollowTests
{
    [Fact]
    public async Task Follow_AppendedLines_AreScannedUntilCancelled()
    {
        string dir = Directory.CreateTempSubdirectory("perisai-scan-").FullName;
        string path = Path.Combine(dir, "dns.log");
        await File.WriteAllTextAsync(path, "#separator \\x09\n#fields\tts\tid.orig_h\tquery\n1764417600.0\t192.168.1.5\ta.evil.com\n");
        var hits = new System.Collections.Concurrent.ConcurrentQueue<long>();
        using var cts = new CancellationTokenSource();
        var scan = Task.Run(() => new Scanner(Fixtures.Set(), new FakeTimeProvider(Fixtures.Now)).Scan([path], new ScanOptions { Follow = true }, h => hits.Enqueue(h.Line), ct: cts.Token));
        await WaitForAsync(() => hits.Count == 1);
        // Half a line first: it must wait for its end rather than be read as a line of its own.
        await File.AppendAllTextAsync(path, "1764417601.0\t192.168.1.5\tb.ev");
        await Task.Delay(600);
        await File.AppendAllTextAsync(path, "il.com\n1764417602.0\t192.168.1.5\tnotevil.com\n1764417603.0\t10.9.9.9\tx.example\n");
        await WaitForAsync(() => hits.Count == 3);
        await cts.CancelAsync();
        var summary = await scan.WaitAsync(TimeSpan.FromSeconds(10));
        Directory.Delete(dir, recursive: true);
        Assert.Equal([3L, 4L, 6L], hits.ToArray());
        Assert.Equal(6, summary.Lines);
        Assert.Equal(0, summary.Malformed);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition(), "timed out");
    }
}

/// <summary>Engine histories: sequences across the window's end, far apart, and across files; the kinds taken in.</summary>
public sealed class EngineWindowBoundaryTests
{
    private const string ZeekHeader = "#separator \\x09\n#fields\tts\tid.orig_h\tid.resp_h\tquery\n";

    /// <summary>A set of one indicator with <paramref name="pattern"/>, run by the engine.</summary>
    private static Perisai.Detection.Indicators.IndicatorSet OneIndicator(string id, string pattern)
    {
        string bundle = "[{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\","
            + "\"pattern\":" + System.Text.Json.JsonSerializer.Serialize(pattern) + ",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}]";
        var set = Perisai.Detection.Indicators.IndicatorSet.Build(Perisai.Detection.Indicators.IndicatorSource.Read("intel.json", bundle, []), Fixtures.Now);
        Assert.Single(set.Engine);
        return set;
    }

    /// <summary>Writes the files into a directory, scans it, and gives each hit's file name and line.</summary>
    private static List<(string File, long Line)> Scan(Perisai.Detection.Indicators.IndicatorSet set, params (string Name, string Content)[] files)
    {
        string dir = Directory.CreateTempSubdirectory("perisai-scan-").FullName;
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(dir, name), content);
        }
        var hits = new List<(string, long)>();
        new Scanner(set, new FakeTimeProvider(Fixtures.Now)).Scan([dir], new ScanOptions(), h => hits.Add((Path.GetFileName(h.File), h.Line)));
        Directory.Delete(dir, recursive: true);
        return [.. hits.Order()];
    }

    /// <summary>A Zeek log of <paramref name="events"/> lines, a second apart, with the given query and responder per event.</summary>
    private static string ZeekLog(int events, Func<int, string> query, Func<int, string> responder)
    {
        var log = new StringBuilder(ZeekHeader);
        for (int i = 0; i < events; i++)
        {
            log.Append(System.Globalization.CultureInfo.InvariantCulture, $"{1764417600 + i}.0\t192.168.1.5\t{responder(i)}\t{query(i)}\n");
        }
        return log.ToString();
    }

    [Fact]
    public void Engine_SequenceAcrossAWindowBoundary_IsSeenOnce()
    {
        var set = OneIndicator("indicator--00000000-0000-4000-8000-0000000000e3",
            "([domain-name:value = 'stage1.example'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.66']) WITHIN 60 SECONDS");
        string log = ZeekLog(EventWindow.Size + 50,
            i => i == EventWindow.Size - 5 ? "stage1.example" : $"n{i}.example",
            i => i == EventWindow.Size + 5 ? "203.0.113.66" : "192.168.1.1");
        // Data lines start at line 3: event i is on line i + 3.
        Assert.Equal([EventWindow.Size - 5 + 3L, EventWindow.Size + 5 + 3L], Scan(set, ("dns.log", log)).Select(h => h.Line));
    }

    [Fact]
    public void Engine_TakesInOnlyTheKindsItsPatternsReferTo()
    {
        // The fixture's engine indicator is about files ([file:name = 'x.exe' AND file:size = 3]): lines with hashes may
        // take part, a line of names and addresses cannot, and is left to the prefilters.
        var window = new EventWindow(Fixtures.Set(), _ => { }, new ScanSummary());
        Assert.True(window.Feeds(Perisai.Detection.Indicators.IocKind.FileHash));
        Assert.False(window.Feeds(Perisai.Detection.Indicators.IocKind.Domain));
        Assert.False(window.Feeds(Perisai.Detection.Indicators.IocKind.Address));
        var all = new EventWindow(Fixtures.StringPathSet(), _ => { }, new ScanSummary());
        Assert.All(Enum.GetValues<Perisai.Detection.Indicators.IocKind>(), k => Assert.True(all.Feeds(k), k.ToString()));
    }

    [Fact]
    public void Engine_SequenceAcrossTwoFiles_IsSeenInBoth()
    {
        // A log and the one rotated before it, scanned as a directory: the first part in one, the second in the other.
        var set = OneIndicator("indicator--00000000-0000-4000-8000-0000000000e5",
            "([domain-name:value = 'stage1.example'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.66']) WITHIN 300 SECONDS");
        var hits = Scan(set,
            ("dns.log", ZeekHeader + "1764417660.0\t192.168.1.5\t203.0.113.66\tcdn.example\n"),
            ("dns.log.1", ZeekHeader + "1764417600.0\t192.168.1.5\t192.168.1.1\tstage1.example\n"));
        Assert.Equal([("dns.log", 3L), ("dns.log.1", 3L)], hits);
    }

    [Fact]
    public void Engine_SequencePartsFarApart_AreSeenWhenNothingBetweenCouldTakePart()
    {
        // The two parts 60,000 lines apart, with nothing between that either comparison holds for: the history of the
        // indicator holds only the two, whatever the distance. The reverse order (the address first) is no sequence.
        var set = OneIndicator("indicator--00000000-0000-4000-8000-0000000000e4",
            "[domain-name:value = 'stage1.example'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.66']");
        // Event 100: the name; event 60,100: the address (a sequence). Event 70,000: the address again, then at 129,000
        // the name: the wrong order, and no address after it.
        string log = ZeekLog(130_000,
            i => i is 100 or 129_000 ? "stage1.example" : $"n{i}.example",
            i => i is 60_100 or 70_000 ? "203.0.113.66" : "192.168.1.1");
        // Data lines start at line 3. The name at 100 also precedes the address at 70,000: a binding of its own.
        Assert.Equal([100 + 3L, 60_100 + 3L, 70_000 + 3L], Scan(set, ("dns.log", log)).Select(h => h.Line));
    }
}

/// <summary><c>--follow</c> across log rotation: a file renamed away and replaced is read again from its start.</summary>
public sealed class FollowRotationTests
{
    [Fact]
    public async Task Follow_RotatedFile_IsReadAgainFromItsStart()
    {
        string dir = Directory.CreateTempSubdirectory("perisai-scan-").FullName;
        string path = Path.Combine(dir, "dns.log");
        const string Header = "#separator \\x09\n#fields\tts\tid.orig_h\tquery\n";
        await File.WriteAllTextAsync(path, Header + "1764417600.0\t192.168.1.5\ta.evil.com\n1764417601.0\t192.168.1.5\tquiet.example\n1764417602.0\t192.168.1.5\tquiet.example\n");
        var hits = new System.Collections.Concurrent.ConcurrentQueue<(long, string)>();
        using var cts = new CancellationTokenSource();
        var scan = Task.Run(() => new Scanner(Fixtures.Set(), new FakeTimeProvider(Fixtures.Now)).Scan([path], new ScanOptions { Follow = true }, h => hits.Enqueue((h.Line, h.Value)), ct: cts.Token));
        await WaitForAsync(() => hits.Count == 1);
        // logrotate: the file is renamed away and a new, shorter one takes its name.
        File.Move(path, path + ".1");
        await File.WriteAllTextAsync(path, Header + "1764417700.0\t192.168.1.5\tb.evil.com\n");
        await WaitForAsync(() => hits.Count == 2);
        await cts.CancelAsync();
        await scan.WaitAsync(TimeSpan.FromSeconds(10));
        Directory.Delete(dir, recursive: true);
        Assert.Equal([(3L, "a.evil.com"), (3L, "b.evil.com")], hits.ToArray());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition(), "timed out");
    }
}
