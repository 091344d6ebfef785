using System.Text.Json;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Tests.Validation;

/// <summary>One rule per row: the object, the code it must raise and where.</summary>
public class ValidatorRulesTests
{
    private const string Base = "\"spec_version\":\"2.1\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\"";

    [Theory]
    [InlineData("{\"type\":\"malware\",\"id\":\"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"is_family\":true}", ErrorCodes.RequiredProperty, "$.name")]
    [InlineData("{\"type\":\"malware\",\"id\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"is_family\":false}", ErrorCodes.IdTypeMismatch, "$.id")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"spec_version\":\"2.1\",\"created\":\"2026-01-02T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"x\"}", ErrorCodes.ModifiedBeforeCreated, "$.modified")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"spec_version\":\"2.1\",\"created\":\"2026-01-01T00:00:00Z\",\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"x\"}", ErrorCodes.TimestampPrecision, "$.created")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\",\"created_by_ref\":\"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"}", ErrorCodes.ReferenceType, "$.created_by_ref")]
    [InlineData("{\"type\":\"opinion\",\"id\":\"opinion--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"opinion\":\"maybe\",\"object_refs\":[\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"]}", ErrorCodes.EnumValue, "$.opinion")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\",\"confidence\":101}", ErrorCodes.OutOfRange, "$.confidence")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\",\"kill_chain_phases\":[{\"kill_chain_name\":\"lockheed\"}]}", ErrorCodes.RequiredProperty, "$.kill_chain_phases[0].phase_name")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\",\"external_references\":[{\"url\":\"https://example.org\"}]}", ErrorCodes.RequiredProperty, "$.external_references[0].source_name")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\",\"labels\":[]}", ErrorCodes.EmptyList, "$.labels")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8E2E2D2B-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\"}", ErrorCodes.InvalidIdentifier, "$.id")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\",\"Bad-Name\":1}", ErrorCodes.InvalidPropertyName, "$.Bad-Name")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\",\"x_target_ref\":\"nope\"}", ErrorCodes.InvalidIdentifier, "$.x_target_ref")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\",\"defanged\":true}", ErrorCodes.NotApplicable, "$.defanged")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"spec_version\":\"2.0\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"x\"}", ErrorCodes.InvalidSpecVersion, "$.spec_version")]
    [InlineData("{\"type\":\"indicator\",\"id\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"pattern\":\"[x:y = 1]\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-02T00:00:00Z\",\"valid_until\":\"2026-01-01T00:00:00Z\"}", ErrorCodes.TimeOrder, "$.valid_until")]
    [InlineData("{\"type\":\"location\",\"id\":\"location--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"latitude\":1.5}", ErrorCodes.DependentProperty, "$.latitude")]
    [InlineData("{\"type\":\"file\",\"id\":\"file--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"hashes\":{\"SHA-256\":\"abc\"}}", ErrorCodes.InvalidHash, "$.hashes.SHA-256")]
    [InlineData("{\"type\":\"file\",\"id\":\"file--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"size\":-1,\"name\":\"a\"}", ErrorCodes.OutOfRange, "$.size")]
    [InlineData("{\"type\":\"network-traffic\",\"id\":\"network-traffic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"protocols\":[\"tcp\"]}", ErrorCodes.MissingOneOf, "$")]
    [InlineData("{\"type\":\"relationship\",\"id\":\"relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"relationship_type\":\"uses\",\"source_ref\":\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\",\"target_ref\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"}", ErrorCodes.ReferenceType, "$.source_ref")]
    [InlineData("{\"type\":\"sighting\",\"id\":\"sighting--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"sighting_of_ref\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"count\":1000000000}", ErrorCodes.OutOfRange, "$.count")]
    [InlineData("{\"type\":\"marking-definition\",\"id\":\"marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"spec_version\":\"2.1\",\"created\":\"2026-01-01T00:00:00.000Z\"}", ErrorCodes.MissingOneOf, "$")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\",\"name\":\"y\"}", ErrorCodes.DuplicateProperty, "$.name")]
    [InlineData("{\"type\":\"X_Bad\",\"id\":\"x--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"}", ErrorCodes.InvalidType, "$.type")]
    [InlineData("{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\",\"granular_markings\":[{\"selectors\":[\"name\"]}]}", ErrorCodes.MissingOneOf, "$.granular_markings[0]")]
    public void Validate_BrokenRule_ReportsCodeAtPath(string json, string code, string path)
    {
        using var doc = JsonDocument.Parse(json);
        var findings = StixValidator.Validate(doc.RootElement);
        Assert.True(findings.Any(f => f.Code == code && f.Path == path && f.Severity == Severity.Error),
            $"expected {code} at {path}; got {string.Join("; ", findings)}");
    }

    [Fact]
    public void Validate_OpenVocabularyValueOutsideTheList_IsOnlyAWarning()
    {
        using var doc = JsonDocument.Parse("{\"type\":\"malware\",\"id\":\"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"is_family\":false,\"malware_types\":[\"cryptominer\"]}");
        var f = Assert.Single(StixValidator.Validate(doc.RootElement));
        Assert.Equal(ErrorCodes.VocabularyValue, f.Code);
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Equal("$.malware_types[0]", f.Path);
    }

    [Fact]
    public void Validate_ManyViolations_ReportsEveryOne()
    {
        using var doc = JsonDocument.Parse("{\"type\":\"indicator\",\"id\":\"bad\",\"confidence\":500,\"labels\":\"x\"}");
        var paths = StixValidator.Validate(doc.RootElement).Select(f => f.Path).ToHashSet();
        foreach (string expected in (string[])["$.id", "$.spec_version", "$.created", "$.modified", "$.pattern", "$.pattern_type", "$.valid_from", "$.confidence", "$.labels"])
        {
            Assert.Contains(expected, paths);
        }
    }
}
