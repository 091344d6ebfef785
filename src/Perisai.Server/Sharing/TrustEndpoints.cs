using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Perisai.Server.Application;
using Perisai.Server.Auth;
using Perisai.Server.Taxii;
using Perisai.Stix;
using Perisai.Stix.Json;
using Perisai.Stix.Markings;
using Perisai.Storage;

namespace Perisai.Server.Sharing;

/// <summary>
/// The node's own JSON API for trust, beside TAXII: who am I, policy preview, the audit log, API keys, communities and
/// collection access. Roles are enforced here: only an administrator manages keys and reads the audit log; only a lead
/// of the owning organization (or an administrator) changes a collection's trust; leads and administrators manage
/// communities. Errors use the TAXII error resource, as the rest of the node does.
/// </summary>
public static class TrustEndpoints
{
    private const string Json = "application/json";

    /// <summary>Largest body the trust API reads (a policy preview file); bigger is a 413.</summary>
    private const long MaxBody = 16 * 1024 * 1024;

    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/whoami", WhoAmI);
        app.MapPost("/api/v1/policy/preview", Preview);
        app.MapGet("/api/v1/audit", Audit);
        app.MapGet("/api/v1/keys", ListKeys);
        app.MapPost("/api/v1/keys", AddKey);
        app.MapDelete("/api/v1/keys/{keyId}", RevokeKey);
        app.MapGet("/api/v1/communities", ListCommunities);
        app.MapPost("/api/v1/communities", AddCommunity);
        app.MapPut("/api/v1/communities/{community}/members/{org}", (HttpContext c, string community, string org, NodeServices n) => SetMember(c, community, org, true, n));
        app.MapDelete("/api/v1/communities/{community}/members/{org}", (HttpContext c, string community, string org, NodeServices n) => SetMember(c, community, org, false, n));
        app.MapPut("/api/v1/collections/{id}/access", SetAccess);
        app.MapPut("/api/v1/collections/{id}/policy", SetPolicy);
    }

    private static async Task<IResult> WhoAmI(HttpContext context, NodeServices node)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        var org = await node.Reads.OrganizationAsync(caller.OrgId, context.RequestAborted).ConfigureAwait(false);
        return Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("account", caller.Account.Name);
            w.WriteString("role", TrustNames.Of(caller.Account.Role));
            w.WriteString("organization_id", caller.OrgId);
            w.WriteString("organization", org?.Name);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> Preview(HttpContext context, NodeServices node, string? collection)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        var c = collection is null ? null : await node.Reads.CollectionAsync(collection, context.RequestAborted).ConfigureAwait(false);
        if (c is null || !caller.CanSee(c.Id))
        {
            throw TaxiiException.NotFound(TaxiiMessages.NoCollection);
        }
        byte[] body = await ReadBodyAsync(context).ConfigureAwait(false);
        using var parsed = StixDocument.Parse(body);
        if (parsed.Error is { } error)
        {
            throw new TaxiiException(400, TaxiiMessages.BadRequest, TaxiiMessages.NotJson(error.Message),
                new Dictionary<string, object?> { ["code"] = error.Code, ["path"] = error.Path });
        }
        var intake = Intake.Check(parsed);
        var entries = await node.Reads.PreviewAsync(Application.Reader.Of(caller), c.Id, caller.OrgId, intake.Valid, context.RequestAborted).ConfigureAwait(false);
        var names = (await node.Reads.OrganizationsAsync(context.RequestAborted).ConfigureAwait(false)).ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        return Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("collection", c.Id);
            w.WriteStartArray("objects");
            foreach (var e in entries)
            {
                w.WriteStartObject();
                w.WriteString("id", e.Id);
                w.WriteString("type", e.Type);
                w.WriteString("tlp", TlpMarkings.NameOf(e.Tlp));
                w.WriteStartArray("audience");
                foreach (string o in e.Audience)
                {
                    w.WriteStartObject();
                    w.WriteString("id", o);
                    w.WriteString("name", names.GetValueOrDefault(o));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("notes");
                e.Notes.ToList().ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("invalid");
            foreach (var f in intake.Failures)
            {
                w.WriteStartObject();
                w.WriteString("id", f.Id);
                w.WriteString("message", f.Summary());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> Audit(HttpContext context, NodeServices node, long? since, string? org, string? action, int? limit)
    {
        var caller = await AdminAsync(context, node).ConfigureAwait(false);
        await node.Audit.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        var entries = await Administer(node.TrustAdministration.AuditLogAsync(Actor.Of(caller), new AuditQuery { Since = since, OrgId = org, ActionPrefix = action, Limit = limit ?? 100 }, context.RequestAborted)).ConfigureAwait(false);
        node.Audit.Record(caller, "audit.read", null, $"returned={entries.Count}");
        return OkList("entries", entries, WriteAudit);
    }

    /// <summary>Writes one audit entry as JSON (shared with the command line).</summary>
    public static void WriteAudit(Utf8JsonWriter w, AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(e);
        w.WriteStartObject();
        w.WriteString("id", e.Id);
        w.WriteString("at", Perisai.Storage.Sql.SqlStore.FormatMicros(e.At));
        w.WriteString("account_id", e.AccountId);
        w.WriteString("org_id", e.OrgId);
        w.WriteString("action", e.Action);
        w.WriteString("target", e.Target);
        w.WriteString("detail", e.Detail);
        w.WriteString("source", e.Source);
        w.WriteEndObject();
    }

    private static async Task<IResult> ListKeys(HttpContext context, NodeServices node)
    {
        var caller = await AdminAsync(context, node).ConfigureAwait(false);
        var keys = await node.TrustAdministration.KeysAsync(Actor.Of(caller), context.RequestAborted).ConfigureAwait(false);
        return OkList("keys", keys, (w, k) =>
        {
            w.WriteStartObject();
            w.WriteString("id", k.Id);
            w.WriteString("account_id", k.AccountId);
            w.WriteString("label", k.Label);
            w.WriteBoolean("revoked", k.Revoked);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> AddKey(HttpContext context, NodeServices node)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        using var doc = await ReadJsonAsync(context).ConfigureAwait(false);
        var issued = await Administer(node.TrustAdministration.IssueKeyAsync(Actor.Of(caller), Field(doc, "account"), OptionalField(doc, "organization"),
            OptionalField(doc, "role"), OptionalField(doc, "label") ?? "api", context.RequestAborted)).ConfigureAwait(false);
        return new TaxiiResult(201, Json, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", issued.Record.Id);
            w.WriteString("account_id", issued.Account.Id);
            w.WriteString("key", issued.Secret);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> RevokeKey(HttpContext context, string keyId, NodeServices node)
    {
        var caller = await AdminAsync(context, node).ConfigureAwait(false);
        await Administer(node.TrustAdministration.RevokeKeyAsync(Actor.Of(caller), keyId, context.RequestAborted)).ConfigureAwait(false);
        return new TaxiiResult(204, Json, null);
    }

    private static async Task<IResult> ListCommunities(HttpContext context, NodeServices node)
    {
        await node.AuthenticateAsync(context).ConfigureAwait(false);
        var communities = await node.TrustAdministration.CommunitiesAsync(context.RequestAborted).ConfigureAwait(false);
        return OkList("communities", communities, (w, c) =>
        {
            w.WriteStartObject();
            w.WriteString("id", c.Id);
            w.WriteString("name", c.Name);
            w.WriteString("definition", c.Definition);
            w.WriteStartArray("members");
            c.Members.ToList().ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> AddCommunity(HttpContext context, NodeServices node)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        using var doc = await ReadJsonAsync(context).ConfigureAwait(false);
        var c = await Administer(node.TrustAdministration.AddCommunityAsync(Actor.Of(caller), Field(doc, "name"), Field(doc, "definition"), context.RequestAborted)).ConfigureAwait(false);
        return new TaxiiResult(201, Json, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", c.Id);
            w.WriteString("name", c.Name);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> SetMember(HttpContext context, string community, string org, bool member, NodeServices node)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        await Administer(node.TrustAdministration.SetMemberAsync(Actor.Of(caller), community, org, member, context.RequestAborted)).ConfigureAwait(false);
        return new TaxiiResult(204, Json, null);
    }

    private static async Task<IResult> SetAccess(HttpContext context, string id, NodeServices node)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        using var doc = await ReadJsonAsync(context).ConfigureAwait(false);
        string kindName = OptionalField(doc, "kind") ?? "org";
        if (kindName is not ("org" or "community"))
        {
            throw new TaxiiException(400, TaxiiMessages.BadRequest, TaxiiMessages.BadField("kind", "'org' or 'community'"));
        }
        string principal = Field(doc, "principal");
        bool read = Bool(doc, "read"), write = Bool(doc, "write");
        await Administer(node.TrustAdministration.GrantAsync(Actor.Of(caller), id, TrustNames.PrincipalKindOf(kindName), principal, read, write, context.RequestAborted)).ConfigureAwait(false);
        return new TaxiiResult(204, Json, null);
    }

    private static async Task<IResult> SetPolicy(HttpContext context, string id, NodeServices node)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        using var doc = await ReadJsonAsync(context).ConfigureAwait(false);
        bool? isPublic = doc.RootElement.TryGetProperty("public", out var p) ? p.ValueKind == JsonValueKind.True : null;
        await Administer(node.TrustAdministration.SetPolicyAsync(Actor.Of(caller), id, OptionalField(doc, "default_tlp"), isPublic, context.RequestAborted)).ConfigureAwait(false);
        return new TaxiiResult(204, Json, null);
    }

    /// <summary>A refusal of the trust administration as the TAXII error resource (§3.6.1) the rest of the node answers with.</summary>
    internal static async Task<T> Administer<T>(Task<T> change)
    {
        try
        {
            return await change.ConfigureAwait(false);
        }
        catch (TrustAdministrationException refused)
        {
            throw Problem(refused);
        }
    }

    internal static async Task Administer(Task change)
    {
        try
        {
            await change.ConfigureAwait(false);
        }
        catch (TrustAdministrationException refused)
        {
            throw Problem(refused);
        }
    }

    private static TaxiiException Problem(TrustAdministrationException refused) => refused.Refusal switch
    {
        TrustRefusal.NotFound => new TaxiiException(404, TaxiiMessages.NotFound, refused.Message),
        TrustRefusal.Forbidden => TaxiiException.Forbidden(refused.Message),
        TrustRefusal.Conflict => new TaxiiException(409, TaxiiMessages.Conflict, refused.Message),
        _ => new TaxiiException(400, TaxiiMessages.BadRequest, refused.Message),
    };

    internal static async Task<Caller> AdminAsync(HttpContext context, NodeServices node)
    {
        var caller = await node.AuthenticateAsync(context).ConfigureAwait(false);
        return caller.IsAdmin ? caller : throw TaxiiException.Forbidden(TaxiiMessages.AdminOnly);
    }

    private static TaxiiResult Ok(Action<Utf8JsonWriter> write) => new(200, Json, write);

    /// <summary>A 200 whose body is <c>{"name": [items]}</c>.</summary>
    private static TaxiiResult OkList<T>(string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> item) => Ok(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray(name);
        foreach (var i in items)
        {
            item(w, i);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static Task<byte[]> ReadBodyAsync(HttpContext context) => ObjectsEndpoints.ReadBodyAsync(context.Request, MaxBody);

    internal static async Task<JsonDocument> ReadJsonAsync(HttpContext context)
    {
        byte[] body = await ReadBodyAsync(context).ConfigureAwait(false);
        try
        {
            var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new TaxiiException(400, TaxiiMessages.BadRequest, TaxiiMessages.BadField("the body", "a JSON object"));
            }
            return doc;
        }
        catch (JsonException ex)
        {
            throw new TaxiiException(400, TaxiiMessages.BadRequest, TaxiiMessages.NotJson(ex.Message));
        }
    }

    internal static string Field(JsonDocument doc, string name) =>
        OptionalField(doc, name) is { Length: > 0 } v ? v : throw new TaxiiException(400, TaxiiMessages.BadRequest, TaxiiMessages.BadField(name, "a non-empty string"));

    internal static string? OptionalField(JsonDocument doc, string name) =>
        !doc.RootElement.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw new TaxiiException(400, TaxiiMessages.BadRequest, TaxiiMessages.BadField(name, "a string"));

    private static bool Bool(JsonDocument doc, string name) =>
        !doc.RootElement.TryGetProperty(name, out var v) ? false
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
        : throw new TaxiiException(400, TaxiiMessages.BadRequest, TaxiiMessages.BadField(name, "true or false"));
}
