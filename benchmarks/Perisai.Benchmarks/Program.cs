using BenchmarkDotNet.Running;
using Perisai.Benchmarks;

if (args.Length > 0 && args[0] == "load")
{
    return await TaxiiLoad.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "scan-data")
{
    return ScanWorkload.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "patterns")
{
    return PatternThroughput.Run(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(IngestBenchmarks).Assembly).Run(args);
return 0;
