using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Perisai.Server.Taxii;
using Perisai.Stix;
using Perisai.Storage;

namespace Perisai.Server.Detection;

/// <summary>
/// <c>GET /api/v1/sightings/summary[?indicator=ID]</c>: the sightings members reported (<c>perisai scan --report</c>),
/// aggregated per indicator and per country: "seen by 4 member states, 1,212 times, last at …". Computed from the
/// sightings the caller may read, through the same sharing policy as every read: a sighting is visible only when its
/// indicator and the reporting organization are, so the caller learns nothing of an indicator hidden from it, and
/// nothing of a sighting whose marking it may not read. (Stricter than counting every sighting of a visible indicator,
/// which would reveal that a country saw something under a marking the caller is not entitled to.)
/// </summary>
public static class SightingEndpoints
{
    /// <summary>Rows read per page while aggregating.</summary>
    private const int Page = 5_000;

    /// <summary>Maps the endpoint.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/v1/sightings/summary", Summary);

    private sealed class Tally
    {
        public long Count { get; set; }

        public long Sightings { get; set; }

        public StixTimestamp? LastSeen { get; set; }

        public SortedDictionary<string, long> ByCountry { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Organizations { get; } = new(StringComparer.Ordinal);
    }

    private static async Task<IResult> Summary(HttpContext context, NodeServices node, string? indicator)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        var ct = context.RequestAborted;
        var countries = (await node.Store.ListOrganizationsAsync(ct).ConfigureAwait(false)).ToDictionary(o => o.Id, o => o.Country, StringComparer.Ordinal);
        var tallies = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string collection in caller.Filter.Readable.Order(StringComparer.Ordinal))
        {
            long after = 0;
            while (true)
            {
                var page = await node.Store.QueryObjectsAsync(new ObjectQuery(collection) { Types = ["sighting"], AddedAfter = after, Limit = Page, Reader = caller.Filter }, ct).ConfigureAwait(false);
                foreach (var o in page.Items)
                {
                    // One sighting shared into two collections counts once.
                    if (seen.Add(o.Id + "\u0000" + o.Version))
                    {
                        Add(tallies, o.Json, countries, indicator);
                    }
                }
                if (!page.More || page.Items.Count == 0)
                {
                    break;
                }
                after = page.Items[^1].DateAdded;
            }
        }
        node.Audit.Record(caller, "sightings.summary", null, $"indicators={tallies.Count}");
        return new TaxiiResult(200, "application/json", w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("indicators");
            foreach (var (id, t) in tallies)
            {
                w.WriteStartObject();
                w.WriteString("indicator", id);
                w.WriteNumber("count", t.Count);
                w.WriteNumber("sightings", t.Sightings);
                w.WriteNumber("organizations", t.Organizations.Count);
                w.WriteNumber("countries", t.ByCountry.Count);
                w.WriteStartObject("by_country");
                foreach (var (country, n) in t.ByCountry)
                {
                    w.WriteNumber(country, n);
                }
                w.WriteEndObject();
                if (t.LastSeen is { } last)
                {
                    w.WriteString("last_seen", last.Text);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
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
