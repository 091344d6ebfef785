using System.Text;

namespace Perisai.Benchmarks;

/// <summary>Realistic generated indicators: a SHA-256 file pattern each, as national CERTs share them.</summary>
public static class Generated
{
    public static string Indicator(int seed)
    {
        var rng = new Random(seed);
        byte[] hash = new byte[32];
        rng.NextBytes(hash);
        byte[] uuid = new byte[16];
        rng.NextBytes(uuid);
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x40);
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);
        var id = new Guid(uuid, bigEndian: true);
        return $$"""{"type":"indicator","spec_version":"2.1","id":"indicator--{{id}}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"sample {{seed}}","indicator_types":["malicious-activity"],"pattern":"[file:hashes.'SHA-256' = '{{Convert.ToHexStringLower(hash)}}']","pattern_type":"stix","pattern_version":"2.1","valid_from":"2026-01-01T00:00:00Z","object_marking_refs":["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"]}""";
    }

    public static byte[] Envelope(int first, int count)
    {
        var sb = new StringBuilder(count * 520).Append("{\"objects\":[");
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            sb.Append(Indicator(first + i));
        }
        return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
    }
}
