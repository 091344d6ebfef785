using System.Reflection;
using BenchmarkDotNet.Attributes;
using Perisai.Benchmarks;

namespace Perisai.Server.Tests.Benchmarks;

/// <summary>Every benchmark runs once as a test, so a benchmark that no longer measures what it claims fails here.</summary>
public sealed class BenchmarksRunOnceTests
{
    public static TheoryData<string> BenchmarkMethods()
    {
        var data = new TheoryData<string>();
        foreach (var type in typeof(IngestBenchmarks).Assembly.GetTypes())
        {
            foreach (var m in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            {
                data.Add($"{type.FullName}.{m.Name}");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BenchmarkMethods))]
    public async Task Benchmark_RunsOnce_AndReturnsAPositiveCount(string name)
    {
        int dot = name.LastIndexOf('.');
        var type = typeof(IngestBenchmarks).Assembly.GetType(name[..dot])!;
        object instance = Activator.CreateInstance(type)!;
        Invoke<GlobalSetupAttribute>(type, instance);
        try
        {
            object? result = type.GetMethod(name[(dot + 1)..])!.Invoke(instance, null);
            if (result is Task<int> task)
            {
                result = await task;
            }
            Assert.True(result is int n && n > 0, $"{name} returned {result}");
        }
        finally
        {
            Invoke<GlobalCleanupAttribute>(type, instance);
        }
    }

    [Fact]
    public void Generated_Envelope_IsValidStix()
    {
        using var doc = Perisai.Stix.Json.StixDocument.Parse(Generated.Envelope(0, 100));
        var intake = Perisai.Stix.Json.StixIntake.Check(doc, Guid.NewGuid, Perisai.Patterning.PatternValidation.Options);
        Assert.Equal(100, intake.Valid.Count);
        Assert.Empty(intake.Warnings);
    }

    [Fact]
    public void PatternThroughput_SmallRun_CompilesReadsAndMatches() =>
        Assert.Equal(0, PatternThroughput.Run(["--patterns", "300", "--observations", "3000", "--runs", "1"]));

    private static void Invoke<TAttribute>(Type type, object instance) where TAttribute : Attribute
    {
        foreach (var m in type.GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
        {
            m.Invoke(instance, null);
        }
    }
}
