using System.Text.Json;
using Perisai.Interop.Misp;
using Perisai.Stix.Json;

namespace Perisai.Interop.Tests.Misp;

/// <summary>
/// MISP events as vendors and CIRCL's OSINT feed publish them, with what STIX 2.1 does not allow (issue 16): each
/// converts to objects the node's validator accepts, the event's report survives, and the loss report says what changed.
/// </summary>
public sealed class MispDefectsTests
{
    private static string Event(string attributes, string date = "2017-05-12", string timestamp = "1494633600") =>
        "{\"Event\":{\"uuid\":\"5915a8c4-0f7c-4b1e-9f4a-2b6f0a0c1d2e\",\"info\":\"Vendor export\",\"date\":\"" + date + "\",\"timestamp\":\"" + timestamp + "\","
        + "\"published\":true,\"threat_level_id\":\"1\",\"analysis\":\"2\",\"Orgc\":{\"name\":\"CIRCL\",\"uuid\":\"55f6ea5e-2c60-40e5-964f-47a8950d210f\"},"
        + "\"Attribute\":[" + attributes + "]}}";

    private static string Attribute(string uuid, string type, string value, bool toIds = true) =>
        $$"""{"uuid":"{{uuid}}","type":"{{type}}","category":"Network activity","value":{{JsonSerializer.Serialize(value)}},"to_ids":{{(toIds ? "true" : "false")}},"timestamp":"1494633600"}""";

    private static (StixConversion Stix, IntakeResult Intake) Convert(string json)
    {
        var stix = MispToStix.Convert(JsonDocument.Parse(json).RootElement);
        using var doc = StixDocument.Parse(stix.ToBundle());
        var intake = StixIntake.Check(doc, Guid.NewGuid, Perisai.Patterning.PatternValidation.Options);
        Assert.Empty(intake.Failures.Select(f => f.Summary()));
        return (stix, intake);
    }

    private static IEnumerable<string> Patterns(StixConversion stix) =>
        stix.Objects.Where(o => o["type"]!.GetValue<string>() == "indicator").Select(o => o["pattern"]!.GetValue<string>());

    [Theory]
    [InlineData(@"HKCU\SOFTWARE\Classes\CLSID\{0E5AAE11-A475-4C5B-AB00-C66DE400274E}", @"HKEY_CURRENT_USER\\SOFTWARE\\Classes\\CLSID\\{0E5AAE11-A475-4C5B-AB00-C66DE400274E}")]
    [InlineData(@"hklm\Software\Microsoft\Windows\CurrentVersion\Run", @"HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run")]
    [InlineData(@"HKCR\exefile\shell\open\command", @"HKEY_CLASSES_ROOT\\exefile\\shell\\open\\command")]
    [InlineData(@"HKU\.DEFAULT\Software", @"HKEY_USERS\\.DEFAULT\\Software")]
    [InlineData(@"HkCc\System", @"HKEY_CURRENT_CONFIG\\System")]
    [InlineData(@"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet", @"HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet")]
    public void An_abbreviated_registry_hive_is_written_in_full(string key, string inPattern)
    {
        var (stix, _) = Convert(Event(Attribute("0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f", "regkey", key)));
        Assert.Equal($"[windows-registry-key:key = '{inPattern}']", Patterns(stix).Single());
        bool abbreviated = !key.StartsWith("HKEY_", StringComparison.Ordinal);
        Assert.Equal(abbreviated, stix.Loss.Entries.Any(e => e.Field == "registry key hive"));
    }

    [Fact]
    public void An_abbreviated_hive_in_an_observed_value_is_written_in_full_too()
    {
        var (stix, _) = Convert(Event(Attribute("1c2d3e4f-5061-4728-9930-4b5c6d7e8f90", "regkey", @"HKLM\Software\Run", toIds: false)));
        var key = stix.Objects.Single(o => o["type"]!.GetValue<string>() == "windows-registry-key");
        Assert.Equal(@"HKEY_LOCAL_MACHINE\Software\Run", key["key"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("tokeiss.ddns.net", "[domain-name:value = 'tokeiss.ddns.net']")]
    [InlineData("198.51.100.23", "[ipv4-addr:value = '198.51.100.23']")]
    [InlineData("2001:db8::1", "[ipv6-addr:value = '2001:db8::1']")]
    [InlineData("evil.example/gate.php", "[url:value = 'http://evil.example/gate.php']")]
    [InlineData("http://evil.example/gate.php", "[url:value = 'http://evil.example/gate.php']")]
    [InlineData("hxxp-not-a-scheme.example:8080", "[url:value = 'http://hxxp-not-a-scheme.example:8080']")]
    public void A_url_without_a_scheme_becomes_the_observable_it_is(string value, string pattern)
    {
        var (stix, _) = Convert(Event(Attribute("2d3e4f50-6172-4839-8a41-5c6d7e8f90a1", "url", value)));
        Assert.Equal(pattern, Patterns(stix).Single());
        Assert.Equal(!value.StartsWith("http://", StringComparison.Ordinal), stix.Loss.Entries.Any(e => e.Field == "url without a scheme"));
    }

    [Fact]
    public void An_event_dated_after_its_timestamp_keeps_its_report_created_at_the_earlier_instant()
    {
        // date 2017-06-01, timestamp 2017-05-13T00:00:00Z: the report's modified must not be before its created.
        var (stix, intake) = Convert(Event(Attribute("3e4f5061-7283-494a-9b52-6d7e8f90a1b2", "domain", "evil.example"), date: "2017-06-01", timestamp: "1494633600"));
        var report = stix.Objects.Single(o => o["type"]!.GetValue<string>() == "report");
        Assert.Equal("2017-05-13T00:00:00.000Z", report["created"]!.GetValue<string>());
        Assert.Equal("2017-05-13T00:00:00.000Z", report["modified"]!.GetValue<string>());
        Assert.Contains(intake.Valid, o => o.Type == "report");
        var entry = Assert.Single(stix.Loss.Entries, e => e.Field == "Event.date");
        Assert.Contains("2017-06-01T00:00:00.000Z", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("2017-05-13T00:00:00.000Z", entry.Detail, StringComparison.Ordinal);
        // The creator's identity too.
        var identity = stix.Objects.Single(o => o["type"]!.GetValue<string>() == "identity" && o["id"]!.GetValue<string>() != MispExtension.PublisherId);
        Assert.True(string.CompareOrdinal(identity["created"]!.GetValue<string>(), identity["modified"]!.GetValue<string>()) <= 0);
    }
}
