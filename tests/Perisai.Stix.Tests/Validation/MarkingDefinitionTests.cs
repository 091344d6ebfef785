using System.Text.Json;
using Perisai.Stix.Markings;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Tests.Validation;

/// <summary>Marking definitions (STIX 2.1 §7.2): statements, the predefined TLP 1.0 markings, TLP 2.0 by extension.</summary>
public class MarkingDefinitionTests
{
    public static TheoryData<string, string?> Markings() => new()
    {
        // Valid: a predefined TLP 1.0 marking and a statement marking.
        { """{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:WHITE","definition":{"tlp":"white"}}""", null },
        { """{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--4a0042fe-8b88-40fe-9600-dfa128ce6fbd","created":"2016-08-01T00:00:00.000Z","definition_type":"statement","definition":{"statement":"Copyright 2019, Example Corp"}}""", null },
        // A self-made "TLP:WHITE" under another id; a predefined id with the wrong level; a statement without text.
        { """{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--4a0042fe-8b88-40fe-9600-dfa128ce6fbd","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"white"}}""", ErrorCodes.NonStandardTlp },
        { """{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"red"}}""", ErrorCodes.NonStandardTlp },
        { """{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--4a0042fe-8b88-40fe-9600-dfa128ce6fbd","created":"2016-08-01T00:00:00.000Z","definition_type":"statement","definition":{"text":"x"}}""", ErrorCodes.RequiredProperty },
        // TLP 2.0 by extension: the predefined CLEAR id claiming RED.
        { """{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487","created":"2022-10-01T00:00:00.000Z","name":"TLP:CLEAR","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"red"}}}""", ErrorCodes.NonStandardTlp },
    };

    [Theory]
    [MemberData(nameof(Markings))]
    public void Validate_MarkingDefinition_FollowsSection7_2(string json, string? code)
    {
        using var doc = JsonDocument.Parse(json);
        var errors = StixValidator.Validate(doc.RootElement).Where(f => f.Severity == Severity.Error).ToList();
        if (code is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.Code == code);
        }
    }

    [Fact]
    public void Validate_TheFivePredefinedTlp2Markings_AreValid()
    {
        foreach (string marking in TlpMarkings.Tlp2Definitions())
        {
            using var doc = JsonDocument.Parse(marking);
            Assert.Empty(StixValidator.Validate(doc.RootElement));
        }
    }
}
