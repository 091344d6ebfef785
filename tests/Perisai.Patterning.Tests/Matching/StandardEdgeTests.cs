using System.Text.Json;
using Perisai.Patterning.Matching;
using Perisai.Stix.Validation;

namespace Perisai.Patterning.Tests.Matching;

/// <summary>
/// Where the engine read the standard differently from the OASIS matcher's and validator's suites (issue 16): an empty
/// START/STOP window, MATCHES with a non-NFC expression, observed-data with an empty <c>objects</c> beside
/// <c>object_refs</c>, and a list of bundles as input.
/// </summary>
public sealed class StandardEdgeTests
{
    private static string Observed(string time, string objects) =>
        $$"""{"type":"observed-data","spec_version":"2.1","id":"observed-data--11111111-2222-4333-8444-555555555555","created":"{{time}}","modified":"{{time}}","first_observed":"{{time}}","last_observed":"{{time}}","number_observed":1,{{objects}}}""";

    private static MatchResult Match(string pattern, string json)
    {
        Assert.True(PatternMatcher.TryCompile(pattern, out var matcher, out var errors), string.Join("; ", errors));
        var observations = ObservationReader.Read(JsonDocument.Parse(json).RootElement, out var problems);
        Assert.Empty(problems);
        return matcher!.Match(observations);
    }

    [Theory]
    [InlineData("2016-07-01T00:00:00Z", "2016-06-01T00:00:00Z")]
    [InlineData("2016-07-01T00:00:00Z", "2016-07-01T00:00:00Z")]
    public void START_not_before_STOP_is_valid_with_a_warning_and_matches_nothing(string start, string stop)
    {
        string pattern = $"[file:name = 'q'] START t'{start}' STOP t'{stop}'";
        Assert.True(StixPattern.TryParse(pattern, out _, out var errors, out var warnings));
        Assert.Empty(errors);
        var warning = Assert.Single(warnings);
        Assert.Equal(PatternErrorCode.EmptyTimeWindow, warning.Code);
        Assert.Equal(19, warning.Offset);
        // At the very instant of START (the edge) and inside any window one might have meant: nothing matches.
        foreach (string time in new[] { start.Replace("Z", ".000Z", StringComparison.Ordinal), "2016-06-15T00:00:00.000Z", stop.Replace("Z", ".000Z", StringComparison.Ordinal) })
        {
            var result = Match(pattern, Observed(time, "\"objects\":{\"0\":{\"type\":\"file\",\"name\":\"q\"}}"));
            Assert.False(result.Matched);
            Assert.True(result.Complete);
        }
        // An indicator with it is accepted, with the warning.
        string indicator = $$"""{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"{{pattern}}","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}""";
        var findings = StixValidator.Validate(JsonDocument.Parse(indicator).RootElement, options: PatternValidation.Options);
        Assert.DoesNotContain(findings, f => f.Severity == Severity.Error);
        Assert.Contains(findings, f => f.Code == ErrorCodes.InvalidPattern && f.Severity == Severity.Warning && f.Message.Contains(PatternErrorCode.EmptyTimeWindow, StringComparison.Ordinal));
    }

    [Fact]
    public void A_window_one_tick_long_still_matches_its_start()
    {
        var result = Match("[file:name = 'q'] START t'2016-07-01T00:00:00Z' STOP t'2016-07-01T00:00:00.001Z'",
            Observed("2016-07-01T00:00:00.000Z", "\"objects\":{\"0\":{\"type\":\"file\",\"name\":\"q\"}}"));
        Assert.True(result.Matched);
    }

    [Theory]
    // "é" written decomposed (e + combining acute) in the expression, composed in the value, and the reverse.
    [InlineData("caf\u0065\u0301", "caf\u00e9")]
    [InlineData("caf\u00e9", "caf\u0065\u0301")]
    [InlineData("^r\u0065\u0301sum\u0065\u0301$", "r\u00e9sum\u00e9")]
    public void MATCHES_compares_in_NFC_whatever_form_the_expression_is_written_in(string expression, string value)
    {
        string sco = JsonSerializer.Serialize(new Dictionary<string, string> { ["type"] = "file", ["name"] = value });
        var result = Match($"[file:name MATCHES '{expression}']", Observed("2026-01-01T00:00:00.000Z", $"\"objects\":{{\"0\":{sco}}}"));
        Assert.True(result.Matched);
    }

    [Fact]
    public void Observed_data_with_an_empty_objects_beside_object_refs_is_read_from_object_refs_with_a_warning()
    {
        string od = Observed("2026-01-01T00:00:00.000Z", "\"objects\":{},\"object_refs\":[\"domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5\"]");
        string bundle = $$"""{"type":"bundle","id":"bundle--11111111-2222-4333-8444-555555555555","objects":[{{od}},{"type":"domain-name","spec_version":"2.1","id":"domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5","value":"evil.example"}]}""";
        var observations = ObservationReader.Read(JsonDocument.Parse(bundle).RootElement, out var problems);
        Assert.Empty(problems);
        var observation = Assert.Single(observations);
        Assert.Contains("§4.14", observation.Warning, StringComparison.Ordinal);
        Assert.True(PatternMatcher.TryCompile("[domain-name:value = 'evil.example']", out var matcher, out _));
        var result = matcher!.Match(observations);
        Assert.True(result.Matched);
        // Without the empty objects: the same verdict, and no warning.
        var clean = ObservationReader.Read(JsonDocument.Parse(bundle.Replace("\"objects\":{},", "", StringComparison.Ordinal)).RootElement, out _);
        Assert.Null(Assert.Single(clean).Warning);
    }

    [Fact]
    public void A_JSON_list_of_bundles_is_read_bundle_by_bundle()
    {
        string Bundle(int i, string value) =>
            $$"""{"type":"bundle","id":"bundle--11111111-2222-4333-8444-55555555555{{i}}","objects":[{{Observed($"2026-01-01T00:00:0{i}.000Z", $"\"object_refs\":[\"domain-name--00000000-0000-5000-8000-00000000000{i}\"]").Replace("555555555555", $"55555555555{i}", StringComparison.Ordinal)}},{"type":"domain-name","spec_version":"2.1","id":"domain-name--00000000-0000-5000-8000-00000000000{{i}}","value":"{{value}}"}]}""";
        string list = $"[{Bundle(1, "a.example")},{Bundle(2, "b.example")}]";
        var observations = ObservationReader.Read(JsonDocument.Parse(list).RootElement, out var problems);
        Assert.Empty(problems);
        Assert.Equal(2, observations.Count);
        Assert.True(PatternMatcher.TryCompile("[domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example']", out var matcher, out _));
        Assert.True(matcher!.Match(observations).Matched);
        // A reference resolves within its own bundle only.
        string crossed = list.Replace("\"object_refs\":[\"domain-name--00000000-0000-5000-8000-000000000002\"]", "\"object_refs\":[\"domain-name--00000000-0000-5000-8000-000000000001\"]", StringComparison.Ordinal);
        var second = ObservationReader.Read(JsonDocument.Parse(crossed).RootElement, out _);
        Assert.Equal(2, second.Count);
        Assert.False(matcher.Match(second).Matched);
    }
}
