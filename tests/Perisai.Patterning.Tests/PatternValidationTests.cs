using System.Text.Json;
using Perisai.Stix.Json;
using Perisai.Stix.Validation;

namespace Perisai.Patterning.Tests;

/// <summary>STIX validation of indicators with <c>pattern_type: stix</c> through the patterning library.</summary>
public sealed class PatternValidationTests
{
    private static string Indicator(string pattern, string patternType = "stix") => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["type"] = "indicator", ["spec_version"] = "2.1", ["id"] = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        ["created"] = "2017-05-12T00:00:00.000Z", ["modified"] = "2017-05-12T00:00:00.000Z", ["valid_from"] = "2017-05-12T00:00:00Z",
        ["pattern"] = pattern, ["pattern_type"] = patternType,
    });

    [Fact]
    public void Validate_IndicatorWithInvalidStixPattern_ReportsEveryPatternErrorWithItsOffset()
    {
        using var doc = JsonDocument.Parse(Indicator("[file:size = 01 AND file:name = h'abc']"));
        var errors = StixValidator.Validate(doc.RootElement, "$.objects[3]", PatternValidation.Options);
        Assert.Equal(
            ["error invalid-pattern at $.objects[3].pattern: PAT004 at character 14: '01': an integer must not have leading zeros",
             "error invalid-pattern at $.objects[3].pattern: PAT006 at character 33: h'abc' is not hex: it needs an even number of the digits 0-9 and a-f"],
            errors.Select(e => e.ToString()).ToArray());
    }

    [Theory]
    [InlineData("[file:hashes.'SHA-256' = 'ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa']", "stix")]
    [InlineData("alert tcp any any -> any 445 (msg:\"SMB\"; sid:1;)", "snort")]
    [InlineData("not a stix pattern at all", "sigma")]
    public void Validate_ValidStixPatternOrOtherLanguage_HasNoPatternError(string pattern, string type)
    {
        using var doc = JsonDocument.Parse(Indicator(pattern, type));
        Assert.DoesNotContain(StixValidator.Validate(doc.RootElement, "$", PatternValidation.Options), e => e.Severity == Severity.Error);
    }

    [Fact]
    public void Intake_IndicatorWithInvalidPattern_IsRejectedAndTheOthersKept()
    {
        string bundle = $$"""{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{{Indicator("[ipv4-addr:value = '10.0.0.1'")}},{{Indicator("[ipv4-addr:value = '10.0.0.1']").Replace("8e2e2d2b", "9e2e2d2b", StringComparison.Ordinal)}}]}""";
        using var parsed = StixDocument.Parse(System.Text.Encoding.UTF8.GetBytes(bundle));
        var intake = StixIntake.Check(parsed, Guid.NewGuid, PatternValidation.Options);
        Assert.Single(intake.Valid);
        var failure = Assert.Single(intake.Failures);
        Assert.Equal("invalid-pattern", Assert.Single(failure.Errors).Code);
    }
}
