using System.Text.Json;
using Perisai.Server.Application;
using Perisai.Server.Auth;
using Perisai.Server.Detection;
using Perisai.Stix.Markings;
using Perisai.Storage;

namespace Perisai.Web;

/// <summary>One object as a page shows it.</summary>
/// <param name="Id">The object's id.</param>
/// <param name="Type">Its STIX type.</param>
/// <param name="Name">Its name (or value, or pattern, or id) as the reader receives it.</param>
/// <param name="Tlp">Its effective TLP in the collection: the badge.</param>
/// <param name="Collection">The collection's id.</param>
/// <param name="CollectionTitle">The collection's title.</param>
/// <param name="Created">Its <c>created</c>, if it has one.</param>
/// <param name="Json">The object as the reader receives it (shaped by the one read path).</param>
/// <param name="Producer">The organization that wrote it to the node.</param>
/// <param name="Withheld">The TLP of each property withheld from the reader.</param>
public sealed record ObjectRow(string Id, string Type, string Name, TlpLevel Tlp, string Collection, string CollectionTitle, string? Created, string Json, string Producer,
    IReadOnlyList<TlpLevel> Withheld);

/// <summary>One edge of an object's relationship graph: the relationship, its type, and the object at the other end.</summary>
public sealed record GraphEdge(string RelationshipId, string Type, bool Outgoing, string OtherId, string OtherName, string OtherType);

/// <summary>What the dashboard draws.</summary>
public sealed record DashboardData(long Objects, IReadOnlyList<(string Label, long Value)> ByType, IReadOnlyList<(string Label, long Value)> ByTlp,
    IReadOnlyList<(string Label, long Value)> IndicatorsByDay, IReadOnlyList<(string Label, long Value)> SightingsByCountry,
    IReadOnlyList<ThreatTrend> Threats, bool Partial)
{
    /// <summary>Sightings per day over the last 30 days (by last_seen), summed over their counts.</summary>
    public IReadOnlyList<(string Label, long Value)> SightingsByDay { get; init; } = [];
}

/// <summary>A malware family or campaign, with the sightings of the indicators that indicate it: the last 14 days and the 14 before.</summary>
public sealed record ThreatTrend(string Id, string Name, string Type, long Recent, long Before);

/// <summary>
/// The pages' reads, every one through the node's one read path (<see cref="Reads"/>: the caller's sharing filter
/// inside the query, then shaping): a page cannot show, count, chart or find by what the API would not return to the
/// same organization.
/// </summary>
public sealed class WebData(Reads reads, TimeProvider time)
{
    /// <summary>The newest objects the dashboard reads per collection; beyond them, the figures say they are partial.</summary>
    public const int DashboardScan = 10_000;

    /// <summary>The collections the caller may read, by title.</summary>
    public async Task<IReadOnlyList<TaxiiCollection>> ReadableAsync(Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await reads.CollectionsAsync(c => caller.CanRead(c.Id), ct).ConfigureAwait(false);
    }

    /// <summary>The directory of organizations (known to every member).</summary>
    public Task<IReadOnlyList<Organization>> OrganizationsAsync(CancellationToken ct) => reads.OrganizationsAsync(ct);

    /// <summary>The collections the caller may write to.</summary>
    public async Task<IReadOnlyList<TaxiiCollection>> WritableAsync(Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await reads.CollectionsAsync(c => caller.CanWrite(c.Id), ct).ConfigureAwait(false);
    }

    /// <summary>Objects whose JSON contains <paramref name="text"/> (names, descriptions, pattern values, SCO values).</summary>
    /// <param name="caller">Whose view.</param>
    /// <param name="text">The text; empty with a filter lists what the filters select.</param>
    /// <param name="type">Only this STIX type, or null.</param>
    /// <param name="collection">Only this collection, or null.</param>
    /// <param name="tlp">Only this effective TLP level, or null.</param>
    /// <param name="limit">Most rows.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="producer">Only objects this organization wrote to the node, or null.</param>
    /// <param name="since">Only objects created on or after this date (yyyy-MM-dd), or null.</param>
    public async Task<IReadOnlyList<ObjectRow>> SearchAsync(Caller caller, string text, string? type, string? collection, TlpLevel? tlp, int limit, CancellationToken ct,
        string? producer = null, string? since = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(text);
        // An address, domain, URL, e-mail address or hash is looked up as a value, through the index of values; other
        // text (a name, a phrase, part of a value) is searched for inside each object.
        bool byValue = text.Length > 0 && !text.Contains(' ', StringComparison.Ordinal) && Perisai.Detection.Indicators.IndicatorSource.Classify(text) is not null;
        var rows = new List<ObjectRow>();
        foreach (var c in (await ReadableAsync(caller, ct).ConfigureAwait(false)).Where(c => collection is null || c.Id == collection))
        {
            long? after = null;
            int kept = 0;
            // Pages until enough rows pass the TLP filter (applied here: the effective level depends on the collection).
            while (kept < limit)
            {
                // Found in what the caller receives, not in what is stored (Reads.FindAsync).
                var page = await reads.FindAsync(Reader.Of(caller), new ObjectQuery(c.Id)
                {
                    Value = byValue ? text : null, Contains = byValue || text.Length == 0 ? null : text,
                    Types = type is null ? null : [type], AddedAfter = after, Limit = limit,
                }, ct).ConfigureAwait(false);
                foreach (var row in page.Items.Select(o => Row(o, c)).Where(r => (tlp is null || r.Tlp == tlp) && (producer is null || r.Producer == producer)
                    && (since is null || string.CompareOrdinal(r.Created ?? "", since) >= 0)))
                {
                    rows.Add(row);
                    kept++;
                }
                if (!page.More || page.Last is null)
                {
                    break;
                }
                after = page.Last;
            }
        }
        return [.. rows.OrderByDescending(r => r.Created, StringComparer.Ordinal).Take(limit)];
    }

    /// <summary>Every version of an object the caller may see, newest first, in each collection that holds one; empty when none.</summary>
    public async Task<IReadOnlyList<ObjectRow>> VersionsAsync(Caller caller, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var collections = (await ReadableAsync(caller, ct).ConfigureAwait(false)).ToDictionary(c => c.Id, StringComparer.Ordinal);
        var rows = (await reads.VersionsAsync(Reader.Of(caller), collections.Values, id, ct).ConfigureAwait(false)).Select(o => Row(o, collections[o.CollectionId]));
        return [.. rows.OrderByDescending(r => Modified(r.Json), StringComparer.Ordinal)];
    }

    /// <summary>
    /// The relationships the caller may see that start or end at <paramref name="id"/>, with the object at the other
    /// end when the caller may see it too (a relationship to a hidden object is itself hidden by the policy).
    /// </summary>
    public async Task<IReadOnlyList<GraphEdge>> RelationshipsAsync(Caller caller, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var collections = await ReadableAsync(caller, ct).ConfigureAwait(false);
        var rels = new Dictionary<string, (string Type, bool Out, string Other)>(StringComparer.Ordinal);
        foreach (var c in collections)
        {
            var page = await reads.FindAsync(Reader.Of(caller), new ObjectQuery(c.Id) { Types = ["relationship"], Contains = id, Limit = 200 }, ct).ConfigureAwait(false);
            foreach (var o in page.Items)
            {
                using var doc = JsonDocument.Parse(o.Json);
                string? source = Str(doc.RootElement, "source_ref"), target = Str(doc.RootElement, "target_ref");
                if (source == id && target is not null)
                {
                    rels[o.Stored.Id] = (Str(doc.RootElement, "relationship_type") ?? "related-to", true, target);
                }
                else if (target == id && source is not null)
                {
                    rels[o.Stored.Id] = (Str(doc.RootElement, "relationship_type") ?? "related-to", false, source);
                }
            }
        }
        var names = new Dictionary<string, (string Name, string Type)>(StringComparer.Ordinal);
        var others = rels.Values.Select(r => r.Other).Distinct(StringComparer.Ordinal).ToList();
        foreach (var c in collections)
        {
            foreach (var chunk in others.Where(o => !names.ContainsKey(o)).Chunk(200))
            {
                var page = await reads.QueryAsync(Reader.Of(caller), new ObjectQuery(c.Id) { Ids = chunk, Limit = 1000 }, ct).ConfigureAwait(false);
                foreach (var o in page.Items)
                {
                    names[o.Stored.Id] = (Row(o, c).Name, o.Stored.Type);
                }
            }
        }
        return [.. rels.Where(r => names.ContainsKey(r.Value.Other))
            .Select(r => new GraphEdge(r.Key, r.Value.Type, r.Value.Out, r.Value.Other, names[r.Value.Other].Name, names[r.Value.Other].Type))
            .OrderBy(e => e.Type, StringComparer.Ordinal).ThenBy(e => e.OtherName, StringComparer.Ordinal)];
    }

    /// <summary>Sightings of one indicator, per country, as the caller may read them.</summary>
    public async Task<SightingTally?> SightingsAsync(Caller caller, string indicator, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await reads.SightingsAsync(Reader.Of(caller), indicator, ct).ConfigureAwait(false) is { Count: > 0 } tallies ? tallies[0] : null;
    }

    /// <summary>The dashboard's figures, over what the caller may read.</summary>
    public async Task<DashboardData> DashboardAsync(Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var byType = new Dictionary<string, long>(StringComparer.Ordinal);
        var byTlp = new Dictionary<TlpLevel, long>();
        var byDay = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var threats = new Dictionary<string, (string Name, string Type)>(StringComparer.Ordinal);
        var indicates = new List<(string Indicator, string Threat)>();
        var sightings = new List<(string Indicator, string LastSeen, long Count)>();
        var sightingsByDay = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var today = time.GetUtcNow();
        string recentFrom = today.AddDays(-14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string beforeFrom = today.AddDays(-28).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string since = time.GetUtcNow().AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        long total = 0;
        bool partial = false;
        foreach (var c in await ReadableAsync(caller, ct).ConfigureAwait(false))
        {
            // The newest objects of each collection: what is hitting the region now, in one indexed read.
            var page = await reads.QueryAsync(Reader.Of(caller), new ObjectQuery(c.Id) { Descending = true, Limit = DashboardScan }, ct).ConfigureAwait(false);
            partial |= page.More;
            foreach (var o in page.Items)
            {
                var row = Row(o, c);
                total++;
                byType[row.Type] = byType.GetValueOrDefault(row.Type) + 1;
                byTlp[row.Tlp] = byTlp.GetValueOrDefault(row.Tlp) + 1;
                if (row.Type == "indicator" && row.Created is { Length: >= 10 } created && string.CompareOrdinal(created[..10], since) >= 0)
                {
                    byDay[created[..10]] = byDay.GetValueOrDefault(created[..10]) + 1;
                }
                if (row.Type is "malware" or "campaign")
                {
                    threats[row.Id] = (row.Name, row.Type);
                }
                else if (row.Type is "relationship" or "sighting")
                {
                    using var doc = JsonDocument.Parse(row.Json);
                    var r = doc.RootElement;
                    if (row.Type == "relationship" && Str(r, "relationship_type") == "indicates" && Str(r, "source_ref") is { } src && Str(r, "target_ref") is { } dst)
                    {
                        indicates.Add((src, dst));
                    }
                    else if (row.Type == "sighting" && Str(r, "sighting_of_ref") is { } of)
                    {
                        string last = Str(r, "last_seen") ?? Str(r, "created") ?? "";
                        long n = r.TryGetProperty("count", out var cnt) && cnt.TryGetInt64(out long k) ? k : 1;
                        sightings.Add((of, last, n));
                        if (last.Length >= 10 && string.CompareOrdinal(last[..10], since) >= 0)
                        {
                            sightingsByDay[last[..10]] = sightingsByDay.GetValueOrDefault(last[..10]) + n;
                        }
                    }
                }
            }
        }
        var countries = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var tally in await reads.SightingsAsync(Reader.Of(caller), null, ct).ConfigureAwait(false))
        {
            foreach (var (country, n) in tally.ByCountry)
            {
                countries[country] = countries.GetValueOrDefault(country) + n;
            }
        }
        return new DashboardData(total,
            [.. byType.OrderByDescending(kv => kv.Value).Take(12).Select(kv => (kv.Key, kv.Value))],
            [.. byTlp.OrderBy(kv => kv.Key).Select(kv => ($"TLP:{TlpMarkings.NameOf(kv.Key)}", kv.Value))],
            [.. byDay.Select(kv => (kv.Key, kv.Value))],
            [.. countries.OrderByDescending(kv => kv.Value).Select(kv => (kv.Key, kv.Value))],
            Trends(threats, indicates, sightings, recentFrom, beforeFrom),
            partial) { SightingsByDay = [.. sightingsByDay.Select(kv => (kv.Key, kv.Value))] };
    }

    // A threat's trend: sightings of the indicators that indicate it, in the last 14 days against the 14 before.
    private static List<ThreatTrend> Trends(Dictionary<string, (string Name, string Type)> threats, List<(string Indicator, string Threat)> indicates,
        List<(string Indicator, string LastSeen, long Count)> sightings, string recentFrom, string beforeFrom)
    {
        var byIndicator = sightings.ToLookup(s => s.Indicator, StringComparer.Ordinal);
        return [.. threats.Select(t =>
        {
            var seen = indicates.Where(i => i.Threat == t.Key).SelectMany(i => byIndicator[i.Indicator]).ToList();
            long recent = seen.Where(s => string.CompareOrdinal(s.LastSeen, recentFrom) >= 0).Sum(s => s.Count);
            long before = seen.Where(s => string.CompareOrdinal(s.LastSeen, beforeFrom) >= 0 && string.CompareOrdinal(s.LastSeen, recentFrom) < 0).Sum(s => s.Count);
            return new ThreatTrend(t.Key, t.Value.Name, t.Value.Type, recent, before);
        })
        // The same family shared in two collections (at two markings) is one line, linked to its most sighted copy.
        .GroupBy(t => (t.Name, t.Type)).Select(g => g.OrderByDescending(t => t.Recent + t.Before).First() with { Recent = g.Sum(t => t.Recent), Before = g.Sum(t => t.Before) })
        .OrderByDescending(t => t.Recent).ThenByDescending(t => t.Before).ThenBy(t => t.Name, StringComparer.Ordinal).Take(10)];
    }

    // Everything a page shows of an object comes from what the reader receives (o.Json), never from the stored row's JSON.
    private static ObjectRow Row(ReadObject o, TaxiiCollection c)
    {
        using var doc = JsonDocument.Parse(o.Json);
        var root = doc.RootElement;
        string name = Str(root, "name") ?? Str(root, "value") ?? Str(root, "pattern") ?? o.Stored.Id;
        return new ObjectRow(o.Stored.Id, o.Stored.Type, name, o.Tlp, c.Id, c.Title, Str(root, "created"), o.Json, o.Stored.Producer, o.Withheld);
    }

    private static string Modified(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Str(doc.RootElement, "modified") ?? Str(doc.RootElement, "created") ?? "";
    }

    private static string? Str(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
