using System.Diagnostics;
using System.Text;
using Perisai.Interop.Sensors;
using Perisai.Stix.Markings;

namespace Perisai.Interop.Tests.Sensors;

/// <summary>Sensor exports: the layout each consumer reads, and only active list-like indicators.</summary>
public sealed class SensorExportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static string Indicator(string id, string pattern, string? validUntil = null, bool revoked = false, string? name = null) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "indicator", ["spec_version"] = "2.1", ["id"] = $"indicator--00000000-0000-4000-8000-{id.PadLeft(12, '0')}",
            ["created"] = "2026-01-01T00:00:00.000Z", ["modified"] = "2026-01-01T00:00:00.000Z", ["name"] = name,
            ["pattern"] = pattern, ["pattern_type"] = "stix", ["valid_from"] = "2026-01-01T00:00:00Z", ["valid_until"] = validUntil, ["revoked"] = revoked,
            ["object_marking_refs"] = new[] { TlpMarkings.Green },
        });

    private static async IAsyncEnumerable<string> Objects(params string[] objects)
    {
        foreach (string o in objects)
        {
            await Task.Yield();
            yield return o;
        }
    }

    private static readonly string[] CheckzonePaths = ["/usr/bin/named-checkzone", "/usr/sbin/named-checkzone"];

    private static readonly string[] Sample =
    [
        Indicator("1", "[domain-name:value = 'evil.example']", name: "Phishing, \"kit\""),
        Indicator("2", "[ipv4-addr:value = '198.51.100.7'] OR [ipv4-addr:value = '10.0.0.0/8']"),
        Indicator("3", "[url:value = 'http://bad.example/payload.exe']"),
        Indicator("4", "[file:hashes.'SHA-256' = 'ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa']"),
        Indicator("5", "[ipv6-addr:value = '2001:db8::/32']"),
        Indicator("6", "[domain-name:value = 'expired.example']", validUntil: "2026-06-01T00:00:00Z"),
        Indicator("7", "[domain-name:value = 'revoked.example']", revoked: true),
        Indicator("8", "[domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example']"),
        """{"type":"malware","spec_version":"2.1","id":"malware--00000000-0000-4000-8000-000000000009","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"x","is_family":true}""",
    ];

    private static async Task<(Dictionary<string, string> Files, SensorExportResult Result)> Export(SensorFormat format)
    {
        var files = new Dictionary<string, StringWriter>();
        var result = await SensorExport.WriteAsync(Objects(Sample), format, name => files[name] = new StringWriter(), Now, "test feed");
        return (files.ToDictionary(f => f.Key, f => f.Value.ToString()), result);
    }

    [Fact]
    public async Task A_blocklist_holds_the_values_of_active_list_indicators_only()
    {
        var (files, result) = await Export(SensorFormat.Blocklist);
        Assert.Equal(["evil.example", "198.51.100.7", "10.0.0.0/8", "http://bad.example/payload.exe", "ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa", "2001:db8::/32"],
            files[""].Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(5, result.Indicators);
        Assert.Equal(3, result.Skipped); // expired, revoked, FOLLOWEDBY
    }

    [Fact]
    public async Task The_zeek_intel_file_follows_the_intel_frameworks_layout()
    {
        var (files, _) = await Export(SensorFormat.ZeekIntel);
        var lines = files[""].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Equal(5, l.Split('\t').Length));
        Assert.Contains("evil.example\tIntel::DOMAIN\ttest feed\tPhishing, \"kit\" (indicator--00000000-0000-4000-8000-000000000001)\t-", lines);
        Assert.Contains(lines, l => l.StartsWith("10.0.0.0/8\tIntel::SUBNET\t", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("198.51.100.7\tIntel::ADDR\t", StringComparison.Ordinal));
        // Zeek compares URLs without their scheme.
        Assert.Contains(lines, l => l.StartsWith("bad.example/payload.exe\tIntel::URL\t", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("\t-", StringComparison.Ordinal) && l.Contains("Intel::FILE_HASH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Csv_quotes_what_needs_quoting()
    {
        var (files, _) = await Export(SensorFormat.Csv);
        var lines = files[""].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("value,kind,indicator_id,name,valid_from,valid_until,tlp", lines[0]);
        Assert.Contains("evil.example,domain,indicator--00000000-0000-4000-8000-000000000001,\"Phishing, \"\"kit\"\"\",2026-01-01T00:00:00Z,,GREEN", lines);
    }

    [Fact]
    public async Task Suricata_gets_rules_and_base64_datasets()
    {
        var (files, result) = await Export(SensorFormat.Suricata);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("evil.example")), files["perisai-domains.lst"].Trim());
        Assert.Equal("ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa", files["perisai-sha256.lst"].Trim());
        string rules = files["perisai.rules"];
        Assert.Contains("dns.query; dataset:isset,perisai-domains,type string,load perisai-domains.lst;", rules, StringComparison.Ordinal);
        Assert.Contains("-> [198.51.100.7,10.0.0.0/8,2001:db8::/32] any", rules, StringComparison.Ordinal);
        Assert.Equal(rules.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, rules.Split("sid:").Length - 1);
        Assert.Equal(1, result.Unsupported[Perisai.Detection.Indicators.IocKind.Url]);
    }

    [Fact]
    public async Task The_rpz_zone_has_domain_and_address_triggers_and_passes_named_checkzone()
    {
        var (files, result) = await Export(SensorFormat.Rpz);
        string zone = files[""];
        Assert.Contains("evil.example CNAME .\n*.evil.example CNAME .\n", zone, StringComparison.Ordinal);
        Assert.Contains("32.7.100.51.198.rpz-ip CNAME .", zone, StringComparison.Ordinal);
        Assert.Contains("8.0.0.0.10.rpz-ip CNAME .", zone, StringComparison.Ordinal);
        Assert.Contains("32.zz.db8.2001.rpz-ip CNAME .", zone, StringComparison.Ordinal);
        Assert.Equal(1, result.Unsupported[Perisai.Detection.Indicators.IocKind.Url]);

        string? checker = CheckzonePaths.FirstOrDefault(File.Exists);
        Assert.SkipWhen(checker is null, "named-checkzone is not installed (Debian: apt-get install bind9-utils; CI installs it)");
        string path = Path.Combine(Path.GetTempPath(), $"perisai-{Guid.NewGuid()}.rpz");
        await File.WriteAllTextAsync(path, zone);
        try
        {
            var psi = new ProcessStartInfo(checker!, ["rpz.perisai.test", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(psi)!;
            string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, output);
            Assert.Contains("OK", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
