using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Perisai.Patterning.Matching;

namespace Perisai.Patterning.Tests.Matching;

public sealed class MatcherTests
{
    private static string ObservedData(int i, string sco, int n = 1, int second = 0) =>
        $$"""{"type":"observed-data","id":"observed-data--{{i:D8}}-0000-4000-8000-000000000000","first_observed":"2026-01-01T00:00:{{second:D2}}Z","last_observed":"2026-01-01T00:00:{{second:D2}}Z","number_observed":{{n}},"objects":{"0":""" + sco + "}}";

    private static IReadOnlyList<Observation> Read(string json)
    {
        var observations = ObservationReader.Read(JsonDocument.Parse(json).RootElement, out var errors);
        Assert.Empty(errors);
        return observations;
    }

    private static PatternMatcher Compile(string pattern)
    {
        Assert.True(PatternMatcher.TryCompile(pattern, out var matcher, out var errors), string.Join("; ", errors));
        return matcher!;
    }

    [Fact]
    public void Match_NumberObservedNearTheMaximum_CountsAsThatManyObservationsWithoutEnumeratingThem()
    {
        var observations = Read(ObservedData(1, """{"type":"domain-name","value":"evil.example"}""", n: 999_999_999));
        var sw = Stopwatch.StartNew();
        var result = Compile("[domain-name:value = 'evil.example'] REPEATS 5 TIMES").Match(observations);
        Assert.True(result.Matched);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Match_RepeatsMoreThanObserved_IsNoMatchAndComplete()
    {
        var items = string.Join(",", Enumerable.Range(0, 50).Select(i => ObservedData(i, """{"type":"ipv4-addr","value":"10.0.0.1"}""")));
        var result = Compile("[ipv4-addr:value = '10.0.0.1'] REPEATS 51 TIMES").Match(Read($"[{items}]"));
        Assert.False(result.Matched);
        Assert.True(result.Complete);
    }

    [Fact]
    public void Match_CombinatorialSearchWithoutSolution_StopsAtTheBudgetAndSaysSo()
    {
        // 40 observations, any 20 of them, none within the window: C(40,20) candidates, far beyond any budget.
        var items = string.Join(",", Enumerable.Range(0, 40).Select(i => ObservedData(i, """{"type":"ipv4-addr","value":"10.0.0.1"}""", second: i)));
        var observations = Read($"[{items}]");
        var sw = Stopwatch.StartNew();
        var result = Compile("[ipv4-addr:value = '10.0.0.1'] REPEATS 20 TIMES WITHIN 5 SECONDS").Match(observations, budget: 200_000);
        Assert.False(result.Matched);
        Assert.False(result.Complete);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Match_ChainOfThousandsOfObservationExpressions_DoesNotOverflowTheStack()
    {
        const int count = 5_000;
        var items = string.Join(",", Enumerable.Range(0, count).Select(i => ObservedData(i, $$"""{"type":"url","value":"http://a.example/{{i}}"}""")));
        var pattern = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            pattern.Append(i == 0 ? "" : " FOLLOWEDBY ").Append("[url:value = 'http://a.example/").Append(i).Append("']");
        }
        var result = Compile(pattern.ToString()).Match(Read($"[{items}]"));
        Assert.True(result.Matched);
        Assert.Equal(count, result.Observations.Count);
    }

    [Fact]
    public void Match_CatastrophicRegexOnLongValue_FinishesAndDoesNotMatch()
    {
        string value = new string('a', 50_000) + "!";
        var observations = Read(ObservedData(1, $$"""{"type":"file","name":"{{value}}"}"""));
        var sw = Stopwatch.StartNew();
        Assert.False(Compile("[file:name MATCHES '^(a+)+$']").Match(observations).Matched);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Match_SameObservedDataTwice_IsTwoObservationsOnlyWhenNumberObservedSaysSo()
    {
        var one = Read(ObservedData(1, """{"type":"ipv4-addr","value":"10.0.0.1"}"""));
        var two = Read(ObservedData(1, """{"type":"ipv4-addr","value":"10.0.0.1"}""", n: 2));
        var pattern = Compile("[ipv4-addr:value = '10.0.0.1'] AND [ipv4-addr:value = '10.0.0.1']");
        Assert.False(pattern.Match(one).Matched);
        Assert.True(pattern.Match(two).Matched);
    }

    [Fact]
    public void IsSingleObservation_TellsPatternsThatNeedOneObservationFromThoseThatNeedMore()
    {
        Assert.True(Compile("[file:size = 1] OR [url:value = 'x'] START t'2026-01-01T00:00:00Z' STOP t'2026-01-02T00:00:00Z'").IsSingleObservation);
        Assert.False(Compile("[file:size = 1] AND [url:value = 'x']").IsSingleObservation);
        Assert.False(Compile("[file:size = 1] REPEATS 2 TIMES").IsSingleObservation);
    }

    [Theory]
    [InlineData("""{"type":"indicator"}""", "$", "not an observed-data object: its \"type\" must be \"observed-data\"")]
    [InlineData("""{"type":"observed-data","first_observed":"yesterday","last_observed":"2026-01-01T00:00:00Z","number_observed":1,"objects":{}}""", "$", "first_observed must be a STIX timestamp such as 2026-11-29T10:00:00Z")]
    [InlineData("""{"type":"observed-data","first_observed":"2026-01-02T00:00:00Z","last_observed":"2026-01-01T00:00:00Z","number_observed":1,"objects":{}}""", "$", "last_observed is earlier than first_observed")]
    [InlineData("""{"type":"observed-data","first_observed":"2026-01-01T00:00:00Z","last_observed":"2026-01-01T00:00:00Z","number_observed":0,"objects":{}}""", "$", "number_observed must be an integer from 1 to 999,999,999")]
    [InlineData("""{"type":"observed-data","first_observed":"2026-01-01T00:00:00Z","last_observed":"2026-01-01T00:00:00Z","number_observed":1}""", "$", "neither \"objects\" nor \"object_refs\": there is nothing to match")]
    [InlineData("42", "$", "expected an observed-data object, a JSON array of them, or a STIX bundle")]
    [InlineData("""{"type":"bundle","id":"bundle--1","objects":[{"type":"ipv4-addr","id":"ipv4-addr--1","value":"1.2.3.4"}]}""", "$.objects[0]", "not an observed-data object: its \"type\" must be \"observed-data\"")]
    public void Read_BadDocument_ReportsWhereAndWhat(string json, string path, string message)
    {
        var observations = ObservationReader.Read(JsonDocument.Parse(json).RootElement, out var errors);
        Assert.Empty(observations);
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("^http://d5\\.example/p1[0-9]+$", "http://d5.example/p1")]
    [InlineData("^abc?", "ab")]
    [InlineData("^ab*c", "a")]
    [InlineData("^a{2}", "")]
    [InlineData("^abc|^xyz", "")]
    [InlineData("abc", "")]
    [InlineData("^\\d+", "")]
    [InlineData("^C:\\\\Windows", "C:\\Windows")]
    [InlineData("^(?i)abc", "")]
    [InlineData("^Invoice ", "Invoice")]
    public void AnchoredPrefix_TakesOnlyCharactersEveryMatchMustStartWith(string regex, string prefix) =>
        Assert.Equal(prefix, MatchesTest.AnchoredPrefix(regex));
}
