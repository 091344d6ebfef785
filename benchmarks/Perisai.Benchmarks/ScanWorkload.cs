using System.Globalization;
using System.Text;

namespace Perisai.Benchmarks;

/// <summary>
/// <c>perisai-benchmarks scan-data</c>: writes the files of the scan benchmark (issue 5): N domain indicators, one per
/// line, a Zeek dns.log of M lines (TSV, the columns Zeek writes) and a Suricata eve.json of M/5 events (DNS, TLS and
/// HTTP in turn, the fields Suricata writes), whose names are mostly unlisted, with about 1 in 1,000 a subdomain of a
/// listed domain. Deterministic for a given seed.
/// </summary>
public static class ScanWorkload
{
    public static int Run(string[] args)
    {
        int indicators = 1_000_000, lines = 5_000_000;
        string dir = ".";
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--indicators": indicators = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--lines": lines = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--out": dir = args[++i]; break;
                default:
                    Console.Error.WriteLine("usage: perisai-benchmarks scan-data [--indicators N] [--lines N] [--out DIR]");
                    return 2;
            }
        }
        Directory.CreateDirectory(dir);
        var rng = new Random(5);
        using (var w = new StreamWriter(Path.Combine(dir, "domains.txt"), false, new UTF8Encoding(false), 1 << 20))
        {
            for (int i = 0; i < indicators; i++)
            {
                w.Write(Listed(i));
                w.Write('\n');
            }
        }
        using (var w = new StreamWriter(Path.Combine(dir, "dns.log"), false, new UTF8Encoding(false), 1 << 20))
        {
            w.Write("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n#open\t2026-11-29-00-00-00\n");
            w.Write("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\n");
            w.Write("#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool\n");
            double ts = 1764374400;
            for (int i = 0; i < lines; i++)
            {
                ts += rng.NextDouble() * 0.01;
                string query = rng.Next(1000) == 0 ? "www." + Listed(rng.Next(indicators)) : $"host{rng.Next(100_000)}.site{rng.Next(200_000)}.example";
                w.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{ts:F6}\tC{i:x8}\t192.168.{rng.Next(256)}.{rng.Next(256)}\t{rng.Next(1024, 65535)}\t192.168.0.53\t53\tudp\t{rng.Next(65536)}\t0.0{rng.Next(10, 99)}\t{query}\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t198.51.100.{rng.Next(256)}\t300.000000\tF\n"));
            }
        }
        using (var w = new StreamWriter(Path.Combine(dir, "eve.json"), false, new UTF8Encoding(false), 1 << 20))
        {
            var start = new DateTime(2026, 11, 29, 0, 0, 0, DateTimeKind.Utc);
            for (int i = 0; i < lines / 5; i++)
            {
                string ts = start.AddTicks(i * 20_000L).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+0000'", CultureInfo.InvariantCulture);
                string name = rng.Next(1000) == 0 ? "www." + Listed(rng.Next(indicators)) : $"host{rng.Next(100_000)}.site{rng.Next(200_000)}.example";
                string src = $"192.168.{rng.Next(256)}.{rng.Next(256)}";
                w.Write((i % 3) switch
                {
                    0 => string.Create(CultureInfo.InvariantCulture, $$$$"""{"timestamp":"{{{{ts}}}}","flow_id":{{{{i}}}},"in_iface":"eth0","event_type":"dns","src_ip":"{{{{src}}}}","src_port":{{{{rng.Next(1024, 65535)}}}},"dest_ip":"192.168.0.53","dest_port":53,"proto":"UDP","dns":{"type":"query","id":{{{{rng.Next(65536)}}}},"rrname":"{{{{name}}}}","rrtype":"A","tx_id":0}}"""),
                    1 => string.Create(CultureInfo.InvariantCulture, $$$$"""{"timestamp":"{{{{ts}}}}","flow_id":{{{{i}}}},"in_iface":"eth0","event_type":"tls","src_ip":"{{{{src}}}}","src_port":{{{{rng.Next(1024, 65535)}}}},"dest_ip":"203.0.113.{{{{rng.Next(256)}}}}","dest_port":443,"proto":"TCP","tls":{"subject":"CN={{{{name}}}}","issuerdn":"CN=R3","serial":"00:11","fingerprint":"aa:bb:cc","sni":"{{{{name}}}}","version":"TLS 1.2","notbefore":"2026-01-01T00:00:00","notafter":"2027-01-01T00:00:00","ja3":{"hash":"e7d705a3286e19ea42f587b344ee6865"}}}"""),
                    _ => string.Create(CultureInfo.InvariantCulture, $$$$"""{"timestamp":"{{{{ts}}}}","flow_id":{{{{i}}}},"in_iface":"eth0","event_type":"http","src_ip":"{{{{src}}}}","src_port":{{{{rng.Next(1024, 65535)}}}},"dest_ip":"203.0.113.{{{{rng.Next(256)}}}}","dest_port":80,"proto":"TCP","http":{"hostname":"{{{{name}}}}","url":"/index.html?id={{{{i}}}}","http_user_agent":"Mozilla/5.0","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":{{{{rng.Next(100_000)}}}}}}"""),
                });
                w.Write('\n');
            }
        }
        return 0;
    }

    private static string Listed(int i) => $"bad{i}.d{i % 997}.example";
}
