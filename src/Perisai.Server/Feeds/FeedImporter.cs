using Perisai.Server.Application;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Detection.Indicators;
using Perisai.Interop;
using Perisai.Interop.Lists;
using Perisai.Interop.Misp;
using Perisai.Stix.Json;
using Perisai.Storage;

namespace Perisai.Server.Feeds;

/// <summary>What an import reads.</summary>
public enum ImportFormat
{
    /// <summary>Decided from the source: a feed directory or URL ending in '/', JSON (MISP or STIX 2.0/2.1), or CSV.</summary>
    Auto,

    /// <summary>A STIX 2.1 bundle, envelope or object; a STIX 2.0 bundle is upgraded.</summary>
    Stix,

    /// <summary>A MISP event, a list of them, or a restSearch response.</summary>
    Misp,

    /// <summary>A MISP feed (directory or URL with manifest.json), incremental.</summary>
    MispFeed,

    /// <summary>CSV or a plain list, with a preset or column mapping.</summary>
    Csv,
}

/// <summary>The names of the import formats, one table for the command line and the feeds.</summary>
public static class ImportFormats
{
    /// <summary>The format named <paramref name="name"/> (any case; <c>list</c> and <c>txt</c> are CSV); false for none.</summary>
    public static bool TryParse(string? name, out ImportFormat format)
    {
        ImportFormat? found = name?.ToLowerInvariant() switch
        {
            "auto" => ImportFormat.Auto,
            "stix" => ImportFormat.Stix,
            "misp" => ImportFormat.Misp,
            "misp-feed" => ImportFormat.MispFeed,
            "csv" or "list" or "txt" => ImportFormat.Csv,
            _ => null,
        };
        format = found ?? ImportFormat.Auto;
        return found is not null;
    }

    /// <summary>A format's name as <see cref="TryParse"/> reads it.</summary>
    public static string Name(ImportFormat format) => format == ImportFormat.MispFeed ? "misp-feed" : format.ToString().ToLowerInvariant();
}

/// <summary>One import: where from, how to read it, where to put it.</summary>
/// <param name="Source">A file, a directory, or an http(s) URL.</param>
/// <param name="Format">How to read it.</param>
/// <param name="CollectionId">Collection the objects go to.</param>
/// <param name="ProducerId">Organization they come from (the sharing policy's producer).</param>
public sealed record ImportRequest(string Source, ImportFormat Format, string CollectionId, string ProducerId)
{
    /// <summary>A CSV preset (<see cref="CsvLayout.Presets"/>).</summary>
    public string? Preset { get; init; }

    /// <summary>CSV value columns by name, with their kinds (null: recognize each value).</summary>
    public IReadOnlyList<(string Column, IocKind? Kind)>? Columns { get; init; }

    /// <summary>Labels added to every indicator made from a CSV row.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>A MISP feed's events already imported, by uuid, with their manifest timestamps; updated in place.</summary>
    public Dictionary<string, long> FeedState { get; init; } = [];
}

/// <summary>What an import did.</summary>
public sealed class ImportReport(string source, ImportFormat format)
{
    /// <summary>The source.</summary>
    public string Source { get; } = source;

    /// <summary>The format it was read as.</summary>
    public ImportFormat Format { get; internal set; } = format;

    /// <summary>Objects offered to the store after conversion.</summary>
    public int Total { get; internal set; }

    /// <summary>Versions stored.</summary>
    public int Added { get; internal set; }

    /// <summary>Versions already stored.</summary>
    public int Duplicates { get; internal set; }

    /// <summary>Objects refused, with why (validation errors, or the store's reason).</summary>
    public List<string> Rejected { get; } = [];

    /// <summary>Input that made no object: unreadable rows, missing feed events.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>What the conversion did not carry over.</summary>
    public LossReport Loss { get; internal set; } = new();
}

/// <summary>
/// Every way intelligence enters a node besides TAXII: each format converted to STIX 2.1, then through the one intake
/// path (validation, §2.9 ids, patterns) into the store in transactions of <see cref="Batch"/>. Used by
/// <c>perisai import</c> and by the feed scheduler alike.
/// </summary>
public static class FeedImporter
{
    /// <summary>Objects per transaction and per converted chunk of a CSV: memory stays flat whatever the file's size.</summary>
    public const int Batch = 40_000;

    /// <summary>Runs one import.</summary>
    internal static async Task<ImportReport> ImportAsync(Intake store, ImportRequest request, HttpClient? http, TimeProvider time,
        Action<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        var report = new ImportReport(request.Source, request.Format);
        // Telling JSON formats apart reads the document: it is kept for the import rather than read again.
        var (format, read) = request.Format == ImportFormat.Auto ? await DetectAsync(request.Source, http, ct).ConfigureAwait(false) : (request.Format, null);
        report.Format = format;
        switch (format)
        {
            case ImportFormat.MispFeed:
                await MispFeedAsync(store, request, http, report, progress, ct).ConfigureAwait(false);
                break;
            case ImportFormat.Csv:
                await CsvAsync(store, request, http, time, report, progress, ct).ConfigureAwait(false);
                break;
            default:
                var bytes = read ?? await ReadAllAsync(request.Source, http, ct).ConfigureAwait(false);
                if (format == ImportFormat.Misp)
                {
                    await MispAsync(store, request, bytes, report, progress, ct).ConfigureAwait(false);
                }
                else
                {
                    await StixAsync(store, request, bytes, report, progress, ct).ConfigureAwait(false);
                }
                break;
        }
        return report;
    }

    /// <summary>
    /// Imports one document already in memory (an upload): a MISP event or list of events, or a STIX bundle (2.0
    /// upgraded), decided from its content unless <see cref="ImportRequest.Format"/> says.
    /// </summary>
    internal static async Task<ImportReport> ImportDocumentAsync(Intake store, ImportRequest request, byte[] bytes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(bytes);
        var format = request.Format is ImportFormat.Misp or ImportFormat.Stix ? request.Format : Sniff(bytes);
        var report = new ImportReport(request.Source, format);
        if (format == ImportFormat.Misp)
        {
            await MispAsync(store, request, bytes, report, null, ct).ConfigureAwait(false);
        }
        else
        {
            await StixAsync(store, request, bytes, report, null, ct).ConfigureAwait(false);
        }
        return report;
    }

    private static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static async Task<(ImportFormat Format, byte[]? Read)> DetectAsync(string source, HttpClient? http, CancellationToken ct)
    {
        if (IsUrl(source))
        {
            if (source.EndsWith('/'))
            {
                return (ImportFormat.MispFeed, null);
            }
            if (!source.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                return (ImportFormat.Csv, null);
            }
            var fetched = await ReadAllAsync(source, http, ct).ConfigureAwait(false);
            return (Sniff(fetched), fetched);
        }
        if (Directory.Exists(source))
        {
            return (ImportFormat.MispFeed, null);
        }
        var head = new byte[64 * 1024];
        int n;
        await using (var f = File.OpenRead(source))
        {
            n = await f.ReadAsync(head, ct).ConfigureAwait(false);
        }
        var text = head.AsSpan(0, n).TrimStart(" \t\r\n\uFEFF"u8);
        if (text.Length == 0 || text[0] is not ((byte)'{' or (byte)'['))
        {
            return (ImportFormat.Csv, null);
        }
        var all = await File.ReadAllBytesAsync(source, ct).ConfigureAwait(false);
        return (Sniff(all), all);
    }

    private static ImportFormat Sniff(byte[] json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return MispEvents(doc.RootElement).Any() ? ImportFormat.Misp : ImportFormat.Stix;
        }
        catch (JsonException)
        {
            return ImportFormat.Stix; // the STIX reader words the error
        }
    }

    // A MISP event, {"Event": …}, a list of either, or restSearch's {"response": [...]}.
    private static IEnumerable<JsonElement> MispEvents(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return root.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object && (e.TryGetProperty("Event", out _) || e.TryGetProperty("Attribute", out _)));
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        if (root.TryGetProperty("response", out var response))
        {
            return MispEvents(response);
        }
        return root.TryGetProperty("Event", out _) || (root.TryGetProperty("Attribute", out _) && root.TryGetProperty("info", out _)) ? [root] : [];
    }

    private static async Task<byte[]> ReadAllAsync(string source, HttpClient? http, CancellationToken ct) => IsUrl(source)
        ? await (http ?? throw new InvalidOperationException(FeedMessages.NoHttpClient)).GetByteArrayAsync(new Uri(source), ct).ConfigureAwait(false)
        : await File.ReadAllBytesAsync(source, ct).ConfigureAwait(false);

    private static async Task StixAsync(Intake store, ImportRequest request, byte[] bytes, ImportReport report, Action<int>? progress, CancellationToken ct)
    {
        try
        {
            using var probe = JsonDocument.Parse(bytes);
            if (Stix20Upgrade.IsStix20(probe.RootElement))
            {
                var upgraded = Stix20Upgrade.Upgrade(probe.RootElement);
                report.Loss = upgraded.Loss;
                bytes = upgraded.ToBundle();
            }
        }
        catch (JsonException)
        {
            // Not JSON: StixDocument.Parse below reports where it breaks.
        }
        await StoreAsync(store, request, bytes, report, progress, ct).ConfigureAwait(false);
    }

    private static async Task MispAsync(Intake store, ImportRequest request, byte[] bytes, ImportReport report, Action<int>? progress, CancellationToken ct)
    {
        var options = await SharingGroupsAsync(store, ct).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(bytes);
        var events = MispEvents(doc.RootElement).ToList();
        if (events.Count == 0)
        {
            report.Problems.Add(FeedMessages.NoMispEvent);
            return;
        }
        foreach (var ev in events)
        {
            await OneEventAsync(store, request, ev, options, report, progress, ct).ConfigureAwait(false);
        }
    }

    private static async Task<bool> OneEventAsync(Intake store, ImportRequest request, JsonElement ev, MispImportOptions options, ImportReport report,
        Action<int>? progress, CancellationToken ct)
    {
        StixConversion converted;
        try
        {
            converted = MispToStix.Convert(ev, options);
        }
        catch (FormatException ex)
        {
            report.Problems.Add(ex.Message);
            return false;
        }
        report.Loss.AddRange(converted.Loss);
        await StoreAsync(store, request, converted.ToBundle(), report, progress, ct).ConfigureAwait(false);
        return true;
    }

    // A MISP sharing group maps to the node's community of the same name: its organizations become the recipients.
    private static async Task<MispImportOptions> SharingGroupsAsync(Intake store, CancellationToken ct)
    {
        var communities = await store.CommunitiesAsync(ct).ConfigureAwait(false);
        return new MispImportOptions { SharingGroup = (name, _) => name is not null && communities.TryGetValue(name, out var members) ? members : null };
    }

    private static async Task MispFeedAsync(Intake store, ImportRequest request, HttpClient? http, ImportReport report, Action<int>? progress, CancellationToken ct)
    {
        var options = await SharingGroupsAsync(store, ct).ConfigureAwait(false);
        await foreach (var ev in MispFeed.ReadAsync(request.Source, request.FeedState, http, report.Problems, ct).ConfigureAwait(false))
        {
            if (await OneEventAsync(store, request, ev.Event, options, report, progress, ct).ConfigureAwait(false))
            {
                // Seen once stored (a store failure throws before this line, so the event is fetched again next time);
                // an object the node refused stays refused until the event changes.
                request.FeedState[ev.Uuid] = ev.Timestamp;
            }
        }
    }

    private static async Task CsvAsync(Intake store, ImportRequest request, HttpClient? http, TimeProvider time, ImportReport report, Action<int>? progress, CancellationToken ct)
    {
        CsvLayout? layout = null;
        if (request.Preset is { } preset)
        {
            if (!CsvLayout.Presets.TryGetValue(preset, out layout))
            {
                report.Problems.Add(FeedMessages.UnknownPreset(preset, CsvLayout.Presets.Keys));
                return;
            }
        }
        else if (request.Columns is { Count: > 0 } columns)
        {
            layout = new CsvLayout("columns", columns, null, [], null);
        }
        await using var stream = IsUrl(request.Source)
            ? await (http ?? throw new InvalidOperationException(FeedMessages.NoHttpClient)).GetStreamAsync(new Uri(request.Source), ct).ConfigureAwait(false)
            : File.OpenRead(request.Source);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string source = layout is { Name: not "columns" } ? $"abuse.ch {layout.Name}" : Path.GetFileName(request.Source.TrimEnd('/'));
        // Two stages on two threads: rows are converted and validated while the previous chunk is being written, the
        // store being the slower half. The channel holds two chunks, so memory stays flat whatever the file's size.
        var chunks = System.Threading.Channels.Channel.CreateBounded<(IntakeResult? Intake, string? Error)>(1);
        var problems = new List<string>();
        // If the store fails, the producer must not wait forever for room in the channel: cancelling stops it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(() =>
        {
            // Each row is written into the chunk's bundle as it comes and its JSON tree dropped: a chunk in the making
            // costs its bytes, not a tree of nodes per indicator.
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(Batch * 700);
            var writer = new Utf8JsonWriter(buffer);
            int inChunk = 0;
            try
            {
                foreach (var row in CsvIndicators.Read(reader, layout, source, time.GetUtcNow(), request.Labels))
                {
                    if (row.Indicator is null)
                    {
                        if (problems.Count < 1_000)
                        {
                            problems.Add(row.Problem!);
                        }
                        continue;
                    }
                    if (inChunk == 0)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("type", "bundle");
                        writer.WriteString("id", $"bundle--{Guid.NewGuid()}");
                        writer.WriteStartArray("objects");
                    }
                    row.Indicator.WriteTo(writer);
                    if (++inChunk == Batch)
                    {
                        Send();
                    }
                }
                if (inChunk > 0)
                {
                    Send();
                }
            }
            finally
            {
                writer.Dispose();
                chunks.Writer.Complete();
            }

            void Send()
            {
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.Flush();
                var checkedChunk = Check(buffer.WrittenMemory);
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                inChunk = 0;
                // Blocking here is the back-pressure: this thread is the producer's own (Task.Run).
                chunks.Writer.WriteAsync(checkedChunk, stop.Token).AsTask().GetAwaiter().GetResult();
            }
        }, stop.Token);
        try
        {
            await foreach (var (intake, error) in chunks.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await WriteAsync(store, request, intake, error, report, progress, ct).ConfigureAwait(false);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The producer stopped because the store failed; the store's error is the one to report.
            }
            throw;
        }
        await producer.ConfigureAwait(false);
        report.Problems.AddRange(problems);
    }

    /// <summary>The one intake path: parse, validate (with patterns), store in transactions.</summary>
    private static Task StoreAsync(Intake store, ImportRequest request, byte[] bytes, ImportReport report, Action<int>? progress, CancellationToken ct)
    {
        var (intake, error) = Check(bytes);
        return WriteAsync(store, request, intake, error, report, progress, ct);
    }

    /// <summary>Parses and validates a document (§2.9 ids filled, patterns checked): the CPU half of the intake.</summary>
    private static (IntakeResult? Intake, string? Error) Check(ReadOnlyMemory<byte> bytes) => Intake.Check(bytes);

    /// <summary>Stores what passed validation and records the outcome: the store's half, on one thread.</summary>
    private static async Task WriteAsync(Intake store, ImportRequest request, IntakeResult? intake, string? error, ImportReport report, Action<int>? progress, CancellationToken ct)
    {
        if (intake is null)
        {
            report.Rejected.Add(error!);
            return;
        }
        report.Total += intake.Total;
        report.Rejected.AddRange(intake.Failures.Select(f => $"{f.Id}: {f.Summary()}"));
        foreach (var batch in intake.Valid.Chunk(Batch))
        {
            foreach (var r in await store.AddAsync(request.CollectionId, request.ProducerId, batch, ct).ConfigureAwait(false))
            {
                switch (r.Outcome)
                {
                    case AddOutcome.Added: report.Added++; break;
                    case AddOutcome.Duplicate: report.Duplicates++; break;
                    default: report.Rejected.Add($"{r.Id} {r.Version}: {r.Message}"); break;
                }
            }
            progress?.Invoke(batch.Length);
        }
    }
}
