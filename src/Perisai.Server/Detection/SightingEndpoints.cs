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
    /// <summary>Maps the endpoint.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/v1/sightings/summary", Summary);

    private static async Task<IResult> Summary(HttpContext context, NodeServices node, string? indicator)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        var rows = await node.Reads.SightingsAsync(Application.Reader.Of(caller), indicator, context.RequestAborted).ConfigureAwait(false);
        node.Audit.Record(caller, "sightings.summary", null, $"indicators={rows.Count}");
        return new TaxiiResult(200, "application/json", w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("indicators");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("indicator", r.Indicator);
                w.WriteNumber("count", r.Count);
                w.WriteNumber("sightings", r.Sightings);
                w.WriteNumber("organizations", r.Organizations);
                w.WriteNumber("countries", r.ByCountry.Count);
                w.WriteStartObject("by_country");
                foreach (var (country, n) in r.ByCountry)
                {
                    w.WriteNumber(country, n);
                }
                w.WriteEndObject();
                if (r.LastSeen is { } last)
                {
                    w.WriteString("last_seen", last.Text);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
