using System.Text.Json;

namespace Perisai.Cli.Tests;

/// <summary><c>perisai scan</c> as a script runs it: exit codes, JSON lines, sightings.</summary>
public sealed class ScanCommandTests
{
    private const string Bundle = """
        {"type":"bundle","id":"bundle--7a1c3e2f-0000-4000-8000-000000000001","objects":[
          {"type":"indicator","spec_version":"2.1","id":"indicator--7a1c3e2f-0000-4000-8000-00000000000a","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"WannaCry kill switch","pattern":"[domain-name:value = 'iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com']","pattern_type":"stix","valid_from":"2017-05-12T00:00:00Z"},
          {"type":"indicator","spec_version":"2.1","id":"indicator--7a1c3e2f-0000-4000-8000-00000000000b","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"expired","pattern":"[domain-name:value = 'old.example']","pattern_type":"stix","valid_from":"2017-05-12T00:00:00Z","valid_until":"2018-01-01T00:00:00Z"}]}
        """;

    private const string DnsLog = """
        #separator \x09
        #fields	ts	uid	id.orig_h	query
        1764417600.000000	C1	192.168.1.5	www.iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com
        1764417660.000000	C2	192.168.1.6	iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com
        1764417700.000000	C3	192.168.1.6	old.example
        1764417701.000000	C4	192.168.1.7	notiuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com
        """;

    [Fact]
    public async Task Scan_ZeekLog_HitsAsJsonLinesAndSightingsPerIndicator()
    {
        string dir = PerisaiProcess.TempDir();
        string intel = Path.Combine(dir, "intel.json"), log = Path.Combine(dir, "dns.log"), sightings = Path.Combine(dir, "sightings.json");
        await File.WriteAllTextAsync(intel, Bundle);
        await File.WriteAllTextAsync(log, DnsLog);
        var (exit, stdout, stderr) = await PerisaiProcess.RunAsync("scan", log, "--indicators", intel, "--json",
            "--sightings", sightings, "--identity", "identity--7a1c3e2f-0000-4000-8000-0000000000ff");
        Assert.Equal(0, exit);
        var hits = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([3L, 4L], hits.Select(h => h.GetProperty("line").GetInt64()));
        Assert.All(hits, h => Assert.Equal("indicator--7a1c3e2f-0000-4000-8000-00000000000a", h.GetProperty("indicator").GetString()));
        Assert.Contains("\"malformed\": 0", stderr, StringComparison.Ordinal);
        using (var summary = JsonDocument.Parse(stderr))
        {
            // The summary a script reads: what was read, and the rate per second of processor time (per core).
            Assert.Equal(new FileInfo(log).Length, summary.RootElement.GetProperty("bytes").GetInt64());
            Assert.True(summary.RootElement.GetProperty("cpu_seconds").GetDouble() >= 0);
            Assert.True(summary.RootElement.GetProperty("mb_per_cpu_second").GetDouble() >= 0);
        }

        var objects = JsonDocument.Parse(await File.ReadAllTextAsync(sightings)).RootElement.GetProperty("objects").EnumerateArray().ToList();
        var sighting = objects.Single(o => o.GetProperty("type").GetString() == "sighting");
        // What was seen: an observed-data of the two names (count 2 over the minute), each a domain-name SCO.
        string observedId = sighting.GetProperty("observed_data_refs")[0].GetString()!;
        var observed = objects.Single(o => o.GetProperty("id").GetString() == observedId);
        Assert.Equal(2, observed.GetProperty("number_observed").GetInt32());
        var names = observed.GetProperty("object_refs").EnumerateArray().Select(r => objects.Single(o => o.GetProperty("id").GetString() == r.GetString()))
            .Select(o => (o.GetProperty("type").GetString(), o.GetProperty("value").GetString())).Order().ToArray();
        Assert.Equal([("domain-name", "iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com"), ("domain-name", "www.iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com")], names);
        var validate = await PerisaiProcess.RunAsync("validate", sightings);
        Assert.True(validate.Exit == 0, validate.Out);
        Assert.Equal("sighting", sighting.GetProperty("type").GetString());
        Assert.Equal("indicator--7a1c3e2f-0000-4000-8000-00000000000a", sighting.GetProperty("sighting_of_ref").GetString());
        Assert.Equal(2, sighting.GetProperty("count").GetInt32());
        Assert.Equal("2025-11-29T12:00:00.000Z", sighting.GetProperty("first_seen").GetString());
        Assert.Equal("2025-11-29T12:01:00.000Z", sighting.GetProperty("last_seen").GetString());
        Assert.Equal("identity--7a1c3e2f-0000-4000-8000-0000000000ff", sighting.GetProperty("where_sighted_refs")[0].GetString());
    }

    [Fact]
    public async Task Scan_NothingFound_ExitsOne_AndDefangsInHumanOutput()
    {
        string dir = PerisaiProcess.TempDir();
        string intel = Path.Combine(dir, "list.txt"), log = Path.Combine(dir, "dns.log");
        await File.WriteAllTextAsync(intel, "nothing-here[.]example\n");
        await File.WriteAllTextAsync(log, DnsLog);
        Assert.Equal(1, (await PerisaiProcess.RunAsync("scan", log, "--indicators", intel)).Exit);
        await File.WriteAllTextAsync(intel, "hxxp://x.example/\niuqerfsodp9ifjaposdfjhgosurijfaewrwergwea[.]com\n");
        var (exit, stdout, _) = await PerisaiProcess.RunAsync("scan", log, "--indicators", intel);
        Assert.Equal(0, exit);
        Assert.Contains("www[.]iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea[.]com", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_NoUsableIndicator_ExitsTwoWithTheReason()
    {
        string dir = PerisaiProcess.TempDir();
        string intel = Path.Combine(dir, "intel.json"), log = Path.Combine(dir, "dns.log");
        await File.WriteAllTextAsync(intel, "{\"type\":\"bundle\",");
        await File.WriteAllTextAsync(log, DnsLog);
        var (exit, _, stderr) = await PerisaiProcess.RunAsync("scan", log, "--indicators", intel);
        Assert.Equal(2, exit);
        Assert.Contains("intel.json", stderr, StringComparison.Ordinal);
        Assert.Contains("no usable indicator", stderr, StringComparison.Ordinal);
    }
}

/// <summary><c>perisai scan --from</c> against a real node: indicators pulled over TAXII, sightings reported back.</summary>
public sealed class ScanFromNodeTests
{
    [Fact]
    public async Task Scan_FromDemoNode_PullsIndicatorsAndReportsSightings()
    {
        string dir = PerisaiProcess.TempDir();
        await using var node = await PerisaiProcess.StartAsync(Path.Combine(dir, "data"), "--demo");
        string key = node.DemoKeys["mycert-analyst"];
        string log = Path.Combine(dir, "dns.log");
        await File.WriteAllTextAsync(log, "#separator \\x09\n#fields\tts\tid.orig_h\tquery\n1764417600.0\t192.168.1.5\twww.iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com\n1764417601.0\t192.168.1.5\texample.org\n");
        // The demo holds sightings of its own (six weeks of regional activity): the scan's are counted on top of them.
        var before = await Summary(node);
        // No --identity: the node says which organization the key is, and the sightings are made there.
        var (exit, stdout, stderr) = await PerisaiProcess.RunAsync("scan", log, "--from", node.BaseUrl, "--key", key, "--json", "--report");
        Assert.True(exit == 0, stderr);
        // The demo shares the WannaCry intelligence in two collections, as two indicators: both hit, on line 3.
        var hits = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(3, h.GetProperty("line").GetInt64()));
        Assert.All(hits, h => Assert.Equal("WannaCry: kill-switch domain", h.GetProperty("name").GetString()));
        string[] indicators = [.. hits.Select(h => h.GetProperty("indicator").GetString()!).Order(StringComparer.Ordinal)];
        Assert.Contains("reported 1 sighting(s) with their observed data (3 objects) to collection", stderr, StringComparison.Ordinal);

        using var client = node.Client(key);
        var collections = JsonDocument.Parse(await client.GetStringAsync("/default/collections/")).RootElement.GetProperty("collections");
        var sightings = new List<JsonElement>();
        foreach (var c in collections.EnumerateArray().Where(c => c.GetProperty("can_read").GetBoolean()))
        {
            for (int attempt = 0; attempt < 50; attempt++)
            {
                var body = JsonDocument.Parse(await client.GetStringAsync($"/default/collections/{c.GetProperty("id").GetString()}/objects/?match[type]=sighting&limit=1000")).RootElement;
                // The scan's sightings are the ones with observed data (the demo's have none).
                var made = body.TryGetProperty("objects", out var objects) ? objects.EnumerateArray().Where(o => o.TryGetProperty("observed_data_refs", out _)).ToList() : [];
                if (made.Count > 0)
                {
                    sightings.AddRange(made);
                    break;
                }
                if (attempt == 49 || !stderr.Contains(c.GetProperty("id").GetString()!, StringComparison.Ordinal))
                {
                    break;
                }
                await Task.Delay(100);
            }
        }
        Assert.Equal(indicators, sightings.Select(x => x.GetProperty("sighting_of_ref").GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.All(sightings, x => Assert.Equal(1, x.GetProperty("count").GetInt32()));

        // The node's summary, as the reporting organization sees it: both indicators one more time each, from
        // Malaysia, and nothing else changed.
        var after = await Summary(node);
        foreach (var (indicator, (count, my)) in after)
        {
            var (count0, my0) = before.GetValueOrDefault(indicator);
            bool hit = indicators.Contains(indicator);
            Assert.Equal(hit ? count0 + 1 : count0, count);
            Assert.Equal(hit ? my0 + 1 : my0, my);
        }
        Assert.All(indicators, i => Assert.True(after.ContainsKey(i)));
    }

    private static async Task<Dictionary<string, (long Count, long My)>> Summary(PerisaiProcess node)
    {
        var summary = await PerisaiProcess.RunAsync(["sightings", "--as", "MyCERT", "--json", .. node.StoreArgs]);
        Assert.True(summary.Exit == 0, summary.Err);
        return JsonDocument.Parse(summary.Out).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("indicator").GetString()!,
            r => (r.GetProperty("count").GetInt64(), r.GetProperty("by_country").TryGetProperty("MY", out var my) ? my.GetInt64() : 0L), StringComparer.Ordinal);
    }
}
