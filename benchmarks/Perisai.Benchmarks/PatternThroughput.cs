using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Perisai.Patterning.Matching;

namespace Perisai.Benchmarks;

/// <summary>
/// <c>perisai-benchmarks patterns</c>: the whole-size matcher benchmark of issue 4. Compiles N patterns, reads M
/// observed-data, then per run indexes the observations and matches every pattern against all of them on one thread,
/// and reports pattern×observation evaluations per second (N × M / elapsed; the index build is inside the timing),
/// for the first run and the median of the runs (runs listed in order). <c>--write DIR</c> also writes the workload (patterns.txt, observed-data.json) so another
/// matcher can be timed on exactly the same work.
/// </summary>
public static class PatternThroughput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Run(string[] args)
    {
        int patterns = 10_000, observations = 100_000, runs = 3;
        string? write = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--patterns": patterns = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--observations": observations = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--write": write = args[++i]; break;
                default:
                    Console.Error.WriteLine("usage: perisai-benchmarks patterns [--patterns N] [--observations N] [--runs N] [--write DIR]");
                    return 2;
            }
        }
        string[] texts = PatternWorkload.Patterns(patterns);
        byte[] json = PatternWorkload.ObservedData(observations);
        if (write is not null)
        {
            Directory.CreateDirectory(write);
            File.WriteAllLines(Path.Combine(write, "patterns.txt"), texts);
            File.WriteAllBytes(Path.Combine(write, "observed-data.json"), json);
        }

        var sw = Stopwatch.StartNew();
        var compiled = new List<PatternMatcher>(patterns);
        foreach (string t in texts)
        {
            if (!PatternMatcher.TryCompile(t, out var m, out var errors))
            {
                Console.Error.WriteLine($"generated pattern does not compile: {t}: {errors[0]}");
                return 1;
            }
            compiled.Add(m!);
        }
        double compileSeconds = sw.Elapsed.TotalSeconds;

        sw.Restart();
        using var document = JsonDocument.Parse(json);
        var list = ObservationReader.Read(document.RootElement, out var problems);
        double readSeconds = sw.Elapsed.TotalSeconds;
        if (problems.Count > 0 || list.Count != observations)
        {
            Console.Error.WriteLine($"generated observations do not read: {(problems.Count > 0 ? problems[0] : null)}");
            return 1;
        }

        var seconds = new List<double>();
        int matched = 0, observationsNamed = 0;
        for (int run = 0; run < runs; run++)
        {
            GC.Collect();
            sw.Restart();
            var set = new ObservationSet(list);
            matched = 0;
            observationsNamed = 0;
            foreach (var p in compiled)
            {
                var result = p.Match(set);
                if (result.Matched)
                {
                    matched++;
                    observationsNamed += result.Observations.Count;
                }
            }
            seconds.Add(sw.Elapsed.TotalSeconds);
        }
        double first = seconds[0];
        double median = seconds.Order().ElementAt(seconds.Count / 2);
        double evaluations = (double)patterns * observations;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["patterns"] = patterns,
            ["observations"] = observations,
            ["runs"] = runs,
            ["compile_patterns_per_s"] = Math.Round(patterns / compileSeconds),
            ["read_observations_per_s"] = Math.Round(observations / readSeconds),
            ["match_seconds_each_run"] = seconds.Select(s => Math.Round(s, 3)).ToArray(),
            ["match_seconds_median"] = Math.Round(median, 3),
            // The first run also builds each MATCHES pattern's regular expression (built on first use, then kept).
            ["evaluations_per_s_first_run"] = Math.Round(evaluations / first),
            ["evaluations_per_s_median"] = Math.Round(evaluations / median),
            ["patterns_matched"] = matched,
            ["observations_named"] = observationsNamed,
            ["peak_working_set_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576,
        }, Indented));
        return 0;
    }
}
