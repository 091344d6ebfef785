using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Perisai.Server.Taxii;

namespace Perisai.Server.Feeds;

/// <summary>
/// <c>GET /api/v1/feeds</c>: the scheduled feeds the caller manages (an admin: all; a lead: those that fill its
/// organization's collections), with their last run, counts, duration and error. Sources can hold credentials in a
/// URL, so nobody else sees them.
/// </summary>
public static class FeedEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/v1/feeds", List);

    private static async Task<IResult> List(HttpContext context, NodeServices node)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        if (!caller.Account.CanManageTrust)
        {
            throw TaxiiException.Forbidden(TaxiiMessages.LeadOrAdminOnly);
        }
        var feeds = (await context.RequestServices.GetRequiredService<Application.Feeds>().ListAsync(context.RequestAborted).ConfigureAwait(false)).Where(f => caller.Manages(f.CollectionId)).ToList();
        return new TaxiiResult(200, "application/json", w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("feeds");
            foreach (var f in feeds)
            {
                w.WriteStartObject();
                w.WriteString("id", f.Id);
                w.WriteString("name", f.Name);
                w.WriteString("source", f.Source);
                w.WriteString("format", f.Format);
                if (f.Preset is not null)
                {
                    w.WriteString("preset", f.Preset);
                }
                w.WriteString("collection", f.CollectionId);
                w.WriteNumber("every_seconds", f.EverySeconds);
                if (f.LastRun is { } last)
                {
                    w.WriteString("last_run", DateTimeOffset.UnixEpoch.AddTicks(last * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteNumber("last_duration_ms", f.LastDurationMs ?? 0);
                }
                w.WriteNumber("last_added", f.LastAdded);
                w.WriteNumber("last_unchanged", f.LastUnchanged);
                w.WriteNumber("last_rejected", f.LastRejected);
                if (f.LastError is not null)
                {
                    w.WriteString("last_error", f.LastError);
                }
                w.WriteNumber("runs", f.Runs);
                w.WriteNumber("failures", f.Failures);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
