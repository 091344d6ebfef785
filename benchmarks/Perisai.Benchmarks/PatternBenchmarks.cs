using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Perisai.Patterning;
using Perisai.Patterning.Matching;

namespace Perisai.Benchmarks;

/// <summary>
/// The patterning engine at a size BenchmarkDotNet can repeat: 1,000 patterns against 10,000 observed-data
/// (10 million pattern×observation evaluations per <see cref="MatchAll"/>). The whole-size run, 10,000 × 100,000, is
/// <c>perisai-benchmarks patterns</c> (benchmarks/pattern-throughput.sh).
/// </summary>
[MemoryDiagnoser]
public class PatternBenchmarks
{
    private string[] _texts = [];
    private PatternMatcher[] _patterns = [];
    private JsonDocument? _document;
    private IReadOnlyList<Observation> _observations = [];

    [GlobalSetup]
    public void Setup()
    {
        _texts = PatternWorkload.Patterns(1_000);
        _patterns = [.. _texts.Select(t => PatternMatcher.Compile(StixPattern.Parse(t)))];
        _document = JsonDocument.Parse(PatternWorkload.ObservedData(10_000));
        _observations = ObservationReader.Read(_document.RootElement, out _);
    }

    [GlobalCleanup]
    public void Cleanup() => _document?.Dispose();

    /// <summary>Parses, checks and compiles every pattern; returns how many compiled.</summary>
    [Benchmark]
    public int CompileAll()
    {
        int n = 0;
        foreach (string t in _texts)
        {
            if (PatternMatcher.TryCompile(t, out _, out _))
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>Indexes the observations and matches every pattern against all of them; returns how many patterns matched.</summary>
    [Benchmark]
    public int MatchAll()
    {
        var set = new ObservationSet(_observations);
        int matched = 0;
        foreach (var p in _patterns)
        {
            if (p.Match(set).Matched)
            {
                matched++;
            }
        }
        return matched;
    }
}
