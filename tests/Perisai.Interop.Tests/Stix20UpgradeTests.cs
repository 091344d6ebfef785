using System.Text.Json;
using Perisai.Stix.Json;

namespace Perisai.Interop.Tests;

/// <summary>STIX 2.0 bundles upgraded to 2.1 pass the node's intake.</summary>
public sealed class Stix20UpgradeTests
{
    private const string Bundle20 = """
        {"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","spec_version":"2.0","objects":[
          {"type":"indicator","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2017-05-13T00:00:00.000Z","modified":"2017-05-13T00:00:00.000Z",
           "name":"WannaCry kill switch","labels":["malicious-activity"],"pattern":"[domain-name:value = 'www.iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com']","valid_from":"2017-05-12T00:00:00Z"},
          {"type":"malware","id":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b","created":"2017-05-13T00:00:00.000Z","modified":"2017-05-13T00:00:00.000Z",
           "name":"WannaCry","labels":["ransomware","worm"]},
          {"type":"observed-data","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf","created":"2017-05-13T00:00:00.000Z","modified":"2017-05-13T00:00:00.000Z",
           "first_observed":"2017-05-12T08:00:00Z","last_observed":"2017-05-12T08:00:00Z","number_observed":3,
           "objects":{"0":{"type":"ipv4-addr","value":"198.51.100.3"},"1":{"type":"network-traffic","dst_ref":"0","dst_port":445,"protocols":["tcp"]}}},
          {"type":"relationship","id":"relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad","created":"2017-05-13T00:00:00.000Z","modified":"2017-05-13T00:00:00.000Z",
           "relationship_type":"indicates","source_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"}
        ]}
        """;

    [Fact]
    public void A_2_0_bundle_is_recognized_and_its_upgrade_passes_intake()
    {
        using var doc = JsonDocument.Parse(Bundle20);
        Assert.True(Stix20Upgrade.IsStix20(doc.RootElement));
        var upgraded = Stix20Upgrade.Upgrade(doc.RootElement);
        using var parsed = StixDocument.Parse(upgraded.ToBundle());
        var intake = StixIntake.Check(parsed, Guid.NewGuid, Perisai.Patterning.PatternValidation.Options);
        Assert.Empty(intake.Failures.Select(f => f.Summary()));
        Assert.Equal(6, intake.Valid.Count); // two SCOs came out of the observed-data

        var byType = upgraded.Objects.ToDictionary(o => o["type"]!.GetValue<string>());
        Assert.Equal(["malicious-activity"], byType["indicator"]["indicator_types"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("stix", byType["indicator"]["pattern_type"]!.GetValue<string>());
        Assert.True(byType["malware"]["is_family"]!.GetValue<bool>());
        Assert.Equal(["ransomware", "worm"], byType["malware"]["malware_types"]!.AsArray().Select(x => x!.GetValue<string>()));
        string ip = byType["ipv4-addr"]["id"]!.GetValue<string>();
        Assert.Equal(ip, byType["network-traffic"]["dst_ref"]!.GetValue<string>());
        Assert.Equal(2, byType["observed-data"]["object_refs"]!.AsArray().Count);
        Assert.Null(byType["observed-data"]["objects"]);
        Assert.Contains(upgraded.Loss.Entries, e => e.Field == "malware.is_family" && e.Fate == LossFate.Approximated);
    }

    [Fact]
    public void A_2_1_bundle_is_not_taken_for_2_0()
    {
        using var doc = JsonDocument.Parse("""{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2017-05-13T00:00:00.000Z"}]}""");
        Assert.False(Stix20Upgrade.IsStix20(doc.RootElement));
    }
}
