using System.Text.Json;
using Perisai.Stix.Markings;

namespace Perisai.Cli.Tests;

/// <summary><c>perisai import</c> and <c>export</c> in each format, end to end through the store and the sharing filter.</summary>
public sealed class InteropCommandTests
{
    private static string MispEvent => Path.Combine(AppContext.BaseDirectory, "TestData", "misp", "wannacry-event.json");

    private static async Task<string> NodeAsync()
    {
        string data = Path.Combine(PerisaiProcess.TempDir(), "data");
        Assert.Equal(0, (await PerisaiProcess.RunAsync("org", "add", "MyCERT", "--country", "MY", "--data", data)).Exit);
        Assert.Equal(0, (await PerisaiProcess.RunAsync("collection", "add", "--title", "ASEAN shared", "--alias", "asean", "--owner", "MyCERT", "--data", data)).Exit);
        Assert.Equal(0, (await PerisaiProcess.RunAsync("collection", "add", "--title", "Mirror", "--alias", "mirror", "--owner", "MyCERT", "--data", data)).Exit);
        return data;
    }

    [Fact]
    public async Task An_export_of_MISP_converted_data_carries_the_MISP_properties_under_the_published_extension_and_no_x_misp_property()
    {
        string data = await NodeAsync();
        Assert.Equal(0, (await PerisaiProcess.RunAsync("import", MispEvent, "--collection", "asean", "--as", "MyCERT", "--data", data)).Exit);
        string bundle = Path.Combine(PerisaiProcess.TempDir(), "out.json");
        var export = await PerisaiProcess.RunAsync("export", "--collection", "asean", "--as", "MyCERT", "--out", bundle, "--data", data);
        Assert.True(export.Exit == 0, export.Err);
        var objects = JsonDocument.Parse(await File.ReadAllTextAsync(bundle)).RootElement.GetProperty("objects").EnumerateArray().ToList();
        Assert.DoesNotContain(objects, o => o.EnumerateObject().Any(p => p.Name.StartsWith("x_misp_", StringComparison.Ordinal)));
        const string id = "extension-definition--7c3d2b1a-5e4f-4a6b-9c8d-0e1f2a3b4c5d";
        Assert.Contains(objects, o => o.GetProperty("id").GetString() == id && o.GetProperty("type").GetString() == "extension-definition");
        Assert.Contains(objects, o => o.TryGetProperty("extensions", out var e) && e.TryGetProperty(id, out var m) && m.TryGetProperty("category", out _));
        // And the export validates: no error, no warning.
        var validate = await PerisaiProcess.RunAsync("validate", bundle);
        Assert.True(validate.Exit == 0, validate.Out + validate.Err);
        Assert.DoesNotContain("warning", validate.Out + validate.Err, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_import_with_one_invalid_object_says_on_its_last_line_how_many_were_still_added()
    {
        string data = await NodeAsync();
        string file = Path.Combine(PerisaiProcess.TempDir(), "two.json");
        await File.WriteAllTextAsync(file, """
            {"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
             {"type":"indicator","spec_version":"2.1","id":"indicator--c1f0a9e2-5a8d-4f0b-9d55-0f4f3f0a7b11","created":"2026-11-29T08:00:00.000Z","modified":"2026-11-29T08:00:00.000Z","pattern":"[domain-name:value = 'evil.example']","pattern_type":"stix","valid_from":"2026-11-29T08:00:00Z"},
             {"type":"indicator","spec_version":"2.1","id":"indicator--d2f0a9e2-5a8d-4f0b-9d55-0f4f3f0a7b12","created":"2026-11-29T08:00:00.000Z","modified":"2026-11-29T08:00:00.000Z","pattern":"[domain-name:value = ","pattern_type":"stix","valid_from":"2026-11-29T08:00:00Z"}]}
            """);
        var import = await PerisaiProcess.RunAsync("import", file, "--collection", "asean", "--as", "MyCERT", "--data", data);
        Assert.Equal(1, import.Exit);
        string last = import.Err.TrimEnd().Split('\n')[^1];
        Assert.Equal("1 object added to 'ASEAN shared', 0 unchanged, 1 rejected.", last);
        Assert.Contains("indicator--d2f0a9e2-5a8d-4f0b-9d55-0f4f3f0a7b12", import.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_MISP_event_goes_out_as_a_MISP_feed_that_imports_again_incrementally()
    {
        string data = await NodeAsync();
        string dir = PerisaiProcess.TempDir();
        string loss = Path.Combine(dir, "loss.json");
        var import = await PerisaiProcess.RunAsync("import", MispEvent, "--collection", "asean", "--as", "MyCERT", "--data", data, "--json", "--loss-report", loss);
        Assert.True(import.Exit == 0, import.Out + import.Err);
        var report = JsonDocument.Parse(import.Out).RootElement[0];
        Assert.Equal("misp", report.GetProperty("format").GetString());
        // The event's 28 objects, and the MISP property extension's definition and its publisher.
        Assert.Equal(30, report.GetProperty("added").GetInt32());
        var entries = JsonDocument.Parse(await File.ReadAllTextAsync(loss)).RootElement;
        Assert.Contains(entries.EnumerateArray(), e => e.GetProperty("field").GetString() == "PAP tag" && e.GetProperty("fate").GetString() == "approximated");

        string feed = Path.Combine(dir, "feed");
        var export = await PerisaiProcess.RunAsync("export", "--collection", "asean", "--as", "MyCERT", "--format", "misp-feed", "--out", feed, "--data", data);
        Assert.True(export.Exit == 0, export.Err);
        Assert.True(File.Exists(Path.Combine(feed, "manifest.json")));
        Assert.True(File.Exists(Path.Combine(feed, "hashes.csv")));
        Assert.True(File.Exists(Path.Combine(feed, "5f1c3a8e-8d2b-4b7e-9a61-3c0e2f4b7d10.json")));

        string state = Path.Combine(dir, "state.json");
        var pull = await PerisaiProcess.RunAsync("import", feed, "--collection", "mirror", "--as", "MyCERT", "--state", state, "--data", data, "--json");
        Assert.True(pull.Exit == 0, pull.Out + pull.Err);
        var pulled = JsonDocument.Parse(pull.Out).RootElement[0];
        Assert.Equal("misp-feed", pulled.GetProperty("format").GetString());
        Assert.Equal(30, pulled.GetProperty("added").GetInt32());
        var again = JsonDocument.Parse((await PerisaiProcess.RunAsync("import", feed, "--collection", "mirror", "--as", "MyCERT", "--state", state, "--data", data, "--json")).Out).RootElement[0];
        Assert.Equal(0, again.GetProperty("total").GetInt32()); // nothing changed: no event fetched

        // And the mirror, exported as MISP, holds the event's attributes.
        var misp = await PerisaiProcess.RunAsync("export", "--collection", "mirror", "--as", "MyCERT", "--format", "misp", "--data", data);
        var ev = JsonDocument.Parse(misp.Out).RootElement.EnumerateArray().Single(e => e.GetProperty("Event").GetProperty("uuid").GetString() == "5f1c3a8e-8d2b-4b7e-9a61-3c0e2f4b7d10");
        Assert.Equal(12, ev.GetProperty("Event").GetProperty("Attribute").GetArrayLength());
        Assert.Equal(2, ev.GetProperty("Event").GetProperty("Object").GetArrayLength());
    }

    [Theory]
    [InlineData("blocklist")]
    [InlineData("rpz")]
    [InlineData("zeek")]
    [InlineData("csv")]
    [InlineData("misp")]
    [InlineData("stix")]
    public async Task TLP_RED_never_leaves_in_any_format_not_even_to_its_producer(string format)
    {
        string data = await NodeAsync();
        string dir = PerisaiProcess.TempDir();
        string bundle = Path.Combine(dir, "b.json");
        string Indicator(string n, string domain, string marking) => $$"""
            {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-00000000000{{n}}","created":"2026-01-01T00:00:00.000Z",
             "modified":"2026-01-01T00:00:00.000Z","pattern":"[domain-name:value = '{{domain}}']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z",
             "object_marking_refs":["{{marking}}"]}
            """;
        await File.WriteAllTextAsync(bundle, $$"""{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000001","objects":[{{Indicator("1", "green.example", TlpMarkings.Green)}},{{Indicator("2", "red-secret.example", TlpMarkings.Red)}}]}""");
        Assert.Equal(0, (await PerisaiProcess.RunAsync("import", bundle, "--collection", "asean", "--as", "MyCERT", "--data", data)).Exit);
        var export = await PerisaiProcess.RunAsync("export", "--collection", "asean", "--as", "MyCERT", "--format", format, "--data", data);
        Assert.Equal(0, export.Exit);
        Assert.Contains("green.example", export.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("red-secret", export.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_abuse_ch_csv_imports_with_its_preset_and_again_changes_nothing()
    {
        string data = await NodeAsync();
        string csv = Path.Combine(PerisaiProcess.TempDir(), "ipblocklist.csv");
        await File.WriteAllTextAsync(csv, """
            # abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)
            "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"
            "2021-01-17 07:30:05","198.51.100.143","443","online","2026-11-28","QakBot"
            "2022-03-02 11:00:00","203.0.113.9","8080","offline","2026-10-01","Emotet"
            "2022-03-02 11:00:00","not-an-address","8080","offline","2026-10-01","Emotet"
            """);
        var first = await PerisaiProcess.RunAsync("import", csv, "--preset", "feodo", "--collection", "asean", "--as", "MyCERT", "--data", data, "--json");
        Assert.Equal(1, first.Exit); // one row is unreadable, and says so
        var report = JsonDocument.Parse(first.Out).RootElement[0];
        Assert.Equal(2, report.GetProperty("added").GetInt32());
        Assert.Contains("line 5", report.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        var second = JsonDocument.Parse((await PerisaiProcess.RunAsync("import", csv, "--preset", "feodo", "--collection", "asean", "--as", "MyCERT", "--data", data, "--json")).Out).RootElement[0];
        Assert.Equal(0, second.GetProperty("added").GetInt32());
        Assert.Equal(2, second.GetProperty("unchanged").GetInt32());
        var zeek = await PerisaiProcess.RunAsync("export", "--collection", "asean", "--as", "MyCERT", "--format", "zeek", "--data", data);
        Assert.Contains("198.51.100.143\tIntel::ADDR\tASEAN shared\tQakBot: 198.51.100.143", zeek.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_format_without_out_is_refused_clearly()
    {
        string data = await NodeAsync();
        var r = await PerisaiProcess.RunAsync("export", "--collection", "asean", "--format", "suricata", "--data", data);
        Assert.Equal(1, r.Exit);
        Assert.Contains("--out", r.Err, StringComparison.Ordinal);
    }
}
