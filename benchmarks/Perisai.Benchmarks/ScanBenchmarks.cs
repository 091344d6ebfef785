using BenchmarkDotNet.Attributes;
using Perisai.Detection.Indicators;
using Perisai.Detection.Scanning;

namespace Perisai.Benchmarks;

/// <summary>
/// <c>perisai scan</c>'s hot paths without the process around them: loading a list of 200,000 domains, and scanning a
/// 200,000-line Zeek dns.log (about 35 MB, in memory) and a 40,000-event Suricata eve.json (about 15 MB) against it. The whole-size run beside rg and awk is
/// benchmarks/scan-throughput.sh.
/// </summary>
[MemoryDiagnoser]
public class ScanBenchmarks
{
    private byte[] _list = [];
    private byte[] _log = [];
    private byte[] _eve = [];
    private IndicatorSet? _set;

    [GlobalSetup]
    public void Setup()
    {
        string dir = Path.Combine(Path.GetTempPath(), "perisai-scanbench-" + Guid.NewGuid().ToString("N"));
        ScanWorkload.Run(["--indicators", "200000", "--lines", "200000", "--out", dir]);
        _list = File.ReadAllBytes(Path.Combine(dir, "domains.txt"));
        _log = File.ReadAllBytes(Path.Combine(dir, "dns.log"));
        _eve = File.ReadAllBytes(Path.Combine(dir, "eve.json"));
        Directory.Delete(dir, recursive: true);
        _set = Load();
    }

    private IndicatorSet Load()
    {
        var builder = new IndicatorSetBuilder(DateTimeOffset.UnixEpoch.AddYears(56));
        IndicatorSource.ReadInto("domains.txt", new MemoryStream(_list), builder, []);
        return builder.Build();
    }

    /// <summary>Loads the 200,000 domains into the lookup tables; returns how many.</summary>
    [Benchmark]
    public int LoadList() => Load().Stats.Lookups;

    /// <summary>Scans the 200,000 lines; returns the number of lines read.</summary>
    [Benchmark]
    public int ScanZeek()
    {
        var summary = new Scanner(_set!, TimeProvider.System).Scan(["-"], new ScanOptions(), _ => { }, stdin: new MemoryStream(_log));
        return (int)summary.Lines;
    }

    /// <summary>Scans the 40,000 EVE events; returns the number of lines read.</summary>
    [Benchmark]
    public int ScanEve()
    {
        var summary = new Scanner(_set!, TimeProvider.System).Scan(["-"], new ScanOptions(), _ => { }, stdin: new MemoryStream(_eve));
        return (int)summary.Lines;
    }
}
