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

        var sighting = JsonDocument.Parse(await File.ReadAllTextAsync(sightings)).RootElement.GetProperty("objects").EnumerateArray().Single();
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
