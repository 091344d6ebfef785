using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Perisai.Storage.Sql;

namespace Perisai.Server.Taxii;

/// <summary>Server information: discovery (TAXII 2.1 §4.1), API root (§4.2) and status (§4.3).</summary>
public static class DiscoveryEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/taxii2/", GetDiscovery);
        app.MapGet("/{root}/", GetApiRoot);
        app.MapGet("/{root}/status/{statusId}/", GetStatus);
    }

    private static async Task<IResult> GetDiscovery(HttpContext context, NodeServices node)
    {
        var (_, mediaType) = await node.BeginAsync(context).ConfigureAwait(false);
        var roots = await node.Store.ListApiRootsAsync(context.RequestAborted).ConfigureAwait(false);
        string Url(string name) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/{name}/";
        return new TaxiiResult(200, mediaType, w =>
        {
            w.WriteStartObject();
            w.WriteString("title", node.Options.Title);
            w.WriteString("description", node.Options.Description);
            if (node.Options.Contact is { } contact)
            {
                w.WriteString("contact", contact);
            }
            if (roots.Count > 0)
            {
                w.WriteString("default", Url(roots.FirstOrDefault(r => r.Name == "default")?.Name ?? roots[0].Name));
            }
            w.WriteStartArray("api_roots");
            foreach (var r in roots)
            {
                w.WriteStringValue(Url(r.Name));
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> GetApiRoot(HttpContext context, string root, NodeServices node)
    {
        var (_, mediaType) = await node.BeginAsync(context).ConfigureAwait(false);
        var r = await node.RootAsync(root, context.RequestAborted).ConfigureAwait(false);
        return new TaxiiResult(200, mediaType, w =>
        {
            w.WriteStartObject();
            w.WriteString("title", r.Title);
            if (r.Description is { } d)
            {
                w.WriteString("description", d);
            }
            w.WriteStartArray("versions");
            w.WriteStringValue(MediaTypes.Taxii);
            w.WriteEndArray();
            w.WriteNumber("max_content_length", node.Options.MaxContentLength);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> GetStatus(HttpContext context, string root, string statusId, NodeServices node)
    {
        var (caller, mediaType) = await node.BeginAsync(context).ConfigureAwait(false);
        await node.RootAsync(root, context.RequestAborted).ConfigureAwait(false);
        var s = await node.Store.GetStatusAsync(statusId, context.RequestAborted).ConfigureAwait(false);
        // A status is visible to the organization that posted it, in the API root it belongs to, and to no one else:
        // not even an administrator, since its details name every object of the envelope, whatever their marking.
        var poster = s is null ? null : await node.Store.GetAccountAsync(s.AccountId, context.RequestAborted).ConfigureAwait(false);
        if (s is null || s.ApiRoot != root || poster?.OrgId != caller.Account.OrgId)
        {
            throw TaxiiException.NotFound(TaxiiMessages.NoStatus);
        }
        return new TaxiiResult(200, mediaType, w => WriteStatus(w, s));
    }

    /// <summary>Writes a status resource (TAXII 2.1 §4.3.1).</summary>
    internal static void WriteStatus(Utf8JsonWriter w, Perisai.Storage.StatusRecord s)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Id);
        w.WriteString("status", s.Status);
        w.WriteString("request_timestamp", SqlStore.FormatMicros(s.RequestTimestamp));
        w.WriteNumber("total_count", s.TotalCount);
        w.WriteNumber("success_count", s.SuccessCount);
        using (var details = JsonDocument.Parse(s.Details))
        {
            foreach (string list in (ReadOnlySpan<string>)["successes", "failures", "pendings"])
            {
                if (list == "failures")
                {
                    w.WriteNumber("failure_count", s.FailureCount);
                }
                else if (list == "pendings")
                {
                    w.WriteNumber("pending_count", s.PendingCount);
                }
                if (details.RootElement.TryGetProperty(list, out var items) && items.GetArrayLength() > 0)
                {
                    w.WritePropertyName(list);
                    items.WriteTo(w);
                }
            }
        }
        w.WriteEndObject();
    }
}
