using BenchmarkDotNet.Attributes;
using Perisai.Stix;
using Perisai.Stix.Json;
using Perisai.Storage;
using Perisai.Storage.Sqlite;

namespace Perisai.Benchmarks;

/// <summary>
/// The ingest path without HTTP: parse and validate an envelope of 1,000 indicators, and write them to SQLite in one
/// transaction. Objects/s = 1,000 / mean.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class IngestBenchmarks
{
    private byte[] _envelope = [];
    private IReadOnlyList<StixObject> _objects = [];
    private SqliteStore? _store;
    private string _dir = "";
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _envelope = Generated.Envelope(0, 1000);
        using var doc = StixDocument.Parse(_envelope);
        _objects = StixIntake.Check(doc, Guid.NewGuid, Perisai.Patterning.PatternValidation.Options).Valid;
        _dir = Path.Combine(Path.GetTempPath(), "perisai-bench-" + Guid.NewGuid().ToString("N"));
        _store = new SqliteStore(_dir, TimeProvider.System);
        _store.MigrateAsync().GetAwaiter().GetResult();
        _store.UpsertApiRootAsync(new ApiRoot("default", "bench", null)).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "parse + validate 1,000 indicators")]
    public int ParseAndValidate()
    {
        using var doc = StixDocument.Parse(_envelope);
        return StixIntake.Check(doc, Guid.NewGuid, Perisai.Patterning.PatternValidation.Options).Valid.Count;
    }

    [Benchmark(Description = "SQLite: store 1,000 new indicators (one transaction)")]
    public async Task<int> StoreBatch()
    {
        // A fresh collection per call so every object is new, as in a first ingest.
        string c = $"c{Interlocked.Increment(ref _round)}";
        await _store!.AddCollectionAsync(new TaxiiCollection(c, "default", c, null, null));
        return (await _store.AddObjectsAsync(c, "identity--bench", _objects)).Count;
    }
}

/// <summary>
/// The read path without HTTP: one page of 1,000 latest versions from a collection of 10,000, unfiltered and as a reader
/// from another organization (the sharing filter in the query: the TLP rule and the ref rule on every row).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class QueryBenchmarks
{
    private SqliteStore? _store;
    private string _dir = "";
    private SharingFilter? _reader;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "perisai-bench-" + Guid.NewGuid().ToString("N"));
        _store = new SqliteStore(_dir, TimeProvider.System);
        _store.MigrateAsync().GetAwaiter().GetResult();
        _store.UpsertApiRootAsync(new ApiRoot("default", "bench", null)).GetAwaiter().GetResult();
        _store.AddCollectionAsync(new TaxiiCollection("c", "default", "c", null, null)).GetAwaiter().GetResult();
        using var doc = StixDocument.Parse(Generated.Envelope(0, 10_000));
        _store.AddObjectsAsync("c", "identity--bench", StixIntake.Check(doc, Guid.NewGuid, Perisai.Patterning.PatternValidation.Options).Valid).GetAwaiter().GetResult();
        var reader = _store.AddOrganizationAsync("reader").GetAwaiter().GetResult();
        _store.GrantAsync(new Grant("c", reader.Id, CanRead: true, CanWrite: false)).GetAwaiter().GetResult();
        _reader = SharingFilter.For(_store.LoadTrustAsync().GetAwaiter().GetResult().Model, reader.Id);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "SQLite: read a page of 1,000 objects")]
    public async Task<int> ReadPage() =>
        (await _store!.QueryObjectsAsync(new ObjectQuery("c") { Limit = 1000, AddedAfter = 0 })).Items.Count;

    [Benchmark(Description = "SQLite: read a page of 1,000 objects of one type")]
    public async Task<int> ReadPageByType() =>
        (await _store!.QueryObjectsAsync(new ObjectQuery("c") { Limit = 1000, Types = ["indicator"] })).Items.Count;

    [Benchmark(Description = "SQLite: read a page of 1,000 objects as another organization")]
    public async Task<int> ReadPageAsReader() =>
        (await _store!.QueryObjectsAsync(new ObjectQuery("c") { Limit = 1000, AddedAfter = 0, Reader = _reader })).Items.Count;
}
