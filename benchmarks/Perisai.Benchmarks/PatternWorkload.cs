using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Perisai.Benchmarks;

/// <summary>
/// A deterministic workload for the pattern matcher, shaped like what a national CERT matches: indicator patterns as
/// feeds carry them (mostly equality on addresses, domains, URLs and hashes; some CIDR, LIKE and MATCHES tests,
/// multi-object and multi-observation ones) against observed-data of the same kinds (STIX 2.0 "objects" form, one to
/// three SCOs each, spread over a day). Patterns and observations draw from shared value pools, so a fraction matches.
/// </summary>
public static class PatternWorkload
{
    /// <summary>Distinct values per pool: observations and patterns draw from it, so roughly 1 in 20 pattern values is observed.</summary>
    private const int Pool = 20_000;

    private static string Ip(int n) => $"10.{(n >> 16) & 0xFF}.{(n >> 8) & 0xFF}.{n & 0xFF}";

    private static string Domain(int n) => $"d{n}.example";

    private static string Url(int n) => $"http://{Domain(n % 997)}/p{n}";

    private static string Sha256(int n) => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(n)));

#pragma warning disable CA5351 // MD5 is what file:hashes.MD5 carries in the data; nothing is protected with it here.
    private static string Md5(int n) => Convert.ToHexStringLower(MD5.HashData(BitConverter.GetBytes(n)));
#pragma warning restore CA5351

    /// <summary><paramref name="count"/> patterns; the same seed gives the same list.</summary>
    public static string[] Patterns(int count, int seed = 1)
    {
        var rng = new Random(seed);
        var patterns = new string[count];
        for (int i = 0; i < count; i++)
        {
            // Pattern values come from a pool twenty times larger than the observations', so most do not match.
            int v = rng.Next(Pool * 20);
            int kind = rng.Next(100);
            patterns[i] = kind switch
            {
                < 30 => $"[ipv4-addr:value = '{Ip(v)}']",
                < 45 => $"[domain-name:value = '{Domain(v)}']",
                < 55 => $"[url:value = '{Url(v)}']",
                < 70 => $"[file:hashes.'SHA-256' = '{Sha256(v)}']",
                < 75 => $"[file:hashes.MD5 = '{Md5(v)}' OR file:hashes.'SHA-256' = '{Sha256(v + 1)}']",
                < 79 => $"[ipv4-addr:value ISSUBSET '10.{(v >> 16) & 0xFF}.{(v >> 8) & 0xFF}.0/24']",
                < 83 => $"[network-traffic:dst_ref.value = '{Ip(v)}' AND network-traffic:dst_port = 445]",
                < 87 => $"[domain-name:value LIKE '%.{Domain(v % 997)}']",
                < 90 => $"[email-message:from_ref.value = 'billing@{Domain(v)}' AND email-message:subject MATCHES '^Invoice']",
                < 92 => $"[url:value MATCHES '^http://d{v % 997}\\\\.example/p1[0-9]+$']",
                < 96 => $"([ipv4-addr:value = '{Ip(v)}'] FOLLOWEDBY [domain-name:value = '{Domain(v)}']) WITHIN 3600 SECONDS",
                < 98 => $"[ipv6-addr:value ISSUBSET '2001:db8:{v % 4096:x}::/48']",
                _ => $"[file:size > {v % 100_000} AND file:name = 'sample{v % 1000}.exe']",
            };
        }
        return patterns;
    }

    /// <summary><paramref name="count"/> observed-data objects as one JSON array; the same seed gives the same bytes.</summary>
    public static byte[] ObservedData(int count, int seed = 2)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder(count * 400).Append('[');
        var day = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int i = 0; i < count; i++)
        {
            int v = rng.Next(Pool);
            var first = day.AddSeconds(rng.Next(86_400));
            var last = first.AddSeconds(rng.Next(600));
            string objects = rng.Next(100) switch
            {
                < 30 => $$$$"""{"0":{"type":"ipv4-addr","value":"{{{{Ip(v)}}}}"}}""",
                < 50 => $$$$"""{"0":{"type":"domain-name","value":"{{{{(rng.Next(2) == 0 ? Domain(v) : "host" + v % 50 + "." + Domain(v % 997))}}}}"}}""",
                < 65 => $$$$"""{"0":{"type":"url","value":"{{{{Url(v)}}}}"}}""",
                < 80 => $$$$"""{"0":{"type":"file","name":"sample{{{{v % 1000}}}}.exe","size":{{{{v * 7 % 200_000}}}},"hashes":{"MD5":"{{{{Md5(v)}}}}","SHA-256":"{{{{Sha256(v)}}}}"}}}""",
                < 90 => $$$$"""{"0":{"type":"network-traffic","src_ref":"1","dst_ref":"2","dst_port":{{{{(v % 3 == 0 ? 445 : 443)}}}},"protocols":["ipv4","tcp"]},"1":{"type":"ipv4-addr","value":"192.168.{{{{v % 256}}}}.{{{{v % 200}}}}"},"2":{"type":"ipv4-addr","value":"{{{{Ip(v)}}}}"}}""",
                < 95 => $$$$"""{"0":{"type":"email-message","is_multipart":false,"from_ref":"1","subject":"{{{{(v % 2 == 0 ? "Invoice " + v : "Meeting")}}}}"},"1":{"type":"email-addr","value":"billing@{{{{Domain(v)}}}}"}}""",
                _ => $$$$"""{"0":{"type":"ipv6-addr","value":"2001:db8:{{{{v % 4096:x}}}}::{{{{v:x}}}}"}}""",
            };
            if (i > 0)
            {
                sb.Append(',');
            }
            sb.Append(CultureInfo.InvariantCulture, $$$$"""{"type":"observed-data","spec_version":"2.1","id":"observed-data--{{{{Uuid(rng)}}}}","created":"2026-11-02T00:00:00.000Z","modified":"2026-11-02T00:00:00.000Z","first_observed":"{{{{first:yyyy-MM-ddTHH:mm:ss}}}}Z","last_observed":"{{{{last:yyyy-MM-ddTHH:mm:ss}}}}Z","number_observed":{{{{1 + rng.Next(3)}}}},"objects":{{{{objects}}}}}""");
        }
        return Encoding.UTF8.GetBytes(sb.Append(']').ToString());
    }

    private static Guid Uuid(Random rng)
    {
        byte[] b = new byte[16];
        rng.NextBytes(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b, bigEndian: true);
    }
}
