using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Perisai.Interop.Misp;

/// <summary>What a feed export wrote.</summary>
public sealed record MispFeedResult(int Events, int Attributes, LossReport Loss);

/// <summary>
/// A MISP feed directory (the layout MISP's own feed generator writes and its "Add feed" reads): one
/// <c>{uuid}.json</c> per event (<c>{"Event": …}</c>), <c>manifest.json</c> mapping each event's uuid to its Orgc,
/// Tag, info, date, analysis, threat_level_id and timestamp, and <c>hashes.csv</c> with the MD5 of every attribute
/// value (each part of a composite one) and its event's uuid, which MISP uses to find overlaps without fetching.
/// </summary>
public static class MispFeed
{
    /// <summary>Attributes per event for objects in no report: MISP handles events of this size well.</summary>
    public const int BucketSize = 10_000;

    /// <summary>
    /// Writes the objects of <paramref name="objects"/> (STIX JSON, read twice: reports first, then the rest) as a
    /// feed in <paramref name="directory"/>. Each report is an event with what it refers to; the other objects fill
    /// events of <see cref="BucketSize"/> named after <paramref name="title"/>. Memory holds the reports' members and
    /// the cyber-observables the observed-data refer to, never the whole collection.
    /// </summary>
    public static async Task<MispFeedResult> WriteAsync(Func<IAsyncEnumerable<string>> objects, string directory, string title, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(objects);
        Directory.CreateDirectory(directory);
        var loss = new LossReport();
        var reports = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var memberOf = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (string json in objects().WithCancellation(ct).ConfigureAwait(false))
        {
            if (!json.Contains("\"report\"", StringComparison.Ordinal))
            {
                continue;
            }
            using var doc = JsonDocument.Parse(json);
            var o = MispExtension.Lift(doc.RootElement.Clone());
            if (Observables.Str(o, "type") == "report" && Observables.Str(o, "id") is { } id)
            {
                reports[id] = o;
                foreach (var r in MispToStix.Array(o, "object_refs"))
                {
                    memberOf.TryAdd(r.GetString() ?? "", id);
                }
            }
        }

        var writer = new Writer(directory);
        var scos = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        JsonElement? Resolve(string id) => scos.TryGetValue(id, out var e) ? e : null;
        var members = reports.Keys.ToDictionary(k => k, _ => new List<JsonElement>(), StringComparer.Ordinal);
        var bucket = new StixToMisp.EventBuilder(loss, Resolve);
        int part = 1;
        await foreach (string json in objects().WithCancellation(ct).ConfigureAwait(false))
        {
            JsonElement o;
            using (var doc = JsonDocument.Parse(json))
            {
                o = MispExtension.Lift(doc.RootElement.Clone());
            }
            string id = Observables.Str(o, "id") ?? "";
            if (id is MispExtension.Id or MispExtension.PublisherId)
            {
                continue;
            }
            string type = Observables.Str(o, "type") ?? "";
            if (type == "report")
            {
                continue;
            }
            if (type is "identity" || StixToMisp.IsSco(o))
            {
                scos[id] = o;
                continue;
            }
            string? home = memberOf.GetValueOrDefault(id)
                ?? (StixToMisp.EventBuilder.IsRelated(o) ? new[] { Observables.Str(o, "sighting_of_ref"), Observables.Str(o, "source_ref") }
                    .Concat(MispToStix.Array(o, "object_refs").Select(r => r.GetString())).OfType<string>().Select(memberOf.GetValueOrDefault).FirstOrDefault(h => h is not null) : null);
            if (home is not null)
            {
                members[home].Add(o);
                continue;
            }
            if (StixToMisp.EventBuilder.IsRelated(o))
            {
                bucket.AddRelated(o);
                continue;
            }
            bucket.Add(o);
            if (bucket.AttributeCount >= BucketSize)
            {
                await writer.AddAsync(bucket.Finish(null, $"{title} ({part++})"), ct).ConfigureAwait(false);
                bucket = new StixToMisp.EventBuilder(loss, Resolve);
            }
        }
        if (bucket.AttributeCount > 0)
        {
            await writer.AddAsync(bucket.Finish(null, part == 1 ? title : $"{title} ({part})"), ct).ConfigureAwait(false);
        }
        foreach (var (id, report) in reports)
        {
            var builder = new StixToMisp.EventBuilder(loss, Resolve);
            await writer.AddAsync(builder.Build(report, members[id]), ct).ConfigureAwait(false);
        }
        await writer.FinishAsync(ct).ConfigureAwait(false);
        loss.Converted = writer.Events;
        return new MispFeedResult(writer.Events, writer.Attributes, loss);
    }

    // MISP's own files are plain UTF-8; escaping quotes and apostrophes as \u0022 would only bloat them.
    internal static readonly System.Text.Encodings.Web.JavaScriptEncoder Relaxed = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Writes events into a feed directory, one file each, then its manifest.</summary>
    internal sealed class Writer : IDisposable
    {
        private readonly string _directory;
        private readonly JsonObject _manifest = [];
        private readonly StreamWriter _hashes;

        public Writer(string directory)
        {
            _directory = directory;
            Directory.CreateDirectory(directory);
            _hashes = new StreamWriter(Path.Combine(directory, "hashes.csv.tmp"), false, new UTF8Encoding(false));
        }

        public int Events { get; private set; }

        public int Attributes { get; private set; }

        public async Task AddAsync(JsonObject ev, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(ev);
            string uuid = ev["uuid"]!.GetValue<string>();
            string path = Path.Combine(_directory, uuid + ".json");
            await using (var file = File.Create(path + ".tmp"))
            {
                await using var w = new Utf8JsonWriter(file, new JsonWriterOptions { Encoder = Relaxed });
                w.WriteStartObject();
                w.WritePropertyName("Event");
                ev.WriteTo(w);
                w.WriteEndObject();
            }
            File.Move(path + ".tmp", path, overwrite: true);
            _manifest[uuid] = new JsonObject
            {
                ["Orgc"] = ev["Orgc"]?.DeepClone(),
                ["Tag"] = ev["Tag"]?.DeepClone() ?? new JsonArray(),
                ["info"] = ev["info"]?.DeepClone(),
                ["date"] = ev["date"]?.DeepClone(),
                ["analysis"] = int.Parse(ev["analysis"]?.GetValue<string>() ?? "2", CultureInfo.InvariantCulture),
                ["threat_level_id"] = int.Parse(ev["threat_level_id"]?.GetValue<string>() ?? "4", CultureInfo.InvariantCulture),
                ["timestamp"] = long.Parse(ev["timestamp"]?.GetValue<string>() ?? "0", CultureInfo.InvariantCulture),
            };
            var attributes = (ev["Attribute"] as JsonArray ?? []).Concat((ev["Object"] as JsonArray ?? []).SelectMany(o => o!["Attribute"] as JsonArray ?? []));
            foreach (var a in attributes)
            {
                Attributes++;
                foreach (string part in (a!["value"]?.GetValue<string>() ?? "").Split('|'))
                {
#pragma warning disable CA5351 // MISP's feed format names MD5: it is a lookup key there, not a protection.
                    await _hashes.WriteAsync($"{Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(part)))},{uuid}\n").ConfigureAwait(false);
#pragma warning restore CA5351
                }
            }
            Events++;
        }

        /// <summary>Writes the manifest and the hashes last, each by rename: a reader never sees a half-written feed index.</summary>
        public async Task FinishAsync(CancellationToken ct)
        {
            await _hashes.FlushAsync(ct).ConfigureAwait(false);
            _hashes.Dispose();
            File.Move(Path.Combine(_directory, "hashes.csv.tmp"), Path.Combine(_directory, "hashes.csv"), overwrite: true);
            string manifest = Path.Combine(_directory, "manifest.json");
            await File.WriteAllTextAsync(manifest + ".tmp", _manifest.ToJsonString(new JsonSerializerOptions { Encoder = Relaxed }), ct).ConfigureAwait(false);
            File.Move(manifest + ".tmp", manifest, overwrite: true);
        }

        public void Dispose() => _hashes.Dispose();
    }

    /// <summary>An event of a feed that changed since the last pull, with its manifest timestamp.</summary>
    public sealed record FeedEvent(string Uuid, long Timestamp, JsonElement Event);

    /// <summary>
    /// The events of a feed (a directory or an http(s) URL) whose manifest timestamp is newer than
    /// <paramref name="seen"/> records; only those are fetched. A missing or unreadable event is reported in
    /// <paramref name="problems"/> and the others still come.
    /// </summary>
    public static async IAsyncEnumerable<FeedEvent> ReadAsync(string source, IReadOnlyDictionary<string, long> seen, HttpClient? http, List<string> problems,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentNullException.ThrowIfNull(problems);
        bool remote = source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        async Task<byte[]?> Fetch(string name)
        {
            try
            {
                if (remote)
                {
                    return await (http ?? throw new InvalidOperationException("an HTTP client is needed for a remote feed"))
                        .GetByteArrayAsync(new Uri(source.TrimEnd('/') + "/" + name), ct).ConfigureAwait(false);
                }
                string path = Path.Combine(source, name);
                return File.Exists(path) ? await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false) : null;
            }
            catch (HttpRequestException ex)
            {
                problems.Add($"{name}: {ex.Message}");
                return null;
            }
            catch (IOException ex)
            {
                problems.Add($"{name}: {ex.Message}");
                return null;
            }
        }
        var manifestBytes = await Fetch("manifest.json").ConfigureAwait(false);
        if (manifestBytes is null)
        {
            throw new FormatException(InteropMessages.NoManifest(source));
        }
        List<(string Uuid, long Timestamp)> changed = [];
        try
        {
            using var manifest = JsonDocument.Parse(manifestBytes);
            if (manifest.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException(InteropMessages.BadManifest("not a JSON object"));
            }
            foreach (var e in manifest.RootElement.EnumerateObject())
            {
                if (!Guid.TryParse(e.Name, out _))
                {
                    problems.Add(InteropMessages.FeedEvent(e.Name, "not a uuid; skipped"));
                    continue;
                }
                long ts = e.Value.ValueKind == JsonValueKind.Object && e.Value.TryGetProperty("timestamp", out var t)
                    ? (t.ValueKind == JsonValueKind.Number ? t.GetInt64() : long.TryParse(t.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : 0)
                    : 0;
                if (!seen.TryGetValue(e.Name, out long before) || ts > before || ts == 0)
                {
                    changed.Add((e.Name, ts));
                }
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException(InteropMessages.BadManifest(ex.Message), ex);
        }
        foreach (var (uuid, ts) in changed)
        {
            var bytes = await Fetch(uuid + ".json").ConfigureAwait(false);
            if (bytes is null)
            {
                problems.Add(InteropMessages.FeedEvent(uuid, "listed in the manifest but not found"));
                continue;
            }
            JsonElement ev;
            try
            {
                ev = JsonDocument.Parse(bytes).RootElement.Clone();
            }
            catch (JsonException ex)
            {
                problems.Add(InteropMessages.FeedEvent(uuid, ex.Message));
                continue;
            }
            yield return new FeedEvent(uuid, ts, ev);
        }
    }
}
