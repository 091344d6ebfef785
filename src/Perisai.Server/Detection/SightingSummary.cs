using System.Text.Json;
using Perisai.Server.Application;
using Perisai.Stix;
using Perisai.Storage;

namespace Perisai.Server.Detection;

/// <summary>One indicator's sightings, summed.</summary>
/// <param name="Indicator">The indicator sighted.</param>
/// <param name="Count">The sightings' counts added up (a sighting without a count stands for one, STIX 2.1 §5.2).</param>
/// <param name="Sightings">How many sighting objects.</param>
/// <param name="Organizations">How many reporting organizations.</param>
/// <param name="ByCountry">The count per reporting organization's country (ISO 3166-1 alpha-2).</param>
/// <param name="LastSeen">The latest <c>last_seen</c> (or <c>created</c>).</param>
public sealed record SightingTally(string Indicator, long Count, long Sightings, int Organizations, IReadOnlyDictionary<string, long> ByCountry, StixTimestamp? LastSeen);

/// <summary>
/// The sightings a reader may see, per indicator and per country: for the node's API and <c>perisai sightings</c>
/// alike. Reads through the store's sharing filter, every readable collection, every page; a sighting shared into two
/// collections counts once.
/// </summary>
public static class SightingSummary
{
    /// <summary>Rows read per page while aggregating.</summary>
    private const int Page = 5_000;

    /// <summary>The tallies, by indicator id; only <paramref name="indicator"/>'s when given.</summary>
    public static async Task<IReadOnlyList<SightingTally>> ComputeAsync(Reads reads, Reader reader, string? indicator, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(reader);
        var countries = (await reads.OrganizationsAsync(ct).ConfigureAwait(false)).ToDictionary(o => o.Id, o => o.Country, StringComparer.Ordinal);
        var tallies = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string collection in reader.Filter.Readable.Order(StringComparer.Ordinal))
        {
            long after = 0;
            while (true)
            {
                // Shaped like every read: a count or a place withheld from the reader is not counted for it.
                var (page, json) = await reads.PageAsync(reader, new ObjectQuery(collection) { Types = ["sighting"], AddedAfter = after, Limit = Page }, ct).ConfigureAwait(false);
                for (int i = 0; i < page.Items.Count; i++)
                {
                    var o = page.Items[i];
                    if (seen.Add(o.Id + "\u0000" + o.Version))
                    {
                        Add(tallies, json[i], countries, indicator);
                    }
                }
                if (!page.More || page.Items.Count == 0)
                {
                    break;
                }
                after = page.Items[^1].DateAdded;
            }
        }
        return [.. tallies.Select(kv => new SightingTally(kv.Key, kv.Value.Count, kv.Value.Sightings, kv.Value.Organizations.Count, kv.Value.ByCountry, kv.Value.LastSeen))];
    }

    private sealed class Tally
    {
        public long Count { get; set; }

        public long Sightings { get; set; }

        public StixTimestamp? LastSeen { get; set; }

        public SortedDictionary<string, long> ByCountry { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Organizations { get; } = new(StringComparer.Ordinal);
    }

    private static void Add(SortedDictionary<string, Tally> tallies, string json, Dictionary<string, string?> countries, string? only)
    {
        using var doc = JsonDocument.Parse(json);
        var s = doc.RootElement;
        if (!s.TryGetProperty("sighting_of_ref", out var of) || of.GetString() is not { } indicator || (only is not null && indicator != only))
        {
            return;
        }
        if (!tallies.TryGetValue(indicator, out var t))
        {
            tallies[indicator] = t = new Tally();
        }
        // §5.2: count is how many times it was sighted; absent, the sighting stands for at least one.
        long count = s.TryGetProperty("count", out var c) && c.TryGetInt64(out long n) ? n : 1;
        t.Count += count;
        t.Sightings++;
        string? last = s.TryGetProperty("last_seen", out var ls) ? ls.GetString() : s.TryGetProperty("created", out var cr) ? cr.GetString() : null;
        if (StixTimestamp.TryParse(last, out var when) && (t.LastSeen is not { } previous || when.Value > previous))
        {
            t.LastSeen = when;
        }
        if (s.TryGetProperty("where_sighted_refs", out var where) && where.ValueKind == JsonValueKind.Array)
        {
            foreach (var w in where.EnumerateArray())
            {
                if (w.GetString() is { } org && countries.TryGetValue(org, out string? country))
                {
                    t.Organizations.Add(org);
                    if (country is not null)
                    {
                        t.ByCountry[country] = t.ByCountry.GetValueOrDefault(country) + count;
                    }
                }
            }
        }
    }
}
