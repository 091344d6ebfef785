using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Perisai.Server.Auth;
using Perisai.Storage;

namespace Perisai.Server.Taxii;

/// <summary>Collections (TAXII 2.1 §5.1) and one collection (§5.2).</summary>
public static class CollectionsEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{root}/collections/", GetCollections);
        app.MapGet("/{root}/collections/{id}/", GetCollection);
    }

    private static async Task<IResult> GetCollections(HttpContext context, string root, NodeServices node)
    {
        var (caller, mediaType) = await node.BeginAsync(context).ConfigureAwait(false);
        await node.RootAsync(root, context.RequestAborted).ConfigureAwait(false);
        // Only the collections the caller may see, in a stable order (§3.3).
        var collections = (await node.Store.ListCollectionsAsync(root, context.RequestAborted).ConfigureAwait(false))
            .Where(c => caller.CanSee(c.Id)).ToList();
        return new TaxiiResult(200, mediaType, w =>
        {
            w.WriteStartObject();
            if (collections.Count > 0)
            {
                w.WriteStartArray("collections");
                foreach (var c in collections)
                {
                    Write(w, c, caller);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> GetCollection(HttpContext context, string root, string id, NodeServices node)
    {
        var (caller, mediaType) = await node.BeginAsync(context).ConfigureAwait(false);
        var c = await node.CollectionAsync(root, id, caller, context.RequestAborted).ConfigureAwait(false);
        return new TaxiiResult(200, mediaType, w => Write(w, c, caller));
    }

    private static void Write(Utf8JsonWriter w, TaxiiCollection c, Caller caller)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteString("title", c.Title);
        if (c.Description is { } d)
        {
            w.WriteString("description", d);
        }
        if (c.Alias is { } a)
        {
            w.WriteString("alias", a);
        }
        w.WriteBoolean("can_read", caller.CanRead(c.Id));
        w.WriteBoolean("can_write", caller.CanWrite(c.Id));
        w.WriteStartArray("media_types");
        w.WriteStringValue(MediaTypes.Stix);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
