using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Perisai.Server.Application;
using Perisai.Server.Sharing;
using Perisai.Server.Taxii;
using Perisai.Storage;

namespace Perisai.Server.Federation;

/// <summary>
/// The peers API (issue 17, docs/federation.md): <c>GET /api/v1/peers</c> (status of every peer and link),
/// <c>POST /api/v1/peers/invites</c>, <c>POST /api/v1/peers/{peer}/run</c>, <c>DELETE /api/v1/peers/{peer}</c> for
/// administrators, and <c>POST /api/v1/peers/join</c>, which only the key of an unspent invitation may call.
/// </summary>
public static class PeerEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/peers", List);
        app.MapPost("/api/v1/peers/invites", Invite);
        app.MapPost("/api/v1/peers/join", Join);
        app.MapPost("/api/v1/peers/{peer}/run", Run);
        app.MapDelete("/api/v1/peers/{peer}", Remove);
    }

    private static PeerAdministration Peers(HttpContext context) => context.RequestServices.GetRequiredService<PeerAdministration>();

    private static async Task<IResult> List(HttpContext context, NodeServices node)
    {
        await TrustEndpoints.AdminAsync(context, node).ConfigureAwait(false);
        var peers = await Peers(context).ListAsync(context.RequestAborted).ConfigureAwait(false);
        long now = (node.Time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        return new TaxiiResult(200, "application/json", w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("peers");
            foreach (var p in peers)
            {
                PeerJson.Write(w, p, now);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> Invite(HttpContext context, NodeServices node)
    {
        var caller = await TrustEndpoints.AdminAsync(context, node).ConfigureAwait(false);
        using var doc = await TrustEndpoints.ReadJsonAsync(context).ConfigureAwait(false);
        var made = await TrustEndpoints.Administer(Peers(context).InviteAsync(Actor.Of(caller), TrustEndpoints.Field(doc, "name"), TrustEndpoints.Field(doc, "for"),
            Strings(doc, "serves"), Strings(doc, "collections") ?? [], TrustEndpoints.OptionalField(doc, "fingerprint"), null, context.RequestAborted)).ConfigureAwait(false);
        return new TaxiiResult(201, "application/json", w =>
        {
            w.WriteStartObject();
            w.WriteString("token", made.Token);
            w.WriteString("invite", made.Invite.Id);
            w.WriteString("expires", Perisai.Storage.Sql.SqlStore.FormatMicros(made.Invite.Expires));
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> Join(HttpContext context, NodeServices node)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        if (caller.Account.Role != Role.Sync)
        {
            throw TaxiiException.Forbidden(FederationMessages.InviteSpent);
        }
        using var doc = await TrustEndpoints.ReadJsonAsync(context).ConfigureAwait(false);
        JoinRequest? request;
        try
        {
            request = doc.RootElement.Deserialize<JoinRequest>();
        }
        catch (JsonException e)
        {
            throw new TaxiiException(400, TaxiiMessages.BadRequest, e.Message);
        }
        if (request is null || request.Invite is null || request.Url is null || request.Key is null || request.Collections is null)
        {
            throw new TaxiiException(400, TaxiiMessages.BadRequest, TaxiiMessages.BadField("the body", "a join request (invite, url, key, name, collections)"));
        }
        var peer = await TrustEndpoints.Administer(Peers(context).AcceptJoinAsync(caller, request, context.RequestAborted)).ConfigureAwait(false);
        return new TaxiiResult(201, "application/json", w =>
        {
            w.WriteStartObject();
            w.WriteString("peer", peer.Id);
            w.WriteString("name", peer.Name);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> Run(HttpContext context, string peer, NodeServices node)
    {
        var caller = await TrustEndpoints.AdminAsync(context, node).ConfigureAwait(false);
        var runs = await TrustEndpoints.Administer(Peers(context).RunAsync(Actor.Of(caller), peer, context.RequestAborted)).ConfigureAwait(false);
        return new TaxiiResult(200, "application/json", w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("runs");
            foreach (var (link, run) in runs)
            {
                w.WriteStartObject();
                w.WriteString("link", link.Id);
                w.WriteNumber("in", run.In);
                w.WriteNumber("out", run.Out);
                PeerJson.WriteReasons(w, "not_sent", run.NotSent);
                if (run.Error is not null)
                {
                    w.WriteString("error", run.Error);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> Remove(HttpContext context, string peer, NodeServices node)
    {
        var caller = await TrustEndpoints.AdminAsync(context, node).ConfigureAwait(false);
        await TrustEndpoints.Administer(Peers(context).RemoveAsync(Actor.Of(caller), peer, context.RequestAborted)).ConfigureAwait(false);
        return new TaxiiResult(204, "application/json", null);
    }

    private static List<string>? Strings(JsonDocument doc, string name) =>
        !doc.RootElement.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) ? [.. v.EnumerateArray().Select(e => e.GetString()!)]
        : throw new TaxiiException(400, TaxiiMessages.BadRequest, TaxiiMessages.BadField(name, "an array of strings"));
}

/// <summary>A peer and its links as JSON, for the API and <c>perisai peer status --json</c>.</summary>
public static class PeerJson
{
    /// <summary>Writes one peer: who it is and speaks for, each link with its last run, lag, counts and reasons.</summary>
    public static void Write(Utf8JsonWriter w, PeerView view, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(view);
        var p = view.Peer;
        w.WriteStartObject();
        w.WriteString("id", p.Id);
        w.WriteString("name", p.Name);
        w.WriteString("url", p.Url);
        w.WriteString("home_org", p.HomeOrg);
        w.WriteStartArray("serves");
        foreach (string o in p.Serves)
        {
            w.WriteStringValue(o);
        }
        w.WriteEndArray();
        w.WriteBoolean("can_call", p.RemoteKey is not null);
        if (p.Fingerprint is not null)
        {
            w.WriteString("fingerprint", p.Fingerprint);
        }
        w.WriteStartArray("links");
        foreach (var l in view.Links)
        {
            w.WriteStartObject();
            w.WriteString("id", l.Id);
            w.WriteString("direction", TrustNames.Of(l.Direction));
            w.WriteString("local_collection", l.LocalCollection);
            w.WriteString("remote_collection", l.RemoteCollection);
            w.WriteNumber("every_seconds", l.EverySeconds);
            if (l.LastRun is { } last)
            {
                w.WriteString("last_run", Perisai.Storage.Sql.SqlStore.FormatMicros(last));
                w.WriteNumber("last_duration_ms", l.LastDurationMs ?? 0);
            }
            if (l.LagSeconds(nowMicros) is { } lag)
            {
                w.WriteNumber("lag_seconds", lag);
            }
            w.WriteNumber("objects_in", l.ObjectsIn);
            w.WriteNumber("objects_out", l.ObjectsOut);
            WriteReasons(w, "not_sent", l.Reasons ?? new Dictionary<string, long>());
            w.WriteNumber("runs", l.Runs);
            w.WriteNumber("failures", l.Failures);
            if (l.LastError is not null)
            {
                w.WriteString("last_error", l.LastError);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("conflicts");
        foreach (var c in view.Conflicts)
        {
            w.WriteStartObject();
            w.WriteString("object", c.ObjectId);
            w.WriteString("version", c.Version);
            w.WriteString("collection", c.CollectionId);
            w.WriteString("at", Perisai.Storage.Sql.SqlStore.FormatMicros(c.At));
            w.WriteString("detail", c.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes counts by reason as an object.</summary>
    public static void WriteReasons(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long> reasons)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(reasons);
        w.WriteStartObject(name);
        foreach (var (k, v) in reasons.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(k, v);
        }
        w.WriteEndObject();
    }
}
