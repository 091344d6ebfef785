using System.Text.Json;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Tests.Validation;

/// <summary>
/// Rules the OASIS validator (stix2-validator 3.2, STIX 2.1 schemas and MUST checks) enforces that ours did not
/// (issue 16): each invalid form refused with its code at its path, and its valid neighbour accepted.
/// </summary>
public class OasisParityTests
{
    private const string Base = "\"spec_version\":\"2.1\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\"";
    private const string Tool = "{\"type\":\"tool\",\"id\":\"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," + Base + ",\"name\":\"x\"";

    [Theory]
    // §6.15 url: RFC 3986, a scheme first.
    [InlineData("{\"type\":\"url\",\"id\":\"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"value\":\"tokeiss.ddns.net\"}", ErrorCodes.InvalidUrl, "$.value")]
    [InlineData("{\"type\":\"url\",\"id\":\"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"value\":\"http://evil.example/a b\"}", ErrorCodes.InvalidUrl, "$.value")]
    [InlineData("{\"type\":\"url\",\"id\":\"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"value\":\"evil.example:8080/x\"}", ErrorCodes.InvalidUrl, "$.value")]
    // §6.17 windows-registry-key: the hive in full.
    [InlineData("{\"type\":\"windows-registry-key\",\"id\":\"windows-registry-key--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"key\":\"HKCU\\\\Software\\\\Run\"}", ErrorCodes.InvalidRegistryKey, "$.key")]
    [InlineData("{\"type\":\"windows-registry-key\",\"id\":\"windows-registry-key--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"key\":\"hklm\\\\Software\"}", ErrorCodes.InvalidRegistryKey, "$.key")]
    [InlineData("{\"type\":\"windows-registry-key\",\"id\":\"windows-registry-key--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"key\":\"Software\\\\Run\"}", ErrorCodes.InvalidRegistryKey, "$.key")]
    // §2.5.1 external references to CAPEC and CVE name their entries in their own form; a url is a URL.
    [InlineData(Tool + ",\"external_references\":[{\"source_name\":\"cve\",\"external_id\":\"2017-0144\"}]}", ErrorCodes.InvalidExternalId, "$.external_references[0].external_id")]
    [InlineData(Tool + ",\"external_references\":[{\"source_name\":\"capec\",\"description\":\"no id\"}]}", ErrorCodes.InvalidExternalId, "$.external_references[0].external_id")]
    [InlineData(Tool + ",\"external_references\":[{\"source_name\":\"blog\",\"url\":\"www.example.org/post\"}]}", ErrorCodes.InvalidUrl, "$.external_references[0].url")]
    // §7.2.3.1 a selector resolves to a part of the object.
    [InlineData(Tool + ",\"granular_markings\":[{\"marking_ref\":\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\",\"selectors\":[\"description\"]}]}", ErrorCodes.InvalidSelector, "$.granular_markings[0].selectors[0]")]
    [InlineData(Tool + ",\"labels\":[\"a\"],\"granular_markings\":[{\"marking_ref\":\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\",\"selectors\":[\"labels.[3]\"]}]}", ErrorCodes.InvalidSelector, "$.granular_markings[0].selectors[0]")]
    // A marking definition does not mark itself.
    [InlineData("{\"type\":\"marking-definition\",\"id\":\"marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"spec_version\":\"2.1\",\"created\":\"2026-01-01T00:00:00.000Z\",\"definition_type\":\"statement\",\"definition\":{\"statement\":\"x\"},\"object_marking_refs\":[\"marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"]}", ErrorCodes.CircularMarking, "$.object_marking_refs")]
    // §3.2 lang: RFC 5646; §6.14 software languages: ISO 639-2.
    [InlineData(Tool + ",\"lang\":\"english language\"}", ErrorCodes.InvalidLanguage, "$.lang")]
    [InlineData("{\"type\":\"software\",\"id\":\"software--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"name\":\"x\",\"languages\":[\"en\"]}", ErrorCodes.InvalidLanguage, "$.languages[0]")]
    // §6.1, §6.7 media types of the form type/subtype.
    [InlineData("{\"type\":\"artifact\",\"id\":\"artifact--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"payload_bin\":\"aGk=\",\"mime_type\":\"zip\"}", ErrorCodes.InvalidMimeType, "$.mime_type")]
    [InlineData("{\"type\":\"file\",\"id\":\"file--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"name\":\"a\",\"mime_type\":\"executable/windows exe\"}", ErrorCodes.InvalidMimeType, "$.mime_type")]
    public void An_invalid_form_the_OASIS_validator_refuses_is_refused(string json, string code, string path)
    {
        using var doc = JsonDocument.Parse(json);
        var findings = StixValidator.Validate(doc.RootElement);
        Assert.True(findings.Any(f => f.Code == code && f.Path == path && f.Severity == Severity.Error), $"expected {code} at {path}; got {string.Join("; ", findings)}");
    }

    [Theory]
    [InlineData("{\"type\":\"url\",\"id\":\"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"value\":\"http://tokeiss.ddns.net/\"}")]
    [InlineData("{\"type\":\"url\",\"id\":\"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"value\":\"mailto:hr@example.org\"}")]
    [InlineData("{\"type\":\"windows-registry-key\",\"id\":\"windows-registry-key--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"key\":\"HKEY_CURRENT_USER\\\\Software\\\\Run\"}")]
    [InlineData("{\"type\":\"windows-registry-key\",\"id\":\"windows-registry-key--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"key\":\"hkey_local_machine\\\\system\"}")]
    [InlineData(Tool + ",\"external_references\":[{\"source_name\":\"cve\",\"external_id\":\"CVE-2017-0144\"},{\"source_name\":\"capec\",\"external_id\":\"CAPEC-163\"}]}")]
    [InlineData(Tool + ",\"labels\":[\"a\"],\"granular_markings\":[{\"marking_ref\":\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\",\"selectors\":[\"name\",\"labels.[0]\"]}]}")]
    [InlineData(Tool + ",\"lang\":\"zh-Hant-TW\"}")]
    [InlineData("{\"type\":\"software\",\"id\":\"software--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"name\":\"x\",\"languages\":[\"eng\",\"msa\"]}")]
    [InlineData("{\"type\":\"artifact\",\"id\":\"artifact--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"payload_bin\":\"aGk=\",\"mime_type\":\"application/vnd.microsoft.portable-executable\"}")]
    public void Its_valid_neighbour_is_accepted(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var errors = StixValidator.Validate(doc.RootElement).Where(f => f.Severity == Severity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }
}
