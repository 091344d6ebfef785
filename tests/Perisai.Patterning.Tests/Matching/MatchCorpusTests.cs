using System.Text.Json;
using Perisai.Patterning.Matching;

namespace Perisai.Patterning.Tests.Matching;

/// <summary>
/// The evaluation corpus of tests/TestData/patterns/match-cases.json (written by make-match-corpus.py there, each
/// expectation decided from STIX 2.1 §9): every pattern matches exactly the observations the case names.
/// </summary>
public sealed class MatchCorpusTests
{
    private static readonly Lazy<(JsonDocument Document, Dictionary<string, IReadOnlyList<Observation>> Fixtures)> Corpus = new(Load);

    private static (JsonDocument, Dictionary<string, IReadOnlyList<Observation>>) Load()
    {
        var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "patterns", "match-cases.json")));
        var fixtures = new Dictionary<string, IReadOnlyList<Observation>>(StringComparer.Ordinal);
        foreach (var fixture in document.RootElement.GetProperty("fixtures").EnumerateObject())
        {
            var observations = ObservationReader.Read(fixture.Value, out var errors);
            Assert.Empty(errors);
            fixtures[fixture.Name] = observations;
        }
        return (document, fixtures);
    }

    public static TheoryData<string, string, string[]> Cases()
    {
        var data = new TheoryData<string, string, string[]>();
        foreach (var c in Corpus.Value.Document.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("fixture").GetString()!, c.GetProperty("pattern").GetString()!,
                [.. c.GetProperty("observations").EnumerateArray().Select(e => e.GetString()!)]);
        }
        return data;
    }

    [Fact]
    public void Corpus_HasAtLeastThreeHundredCases() => Assert.True(Cases().Count >= 300, $"{Cases().Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Match_CorpusCase_NamesExactlyTheExpectedObservations(string fixture, string pattern, string[] expected)
    {
        Assert.True(PatternMatcher.TryCompile(pattern, out var matcher, out var errors), string.Join("; ", errors));
        var observations = Corpus.Value.Fixtures[fixture];
        // With the type and value indexes, and trying every observation: both must give the expected answer.
        foreach (var set in new[] { new ObservationSet(observations), new ObservationSet(observations, useIndexes: false) })
        {
            var result = matcher!.Match(set);
            Assert.True(result.Complete);
            Assert.Equal(expected.Length > 0, result.Matched);
            Assert.Equal(expected, result.Observations.Select(o => o.Id!).ToArray());
        }
    }
}
