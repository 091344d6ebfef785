using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Perisai.Server.Application;
using Perisai.Server.Auth;
using Perisai.Server.Sharing;
using Perisai.Storage;
using Perisai.Storage.Sql;

namespace Perisai.Server.Taxii;

/// <summary>
/// The object endpoints of a collection: manifest (TAXII 2.1 §5.3), get objects (§5.4), add objects (§5.5), get an
/// object (§5.6), delete an object (§5.7) and its versions (§5.8).
/// </summary>
public static class ObjectsEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{root}/collections/{id}/manifest/", GetManifest);
        app.MapGet("/{root}/collections/{id}/objects/", GetObjects);
        app.MapPost("/{root}/collections/{id}/objects/", AddObjects);
        app.MapGet("/{root}/collections/{id}/objects/{objectId}/", GetObject);
        app.MapDelete("/{root}/collections/{id}/objects/{objectId}/", DeleteObject);
        app.MapGet("/{root}/collections/{id}/objects/{objectId}/versions/", GetVersions);
    }

    private static async Task<IResult> GetObjects(HttpContext context, string root, string id, NodeServices node)
    {
        var (caller, mediaType, c) = await ReadableAsync(context, root, id, node).ConfigureAwait(false);
        var filters = QueryFilters.Parse(context.Request.Query);
        var page = await QueryAsync(node, caller, c.Id, filters, context.RequestAborted).ConfigureAwait(false);
        node.Audit.Record(caller, "objects.read", c.Id, $"returned={page.Items.Count}");
        return await ObjectsEnvelopeAsync(node, caller, c.Id, mediaType, page, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<TaxiiResult> ObjectsEnvelopeAsync(NodeServices node, Caller caller, string collectionId, string mediaType, Page<StoredObject> page, CancellationToken ct)
    {
        // The rows were read by Reads.RowsAsync with the caller's filter; shaping them is the second half of the one read path.
        var shaped = await node.Reads.ShapeAsync(Reader.Of(caller), collectionId, page.Items, ct).ConfigureAwait(false);
        int i = 0;
        // A peer node is told who produced each object (TAXII 2.1 §7.1 custom property), so the organization it
        // speaks for keeps its objects there; what it may believe of the claim is its own intake's to decide.
        Action<Utf8JsonWriter>? producers = caller.Peer is null || page.Items.Count == 0 ? null : w =>
        {
            w.WriteStartArray(Federation.PeerWire.ProducersProperty);
            foreach (var o in page.Items)
            {
                w.WriteStringValue(o.Producer);
            }
            w.WriteEndArray();
        };
        return Envelope(mediaType, page, "objects", (w, _) => w.WriteRawValue(shaped[i++], skipInputValidation: true), producers);
    }

    private static async Task<IResult> GetManifest(HttpContext context, string root, string id, NodeServices node)
    {
        var (caller, mediaType, c) = await ReadableAsync(context, root, id, node, allowStix: false).ConfigureAwait(false);
        var filters = QueryFilters.Parse(context.Request.Query);
        var page = await QueryAsync(node, caller, c.Id, filters, context.RequestAborted).ConfigureAwait(false);
        node.Audit.Record(caller, "manifest.read", c.Id, $"returned={page.Items.Count}");
        return Envelope(mediaType, page, "objects", (w, o) =>
        {
            // §5.3.1 manifest-record.
            w.WriteStartObject();
            w.WriteString("id", o.Id);
            w.WriteString("date_added", SqlStore.FormatMicros(o.DateAdded));
            w.WriteString("version", o.Version);
            w.WriteString("media_type", MediaTypes.Stix);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> GetObject(HttpContext context, string root, string id, string objectId, NodeServices node)
    {
        var (caller, mediaType, c) = await ReadableAsync(context, root, id, node).ConfigureAwait(false);
        var filters = QueryFilters.Parse(context.Request.Query) with { Ids = [objectId], Types = null };
        await RequireObjectAsync(node, caller, c.Id, objectId, context.RequestAborted).ConfigureAwait(false);
        var page = await QueryAsync(node, caller, c.Id, filters, context.RequestAborted).ConfigureAwait(false);
        node.Audit.Record(caller, "object.read", c.Id, $"returned={page.Items.Count}");
        return await ObjectsEnvelopeAsync(node, caller, c.Id, mediaType, page, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<IResult> GetVersions(HttpContext context, string root, string id, string objectId, NodeServices node)
    {
        var (caller, mediaType, c) = await ReadableAsync(context, root, id, node, allowStix: false).ConfigureAwait(false);
        var filters = QueryFilters.Parse(context.Request.Query) with { Ids = [objectId], Types = null, Versions = VersionFilter.Every };
        await RequireObjectAsync(node, caller, c.Id, objectId, context.RequestAborted).ConfigureAwait(false);
        var page = await QueryAsync(node, caller, c.Id, filters, context.RequestAborted).ConfigureAwait(false);
        node.Audit.Record(caller, "versions.read", c.Id, $"returned={page.Items.Count}");
        // §5.8.1 versions resource: a list of version strings, in date_added order.
        return Envelope(mediaType, page, "versions", (w, o) => w.WriteStringValue(o.Version));
    }

    private static async Task<IResult> DeleteObject(HttpContext context, string root, string id, string objectId, NodeServices node)
    {
        var (caller, mediaType) = await node.BeginAsync(context).ConfigureAwait(false);
        var c = await node.CollectionAsync(root, id, caller, context.RequestAborted).ConfigureAwait(false);
        // §5.7: deleting needs both rights.
        if (!caller.CanRead(c.Id))
        {
            throw TaxiiException.Forbidden(TaxiiMessages.NoRead);
        }
        RequireWrite(caller, c.Id);
        // Only versions the caller can see are candidates (a hidden one is absent, so asking for it is a 404), and of
        // those only its own organization's, unless it manages the collection.
        var filters = QueryFilters.Parse(context.Request.Query) with { Ids = [objectId], Types = null, Limit = node.Options.MaxPageSize };
        var visible = await QueryAsync(node, caller, c.Id, filters, context.RequestAborted).ConfigureAwait(false);
        if (visible.Items.Count == 0)
        {
            throw TaxiiException.NotFound(TaxiiMessages.NoObject);
        }
        var doomed = visible.Items.Where(o => o.Producer == caller.OrgId || caller.Manages(c.Id)).Select(o => o.DateAdded).ToList();
        if (doomed.Count == 0)
        {
            throw TaxiiException.Forbidden(TaxiiMessages.NotYours);
        }
        int removed = await node.Store.DeleteVersionsAsync(c.Id, objectId, doomed, context.RequestAborted).ConfigureAwait(false);
        node.Audit.Record(caller, "object.delete", c.Id, $"removed={removed}");
        // §5.7: 200 with the TAXII Content-Type and no payload.
        return new TaxiiResult(200, MediaTypes.Taxii, null);
    }

    private static async Task<IResult> AddObjects(HttpContext context, string root, string id, NodeServices node)
    {
        var (caller, mediaType) = await node.BeginAsync(context).ConfigureAwait(false);
        var c = await node.CollectionAsync(root, id, caller, context.RequestAborted).ConfigureAwait(false);
        RequireWrite(caller, c.Id);
        if (!MediaTypes.IsTaxiiContent(context.Request))
        {
            throw new TaxiiException(415, TaxiiMessages.UnsupportedMediaType, TaxiiMessages.UnsupportedMediaTypeDetail);
        }
        byte[] body = await ReadBodyAsync(context.Request, node.Options.MaxContentLength).ConfigureAwait(false);
        var status = caller.Peer is { } peer
            ? await node.Ingestor.SubmitFromPeerAsync(root, c.Id, caller.Account.Id, peer, body, context.RequestAborted).ConfigureAwait(false)
            : await node.Ingestor.SubmitAsync(root, c.Id, caller.Account.Id, caller.OrgId, body, context.RequestAborted).ConfigureAwait(false);
        node.Audit.Record(caller, "objects.write", c.Id, $"status={status.Id} total={status.TotalCount} succeeded={status.SuccessCount} failed={status.FailureCount} pending={status.PendingCount}");
        return new TaxiiResult(202, MediaTypes.Taxii, w => DiscoveryEndpoints.WriteStatus(w, status));
    }

    private static void RequireWrite(Caller caller, string collectionId)
    {
        if (caller.Peer is null && !caller.Trust.CanWrite(caller.OrgId, collectionId))
        {
            throw TaxiiException.Forbidden(TaxiiMessages.NoWrite);
        }
        if (!caller.CanWrite(collectionId))
        {
            throw TaxiiException.Forbidden(TaxiiMessages.RoleNoWrite);
        }
    }

    /// <summary>Reads a request body of at most <paramref name="max"/> bytes, or throws the TAXII 413.</summary>
    internal static async Task<byte[]> ReadBodyAsync(HttpRequest request, long max)
    {
        if (request.ContentLength > max)
        {
            throw new TaxiiException(413, TaxiiMessages.TooLarge, TaxiiMessages.TooLargeDetail(max));
        }
        // Grow with what actually arrives: a claimed Content-Length alone must not make the server allocate it.
        using var buffer = new MemoryStream(request.ContentLength is { } n ? (int)Math.Min(n, 1024 * 1024) : 64 * 1024);
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new TaxiiException(413, TaxiiMessages.TooLarge, TaxiiMessages.TooLargeDetail(max));
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Authenticates, negotiates and checks read rights. <paramref name="allowStix"/>: endpoints whose payload is STIX
    /// objects may answer application/stix+json; the manifest and versions resources are TAXII only.
    /// </summary>
    private static async Task<(Caller, string, TaxiiCollection)> ReadableAsync(HttpContext context, string root, string id, NodeServices node, bool allowStix = true)
    {
        var (caller, mediaType) = await node.BeginAsync(context, allowStix).ConfigureAwait(false);
        var c = await node.CollectionAsync(root, id, caller, context.RequestAborted).ConfigureAwait(false);
        if (!caller.CanRead(c.Id))
        {
            throw TaxiiException.Forbidden(TaxiiMessages.NoRead);
        }
        return (caller, mediaType, c);
    }

    private static async Task RequireObjectAsync(NodeServices node, Caller caller, string collectionId, string objectId, CancellationToken ct)
    {
        var any = await node.Reads.RowsAsync(Reader.Of(caller), new ObjectQuery(collectionId) { Ids = [objectId], Versions = VersionFilter.Every, Limit = 1 }, ct).ConfigureAwait(false);
        if (any.Items.Count == 0)
        {
            throw TaxiiException.NotFound(TaxiiMessages.NoObject);
        }
    }

    private static Task<Page<StoredObject>> QueryAsync(NodeServices node, Caller caller, string collectionId, QueryFilters f, CancellationToken ct)
    {
        int limit = Math.Min(f.Limit ?? node.Options.DefaultPageSize, node.Options.MaxPageSize);
        long? after = (f.AddedAfter, f.Next) switch
        {
            (null, null) => null,
            ({ } a, null) => a,
            (null, { } n) => n,
            ({ } a, { } n) => Math.Max(a, n),
        };
        return node.Reads.RowsAsync(Reader.Of(caller), new ObjectQuery(collectionId)
        {
            AddedAfter = after,
            Ids = f.Ids,
            Types = f.Types,
            Versions = f.Versions,
            SpecVersions = f.SpecVersions,
            Limit = limit,
        }, ct);
    }

    private static TaxiiResult Envelope(string mediaType, Page<StoredObject> page, string listName, Action<Utf8JsonWriter, StoredObject> item, Action<Utf8JsonWriter>? extra = null)
    {
        var headers = new List<(string, string)>();
        if (page.Items.Count > 0)
        {
            // §3.2: every 200 response of these endpoints carries the date_added of its first and last object.
            headers.Add(("X-TAXII-Date-Added-First", SqlStore.FormatMicros(page.Items[0].DateAdded)));
            headers.Add(("X-TAXII-Date-Added-Last", SqlStore.FormatMicros(page.Items[^1].DateAdded)));
        }
        return new TaxiiResult(200, mediaType, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("more", page.More);
            if (page.More && page.Items.Count > 0)
            {
                w.WriteString("next", Cursor.Encode(page.Items[^1].DateAdded));
            }
            if (page.Items.Count > 0)
            {
                w.WriteStartArray(listName);
                foreach (var o in page.Items)
                {
                    item(w, o);
                }
                w.WriteEndArray();
            }
            extra?.Invoke(w);
            w.WriteEndObject();
        }, headers);
    }
}
