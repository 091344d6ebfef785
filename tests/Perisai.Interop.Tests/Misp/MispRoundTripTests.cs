using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Interop.Misp;
using Perisai.Stix.Json;
using Perisai.Stix.Markings;

namespace Perisai.Interop.Tests.Misp;

/// <summary>
/// MISP → STIX → MISP on a realistic event (tests/TestData/misp/wannacry-event.json): every attribute type, object,
/// reference, tag, galaxy and sighting of it comes back as docs/interop.md's mapping table says, and the STIX in
/// between passes the node's own intake.
/// </summary>
public sealed class MispRoundTripTests
{
    private static JsonElement Event() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "misp", "wannacry-event.json"))).RootElement;

    private static (StixConversion Stix, JsonObject Back, MispConversion Conversion) RoundTrip(MispImportOptions? options = null)
    {
        var stix = MispToStix.Convert(Event(), options);
        var bundle = JsonDocument.Parse(stix.ToBundle()).RootElement;
        var back = StixToMisp.Convert([.. bundle.GetProperty("objects").EnumerateArray()]);
        return (stix, back.Events.Single(), back);
    }

    [Fact]
    public void The_STIX_passes_the_nodes_intake_with_no_rejection()
    {
        var stix = MispToStix.Convert(Event());
        using var doc = StixDocument.Parse(stix.ToBundle());
        var intake = StixIntake.Check(doc, Guid.NewGuid, Perisai.Patterning.PatternValidation.Options);
        Assert.Empty(intake.Failures.Select(f => f.Summary()));
        Assert.Equal(stix.Objects.Count, intake.Valid.Count);
    }

    [Fact]
    public void Every_attribute_comes_back_with_its_type_category_value_to_ids_comment_and_times()
    {
        var original = Event().GetProperty("Event");
        var (_, back, _) = RoundTrip();
        var returned = back["Attribute"]!.AsArray().ToDictionary(a => a!["uuid"]!.GetValue<string>());
        foreach (var a in original.GetProperty("Attribute").EnumerateArray())
        {
            string uuid = a.GetProperty("uuid").GetString()!;
            Assert.True(returned.TryGetValue(uuid, out var r), $"attribute {uuid} ({a.GetProperty("type")}) did not come back");
            Assert.Equal(a.GetProperty("type").GetString(), r!["type"]!.GetValue<string>());
            Assert.Equal(a.GetProperty("category").GetString(), r["category"]!.GetValue<string>());
            Assert.Equal(a.GetProperty("value").GetString(), r["value"]!.GetValue<string>());
            Assert.Equal(a.GetProperty("to_ids").GetBoolean(), r["to_ids"]!.GetValue<bool>());
            Assert.Equal(a.GetProperty("comment").GetString(), r["comment"]!.GetValue<string>());
            Assert.Equal(a.GetProperty("timestamp").GetString(), r["timestamp"]!.GetValue<string>());
            if (a.TryGetProperty("first_seen", out var first))
            {
                Assert.Equal(DateTimeOffset.Parse(first.GetString()!, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(r["first_seen"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        Assert.Equal(original.GetProperty("Attribute").GetArrayLength(), returned.Count);
    }

    [Fact]
    public void Event_fields_tags_and_creator_come_back()
    {
        var original = Event().GetProperty("Event");
        var (_, back, _) = RoundTrip();
        foreach (string field in new[] { "uuid", "info", "date", "timestamp", "publish_timestamp", "threat_level_id", "analysis", "distribution" })
        {
            Assert.Equal(original.GetProperty(field).GetString(), back[field]!.GetValue<string>());
        }
        Assert.True(back["published"]!.GetValue<bool>());
        Assert.Equal("MyCERT", back["Orgc"]!["name"]!.GetValue<string>());
        Assert.Equal("7e3d6c1a-2b4f-4e8a-9c0d-5f6a7b8c9d02", back["Orgc"]!["uuid"]!.GetValue<string>());
        var tags = back["Tag"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToHashSet();
        // Galaxy tags return through the galaxies, the country cluster (no SDO) as a label, the others as themselves.
        Assert.Equal(["tlp:green", "PAP:GREEN", "ransomware", "misp-galaxy:country=\"malaysia\""], tags.Order(StringComparer.Ordinal).OrderBy(t => t.StartsWith("tlp", StringComparison.Ordinal) ? 0 : 1).ToHashSet());
        var attributeTags = back["Attribute"]!.AsArray().Single(a => a!["uuid"]!.GetValue<string>() == "a1b2c3d4-0008-4a5b-8c6d-7e8f90a1b208")!["Tag"]!.AsArray();
        Assert.Equal("tlp:amber", Assert.Single(attributeTags)!["name"]!.GetValue<string>());
        var killSwitch = back["Attribute"]!.AsArray().Single(a => a!["uuid"]!.GetValue<string>() == "a1b2c3d4-0001-4a5b-8c6d-7e8f90a1b201")!;
        Assert.Equal("kill-switch", Assert.Single(killSwitch["Tag"]!.AsArray())!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Objects_come_back_with_their_attributes_and_references()
    {
        var original = Event().GetProperty("Event");
        var (_, back, _) = RoundTrip();
        var objects = back["Object"]!.AsArray().ToDictionary(o => o!["uuid"]!.GetValue<string>());
        foreach (var o in original.GetProperty("Object").EnumerateArray())
        {
            var r = objects[o.GetProperty("uuid").GetString()!]!;
            Assert.Equal(o.GetProperty("name").GetString(), r["name"]!.GetValue<string>());
            Assert.Equal(o.GetProperty("meta-category").GetString(), r["meta-category"]!.GetValue<string>());
            Assert.Equal(o.GetProperty("template_uuid").GetString(), r["template_uuid"]!.GetValue<string>());
            Assert.Equal(o.GetProperty("comment").GetString(), r["comment"]!.GetValue<string>());
            var attrs = r["Attribute"]!.AsArray();
            Assert.Equal(o.GetProperty("Attribute").GetArrayLength(), attrs.Count);
            foreach (var (a, ra) in o.GetProperty("Attribute").EnumerateArray().Zip(attrs))
            {
                foreach (string f in new[] { "uuid", "type", "object_relation", "category", "value", "comment", "timestamp" })
                {
                    Assert.Equal(a.GetProperty(f).GetString(), ra![f]!.GetValue<string>());
                }
                Assert.Equal(a.GetProperty("to_ids").GetBoolean(), ra!["to_ids"]!.GetValue<bool>());
            }
            var refs = r["ObjectReference"]!.AsArray();
            Assert.Equal(o.GetProperty("ObjectReference").EnumerateArray().Select(x => (x.GetProperty("uuid").GetString(), x.GetProperty("referenced_uuid").GetString(), x.GetProperty("relationship_type").GetString())).ToHashSet(),
                refs.Select(x => (x!["uuid"]!.GetValue<string>(), (string?)x["referenced_uuid"]!.GetValue<string>(), (string?)x["relationship_type"]!.GetValue<string>())).Select(t => ((string?)t.Item1, t.Item2, t.Item3)).ToHashSet());
        }
    }

    [Fact]
    public void Galaxy_clusters_and_sightings_come_back()
    {
        var (_, back, _) = RoundTrip();
        var clusters = back["Galaxy"]!.AsArray().SelectMany(g => g!["GalaxyCluster"]!.AsArray()).ToDictionary(c => c!["uuid"]!.GetValue<string>());
        Assert.Equal("WannaCryptor", clusters["9a1c8e7f-1f47-4c4b-a7f2-0a6d5fbc5b3e"]!["value"]!.GetValue<string>());
        Assert.Equal("malpedia", clusters["9a1c8e7f-1f47-4c4b-a7f2-0a6d5fbc5b3e"]!["type"]!.GetValue<string>());
        Assert.Equal(["WannaCry", "Wana Decrypt0r", "WCry"], clusters["9a1c8e7f-1f47-4c4b-a7f2-0a6d5fbc5b3e"]!["meta"]!["synonyms"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("misp-galaxy:mitre-attack-pattern=\"Data Encrypted for Impact - T1486\"", clusters["b80d107d-fa0d-4b60-9684-b0433e8bdba0"]!["tag_name"]!.GetValue<string>());
        Assert.Equal(2, clusters.Count);

        var sightings = back["Attribute"]!.AsArray().Single(a => a!["uuid"]!.GetValue<string>() == "a1b2c3d4-0001-4a5b-8c6d-7e8f90a1b201")!["Sighting"]!.AsArray();
        var byUuid = sightings.ToDictionary(s => s!["uuid"]!.GetValue<string>());
        Assert.Equal("0", byUuid["c0ffee00-0001-4d2e-9f3a-1b2c3d4e5f01"]!["type"]!.GetValue<string>());
        Assert.Equal("1494720000", byUuid["c0ffee00-0001-4d2e-9f3a-1b2c3d4e5f01"]!["date_sighting"]!.GetValue<string>());
        Assert.Equal("sensor-kl-3", byUuid["c0ffee00-0001-4d2e-9f3a-1b2c3d4e5f01"]!["source"]!.GetValue<string>());
        Assert.Equal("ThaiCERT", byUuid["c0ffee00-0001-4d2e-9f3a-1b2c3d4e5f01"]!["Organisation"]!["name"]!.GetValue<string>());
        Assert.Equal("1", byUuid["c0ffee00-0002-4d2e-9f3a-1b2c3d4e5f02"]!["type"]!.GetValue<string>());
        Assert.Equal("4c5d6e7f-8091-4b2c-8d3e-4f5a6b7c8d04", byUuid["c0ffee00-0002-4d2e-9f3a-1b2c3d4e5f02"]!["Organisation"]!["uuid"]!.GetValue<string>());
    }

    [Fact]
    public void The_STIX_uses_standard_objects_where_the_table_says()
    {
        var stix = MispToStix.Convert(Event());
        JsonObject Get(string id) => stix.Objects.Single(o => o["id"]!.GetValue<string>() == id);
        Assert.Equal("[domain-name:value = 'www.iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com']", Get("indicator--a1b2c3d4-0001-4a5b-8c6d-7e8f90a1b201")["pattern"]!.GetValue<string>());
        Assert.Equal("[file:name = 'mssecsvc.exe' AND file:hashes.'SHA-256' = '24d004a104d4d54034dbcffc2a4b19a11f39008a575aa614ea04703480b1022c']",
            Get("indicator--a1b2c3d4-0003-4a5b-8c6d-7e8f90a1b203")["pattern"]!.GetValue<string>());
        Assert.Equal("[network-traffic:dst_ref.value = '198.51.100.23' AND network-traffic:dst_port = 445]", Get("indicator--a1b2c3d4-0007-4a5b-8c6d-7e8f90a1b207")["pattern"]!.GetValue<string>());
        Assert.Equal("yara", Get("indicator--a1b2c3d4-0011-4a5b-8c6d-7e8f90a1b211")["pattern_type"]!.GetValue<string>());
        Assert.Equal("cve", Get("vulnerability--a1b2c3d4-0006-4a5b-8c6d-7e8f90a1b206")["external_references"]![0]!["source_name"]!.GetValue<string>());
        Assert.Equal("observed-data", Get("observed-data--a1b2c3d4-0004-4a5b-8c6d-7e8f90a1b204")["type"]!.GetValue<string>());
        Assert.Equal("note", Get("note--a1b2c3d4-0005-4a5b-8c6d-7e8f90a1b205")["type"]!.GetValue<string>());
        Assert.Equal("malware", Get("malware--9a1c8e7f-1f47-4c4b-a7f2-0a6d5fbc5b3e")["type"]!.GetValue<string>());
        Assert.Equal("T1486", Get("attack-pattern--b80d107d-fa0d-4b60-9684-b0433e8bdba0")["external_references"]![0]!["external_id"]!.GetValue<string>());
        Assert.Equal("sighting--c0ffee00-0001-4d2e-9f3a-1b2c3d4e5f01", Get("sighting--c0ffee00-0001-4d2e-9f3a-1b2c3d4e5f01")["id"]!.GetValue<string>());
        // The event is TLP:GREEN; the ip-src attribute is tagged tlp:amber, which is stricter and wins.
        Assert.Equal(TlpMarkings.Green, Get("report--5f1c3a8e-8d2b-4b7e-9a61-3c0e2f4b7d10")["object_marking_refs"]![0]!.GetValue<string>());
        Assert.Equal(TlpMarkings.Amber, Get("indicator--a1b2c3d4-0008-4a5b-8c6d-7e8f90a1b208")["object_marking_refs"]![0]!.GetValue<string>());
        // The object's relationship starts from the file indicator and ends at the domain-ip observed-data.
        var rel = Get("relationship--d1e2f3a4-0001-4b5c-8d6e-7f8091a2b301");
        Assert.Equal("indicator--b7c8d9e0-0001-4f2a-9b3c-4d5e6f7a8b01", rel["source_ref"]!.GetValue<string>());
        Assert.Equal("observed-data--b7c8d9e0-0002-4f2a-9b3c-4d5e6f7a8b02", rel["target_ref"]!.GetValue<string>());
    }

    [Fact]
    public void The_loss_report_names_what_did_not_carry_over()
    {
        var stix = MispToStix.Convert(Event());
        var summary = stix.Loss.Summary();
        Assert.Contains(summary, s => s.Field == "PAP tag" && s.Fate == LossFate.Approximated);
        Assert.Contains(summary, s => s.Field == "Attribute type btc" && s.Fate == LossFate.Approximated);
        Assert.Contains(summary, s => s.Field == "Event bookkeeping" && s.Fate == LossFate.Dropped && s.Detail.Contains("event_creator_email", StringComparison.Ordinal));
        Assert.Contains(summary, s => s.Field == "Galaxy type country" && s.Fate == LossFate.Approximated);
        Assert.Contains(summary, s => s.Field == "Sighting type 1 (false positive)" && s.Fate == LossFate.Approximated);
        Assert.Contains(summary, s => s.Field == "threat_level_id" && s.Fate == LossFate.Kept);
        // Attribute fields the table maps do not appear.
        Assert.DoesNotContain(summary, s => s.Field is "Attribute.value" or "Attribute.type" or "Attribute.uuid" or "Attribute.to_ids");

        var (_, _, back) = RoundTrip();
        Assert.DoesNotContain(back.Loss.Entries, e => e.Fate == LossFate.Dropped && e.Field.StartsWith("indicator.", StringComparison.Ordinal) && e.Field != "indicator.name");
    }

    [Fact]
    public void Distribution_zero_stays_with_the_producer_and_a_sharing_group_maps_to_its_community()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "misp", "wannacry-event.json")))!;
        json["Event"]!["distribution"] = "0";
        var own = MispToStix.Convert(JsonSerializer.SerializeToElement(json));
        // Not the MISP extension's definition: it describes a schema, public to all, and carries no marking of the event.
        Assert.All(own.Objects.Where(o => o["created"] is not null && o["type"]!.GetValue<string>() is not ("identity" or "extension-definition")),
            o => Assert.Equal(TlpMarkings.AmberStrict, o["object_marking_refs"]![0]!.GetValue<string>()));

        json["Event"]!["distribution"] = "4";
        json["Event"]!["SharingGroup"] = new JsonObject { ["name"] = "ASEAN national CERTs", ["uuid"] = "6a0b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d" };
        string[] members = ["identity--11111111-1111-4111-8111-111111111111", "identity--22222222-2222-4222-8222-222222222222"];
        var grouped = MispToStix.Convert(JsonSerializer.SerializeToElement(json), new MispImportOptions { SharingGroup = (name, _) => name == "ASEAN national CERTs" ? members : null });
        var report = grouped.Objects.Single(o => o["type"]!.GetValue<string>() == "report");
        Assert.Equal(members, report["x_perisai_recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(TlpMarkings.Amber, report["object_marking_refs"]![0]!.GetValue<string>());

        var unmapped = MispToStix.Convert(JsonSerializer.SerializeToElement(json));
        Assert.Equal(TlpMarkings.AmberStrict, unmapped.Objects.Single(o => o["type"]!.GetValue<string>() == "report")["object_marking_refs"]![0]!.GetValue<string>());
        Assert.Contains(unmapped.Loss.Entries, e => e.Detail.Contains("no community maps", StringComparison.Ordinal));
    }

    [Fact]
    public void Converting_twice_gives_the_same_objects()
    {
        var a = MispToStix.Convert(Event()).Objects.Select(o => o.ToJsonString()).ToList();
        var b = MispToStix.Convert(Event()).Objects.Select(o => o.ToJsonString()).ToList();
        Assert.Equal(a, b);
    }
}
