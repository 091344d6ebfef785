using System.Globalization;
using System.Text;

namespace Perisai.Benchmarks;

/// <summary>
/// <c>perisai-benchmarks scan-data</c>: writes the files of the scan benchmark (issue 5): N domain indicators, one per
/// line, and a Zeek dns.log of M lines (TSV, the columns Zeek writes) whose queries are mostly unlisted names, with about
/// 1 in 1,000 a subdomain of a listed domain. Deterministic for a given seed.
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
        return 0;
    }

    private static string Listed(int i) => $"bad{i}.d{i % 997}.example";
}
