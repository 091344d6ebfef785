using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Stix.Identifiers;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Tests.Validation;

public class SpecExamplesTests
{
    /// <summary>
    /// Examples in the specification text that break its own normative rules (elided values, typos, fragments that
    /// illustrate something else). Each must still fail, with exactly this code, so the validator is not bent to fit.
    /// </summary>
    private static readonly Dictionary<string, string> KnownDefects = new(StringComparer.Ordinal)
    {
        // payload_bin elided with " ..." is not base64.
        ["stix-v2.1.md line 6065"] = ErrorCodes.InvalidEncoding,
        ["stix-v2.1.md line 6077"] = ErrorCodes.InvalidEncoding,
        ["stix-v2.1.md line 14802"] = ErrorCodes.InvalidEncoding,
        // "file-1389b98d-..." has one hyphen where the identifier form needs two.
        ["stix-v2.1.md line 1856"] = ErrorCodes.InvalidIdentifier,
        // Indicators without pattern_type (required in 2.1, §4.7.1).
        ["stix-v2.1.md line 5003 objects[2]"] = ErrorCodes.RequiredProperty,
        ["stix-v2.1.md line 10686 objects[0]"] = ErrorCodes.RequiredProperty,
        // A patterning illustration (§9.5) without spec_version, created and modified.
        ["stix-v2.1.md line 10914"] = ErrorCodes.RequiredProperty,
    };

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var (where, json) in SharedSpecs.StixExamples())
        {
            data.Add(where, json);
        }
        if (data.Count == 0)
        {
            data.Add("(none)", "");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Validate_SpecificationExample_HasNoErrors(string where, string json)
    {
        Assert.SkipWhen(json.Length == 0, "../shared/specs/stix-v2.1.md is not beside this checkout");
        using var doc = JsonDocument.Parse(json);
        // As on import: an SCO sent without an id gets its deterministic one (§2.9).
        var obj = StixNormalizer.FillScoId(doc.RootElement, Guid.NewGuid);
        var errors = StixValidator.Validate(obj).Where(e => e.Severity == Severity.Error).ToList();
        if (KnownDefects.TryGetValue(where, out string? code))
        {
            Assert.Contains(errors, e => e.Code == code);
            return;
        }
        Assert.True(errors.Count == 0, $"{where}: {string.Join("; ", errors)}");
    }

    [Fact]
    public void Examples_AreFoundInTheSpecification()
    {
        Assert.SkipWhen(SharedSpecs.SpecsDirectory is null, "../shared/specs is not beside this checkout");
        var types = SharedSpecs.StixExamples().Select(e => JsonNode.Parse(e.Json)!["type"]!.GetValue<string>()).ToHashSet();
        // The spec has complete examples of most types; this guards the extraction itself.
        Assert.True(types.Count >= 25, $"only {types.Count} types found: {string.Join(", ", types)}");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Validate_ExampleWithARequiredPropertyRemoved_ReportsItAtItsPath(string where, string json)
    {
        Assert.SkipWhen(json.Length == 0, "../shared/specs/stix-v2.1.md is not beside this checkout");
        var obj = JsonNode.Parse(json)!.AsObject();
        string type = obj["type"]!.GetValue<string>();
        foreach (string property in RequiredOf(type, obj))
        {
            var copy = JsonNode.Parse(json)!.AsObject();
            copy.Remove(property);
            using var doc = JsonDocument.Parse(copy.ToJsonString());
            var errors = StixValidator.Validate(doc.RootElement);
            Assert.True(
                errors.Any(e => e.Severity == Severity.Error && (e.Path == $"$.{property}" || e.Path == "$")),
                $"{where}: removing '{property}' was not reported; got {string.Join("; ", errors)}");
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Validate_ExampleWithCorruptedId_ReportsInvalidIdentifier(string where, string json)
    {
        Assert.SkipWhen(json.Length == 0, "../shared/specs/stix-v2.1.md is not beside this checkout");
        var obj = JsonNode.Parse(json)!.AsObject();
        obj["id"] = "not-an-id";
        using var doc = JsonDocument.Parse(obj.ToJsonString());
        var errors = StixValidator.Validate(doc.RootElement);
        Assert.Contains(errors, e => e.Code == ErrorCodes.InvalidIdentifier && e.Path == "$.id");
        _ = where;
    }

    private static IEnumerable<string> RequiredOf(string type, JsonObject obj)
    {
        var spec = TypeCatalog.Find(type);
        yield return "type";
        yield return "id";
        if (spec is null)
        {
            yield break;
        }
        if (spec.Category != ObjectCategory.Sco)
        {
            yield return "spec_version";
            yield return "created";
        }
        if (spec.Category is ObjectCategory.Sdo or ObjectCategory.Sro)
        {
            yield return "modified";
        }
        foreach (var p in spec.Properties.Values.Where(p => p.Required && obj.ContainsKey(p.Name)))
        {
            yield return p.Name;
        }
    }
}
