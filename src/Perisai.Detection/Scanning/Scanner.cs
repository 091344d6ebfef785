using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using Perisai.Detection.Indicators;
using Perisai.Detection.Logs;

namespace Perisai.Detection.Scanning;

/// <summary>One hit: a value on a line of a log that an indicator looks for.</summary>
/// <param name="File">The log (<c>-</c> for standard input).</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Field">The field the value was in.</param>
/// <param name="Kind">What kind of value.</param>
/// <param name="Value">The value as the log wrote it.</param>
/// <param name="Listed">The indicator's value it matched, in canonical form (a parent domain, an address block).</param>
/// <param name="Indicator">The indicator it matched.</param>
/// <param name="Time">The event's time when the line has one, else the time of the scan.</param>
public sealed record Hit(string File, long Line, string Field, IocKind Kind, string Value, string Listed, DetectionIndicator Indicator, DateTimeOffset Time);

/// <summary>Something in a log that was not scanned, and where.</summary>
/// <param name="File">The log.</param>
/// <param name="Line">1-based line number, or 0 for the whole file.</param>
/// <param name="Message">What was wrong.</param>
public sealed record ScanProblem(string File, long Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>What a scan read and found.</summary>
public sealed class ScanSummary
{
    /// <summary>Files opened (standard input counts as one).</summary>
    public int Files { get; internal set; }

    /// <summary>Lines read.</summary>
    public long Lines { get; internal set; }

    /// <summary>Bytes of log text read (after decompression).</summary>
    public long Bytes { get; internal set; }

    /// <summary>Lines that were not lines of their format: counted, reported (the first <see cref="Scanner.MaxReportedProblems"/>), skipped.</summary>
    public long Malformed { get; internal set; }

    /// <summary>Hits per indicator id.</summary>
    public Dictionary<string, long> HitsByIndicator { get; } = new(StringComparer.Ordinal);

    /// <summary>Malformed lines, truncated streams and unreadable files.</summary>
    public List<ScanProblem> Problems { get; } = [];

    /// <summary>Time spent scanning.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>
    /// Processor time the process spent while scanning, on every core (the runtime's own threads included): bytes per
    /// processor second is the rate per core, whatever else shared the machine.
    /// </summary>
    public TimeSpan CpuTime { get; internal set; }

    /// <summary>Total hits.</summary>
    public long Hits => HitsByIndicator.Values.Sum();
}

/// <summary>What to scan and how.</summary>
public sealed class ScanOptions
{
    /// <summary>The log format; <see cref="LogFormat.Auto"/> (the default) decides per file from its first line.</summary>
    public LogFormat Format { get; init; } = LogFormat.Auto;

    /// <summary>Extra field names and the kind of value they hold (CSV columns, JSON keys in dotted form).</summary>
    public IReadOnlyDictionary<string, IocKind>? Fields { get; init; }

    /// <summary>
    /// Keep reading a plain file as it grows (<c>tail -f</c>), until the scan is cancelled; polled every
    /// <see cref="Scanner.FollowInterval"/>. Not for gzip files, which do not grow.
    /// </summary>
    public bool Follow { get; init; }

    /// <summary>Called with each file's name and the bytes read so far, for a progress display.</summary>
    public Action<string, long>? Progress { get; init; }
}

/// <summary>
/// Reads logs line by line (plain or gzip, recognized by its magic bytes; files, directories recursively, standard
/// input) and reports each value an indicator looks for. A malformed line is counted and skipped, a truncated gzip
/// stream is reported with the offset where it ended, an unreadable file is reported and the scan goes on.
/// </summary>
public sealed class Scanner(IndicatorSet indicators, TimeProvider time)
{
    /// <summary>Problems kept per scan: enough to see what is wrong with a file, bounded for a file that is all wrong.</summary>
    public const int MaxReportedProblems = 100;

    /// <summary>
    /// Lines prefiltered together: enough for the lookups of a batch to overlap in memory and the per-batch work to
    /// vanish (64 measured a little slower), few enough that the batch's names (some 8 KB) stay in the core's cache.
    /// </summary>
    private const int BatchLines = 256;

    /// <summary>How often a followed file is checked for new lines: prompt enough for an analyst watching, idle otherwise.</summary>
    public static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Scans every path (a file, a directory, or <c>-</c> for <paramref name="stdin"/>) and calls <paramref name="onHit"/> per hit.</summary>
    public ScanSummary Scan(IEnumerable<string> paths, ScanOptions options, Action<Hit> onHit, Stream? stdin = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onHit);
        var summary = new ScanSummary();
        var clock = Stopwatch.StartNew();
        var cpu = Environment.CpuUsage.TotalTime;
        // One window for the whole scan: an engine indicator's history runs across files (a log and the one rotated
        // before it), its observations being ordered by their times, not by the files' order.
        var window = indicators.Engine.Count > 0 ? new EventWindow(indicators, onHit, summary) : null;
        foreach (string path in paths)
        {
            ct.ThrowIfCancellationRequested();
            if (path == "-")
            {
                ScanStream("-", stdin ?? Console.OpenStandardInput(), options, onHit, summary, window, ct);
            }
            else if (Directory.Exists(path))
            {
                foreach (string file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    ScanFile(file, options, onHit, summary, window, ct);
                }
            }
            else
            {
                ScanFile(path, options, onHit, summary, window, ct);
            }
        }
        summary.Elapsed = clock.Elapsed;
        summary.CpuTime = Environment.CpuUsage.TotalTime - cpu;
        return summary;
    }

    private void ScanFile(string path, ScanOptions options, Action<Hit> onHit, ScanSummary summary, EventWindow? window, CancellationToken ct)
    {
        // A followed file that was rotated (truncated, or replaced by a new one) is read again from its start.
        bool rotated;
        do
        {
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Report(summary, new ScanProblem(path, 0, DetectionMessages.Unreadable(e.Message)));
                return;
            }
            using (file)
            {
                rotated = ScanStream(path, file, options, onHit, summary, window, ct);
            }
        }
        while (rotated && !ct.IsCancellationRequested);
    }

    /// <summary>
    /// Whether the file at <paramref name="path"/> is no longer the one being read: shorter than what was read from it
    /// (truncated in place, as logrotate's copytruncate does, or renamed away and replaced by a new, shorter file).
    /// </summary>
    private static bool Rotated(string path, FileStream reading)
    {
        try
        {
            return new FileInfo(path).Length < reading.Position;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Scans one stream; true when it was a followed file that was rotated, to be opened again.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ScanStream(string name, Stream raw, ScanOptions options, Action<Hit> onHit, ScanSummary summary, EventWindow? window, CancellationToken ct)
    {
        bool rotated = false;
        summary.Files++;
        var buffered = new BufferedStream(raw, 1 << 16);
        // RFC 1952 §2.3.1: a gzip member starts ID1 = 31, ID2 = 139. Read, not sought, so that a pipe is recognized too.
        byte[] magic = new byte[2];
        int peeked = 0;
        for (int n; peeked < magic.Length && (n = buffered.Read(magic.AsSpan(peeked))) > 0;)
        {
            peeked += n;
        }
        bool gzip = peeked == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        var source = new PrefixedStream(magic[..peeked], buffered);
        var trailers = gzip ? new GzipTrailers(source) : null;
        using var counted = new CountingStream(trailers is not null ? new GZipStream(trailers, CompressionMode.Decompress) : source);
        bool follow = options.Follow && !gzip;
        var reader = new LineReader(counted, follow);
        if (window is not null)
        {
            window.File = name;
        }
        var sink = new Sink(indicators, name, onHit, summary, time) { Window = window };
        LogParser? parser = options.Format == LogFormat.Auto ? null : LogParser.Create(options.Format, options.Fields);
        long lineNumber = 0;
        var batch = new Range[BatchLines];
        var parse = new bool[BatchLines];
        try
        {
            do
            {
                while (true)
                {
                    // Lines are taken in batches while the parser can prefilter them together (Zeek TSV, no engine
                    // windows), else one at a time.
                    bool prefilter = parser is not null && parser.CanPrefilter(sink);
                    int count = prefilter ? reader.MoveNext(batch) : reader.MoveNext() ? 1 : 0;
                    if (count == 0)
                    {
                        break;
                    }
                    if (prefilter)
                    {
                        parser!.Prefilter(reader.Buffer, batch.AsSpan(0, count), sink, parse);
                    }
                    else
                    {
                        batch[0] = reader.CurrentRange;
                        parse[0] = true;
                    }
                    for (int i = 0; i < count; i++)
                    {
                        lineNumber++;
                        if ((lineNumber & 0xFFF) == 0)
                        {
                            ct.ThrowIfCancellationRequested();
                            options.Progress?.Invoke(name, counted.Count);
                        }
                        var line = reader.Buffer[batch[i]];
                        if (!parse[i] || line.Length == 0)
                        {
                            continue;
                        }
                        parser ??= LogParser.Create(LogFormats.Detect(Encoding.UTF8.GetString(line), name), options.Fields);
                        sink.Line = lineNumber;
                        sink.Parser = parser;
                        window?.BeginLine(lineNumber);
                        if (!parser.TryParse(line, sink, out string? problem))
                        {
                            summary.Malformed++;
                            Report(summary, new ScanProblem(name, lineNumber, problem!));
                        }
                        window?.EndLine(parser.EventTime ?? time.GetUtcNow());
                    }
                }
                if (follow)
                {
                    window?.Evaluate();
                    options.Progress?.Invoke(name, counted.Count);
                    rotated = raw is FileStream fs && Rotated(name, fs);
                }
            }
            while (follow && !rotated && !ct.WaitHandle.WaitOne(FollowInterval));
        }
        catch (OperationCanceledException) when (follow)
        {
            // Cancelling is how a followed scan ends.
        }
        catch (Exception e) when (trailers is not null && e is InvalidDataException or EndOfStreamException)
        {
            Report(summary, new ScanProblem(name, lineNumber, DetectionMessages.Truncated(trailers.Count)));
            trailers = null;
        }
        catch (IOException e)
        {
            Report(summary, new ScanProblem(name, lineNumber, DetectionMessages.Unreadable(e.Message)));
        }
        window?.Evaluate();
        if (trailers is not null && !trailers.Intact(counted.Count))
        {
            Report(summary, new ScanProblem(name, lineNumber, DetectionMessages.Truncated(trailers.Count)));
        }
        summary.Lines += lineNumber;
        summary.Bytes += counted.Count;
        options.Progress?.Invoke(name, counted.Count);
        return rotated;
    }

    private static void Report(ScanSummary summary, ScanProblem problem)
    {
        if (summary.Problems.Count < MaxReportedProblems)
        {
            summary.Problems.Add(problem);
        }
    }

    private sealed class Sink(IndicatorSet set, string file, Action<Hit> onHit, ScanSummary summary, TimeProvider time) : IFieldSink
    {
        private readonly List<IndicatorHit> _hits = [];
        private readonly bool[] _wanted = [.. Enum.GetValues<IocKind>().Select(set.Wants)];

        public long Line { get; set; }

        public LogParser? Parser { get; set; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Wants(IocKind kind) => _wanted[(int)kind];

        public EventWindow? Window { get; init; }

        public bool Feeds(IocKind kind) => Window is not null && Window.Feeds(kind);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Probe(IocKind kind, ReadOnlySpan<char> value)
        {
            if (!_wanted[(int)kind])
            {
                return false;
            }
            _hits.Clear();
            set.Match(kind, value, _hits);
            return _hits.Count > 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ProbeDomains(DomainProbes probes, Span<bool> hit) => set.Match(probes, hit);

        public void Value(IocKind kind, string field, string value)
        {
            Window?.Value(kind, value);
            if (!Probe(kind, value))
            {
                return;
            }
            foreach (var (i, listed) in _hits.DistinctBy(h => h.Indicator))
            {
                var indicator = set.Indicators[i];
                var hit = new Hit(file, Line, field, kind, value, listed, indicator, Parser?.EventTime ?? time.GetUtcNow());
                summary.HitsByIndicator[indicator.Id] = summary.HitsByIndicator.GetValueOrDefault(indicator.Id) + 1;
                onHit(hit);
            }
        }
    }

    /// <summary>Counts the bytes read through it: the decompressed size of a gzip log.</summary>
    private sealed class CountingStream(Stream inner) : ReadOnlyStream(inner)
    {
        public long Count { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            int n = Inner.Read(buffer);
            Count += n;
            return n;
        }
    }
}
