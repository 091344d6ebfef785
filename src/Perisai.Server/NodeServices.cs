using Microsoft.AspNetCore.Http;
using Perisai.Server.Auth;
using Perisai.Server.Ingest;
using Perisai.Server.Sharing;
using Perisai.Server.Taxii;
using Perisai.Storage;

namespace Perisai.Server;

/// <summary>What every TAXII handler needs, resolved once per node.</summary>
public sealed class NodeServices(IStixStore store, NodeOptions options, TimeProvider time, EnvelopeIngestor ingestor, TrustCache trust, AuditLog audit, Application.Reads reads,
    Application.TrustAdministration trustAdministration, Application.Intake intake)
{
    private readonly Authenticator _authenticator = new(store, trust);

    /// <summary>The trust model, current.</summary>
    public TrustCache Trust { get; } = trust;

    /// <summary>The audit log.</summary>
    public AuditLog Audit { get; } = audit;

    /// <summary>The one read path.</summary>
    public Application.Reads Reads { get; } = reads;

    /// <summary>The one trust administration.</summary>
    public Application.TrustAdministration TrustAdministration { get; } = trustAdministration;

    /// <summary>The one intake.</summary>
    public Application.Intake Intake { get; } = intake;

    /// <summary>The store.</summary>
    public IStixStore Store { get; } = store;

    /// <summary>The node's settings.</summary>
    public NodeOptions Options { get; } = options;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>Envelope ingestion.</summary>
    public EnvelopeIngestor Ingestor { get; } = ingestor;

    /// <summary>Authenticates the request and negotiates its response type, or throws the TAXII problem (401, 406).</summary>
    public async Task<(Caller Caller, string MediaType)> BeginAsync(HttpContext context, bool allowStix = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = await _authenticator.AuthenticateAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        string mediaType = MediaTypes.Negotiate(context.Request, allowStix)
            ?? throw new TaxiiException(406, TaxiiMessages.NotAcceptable, TaxiiMessages.NotAcceptableDetail);
        return (caller, mediaType);
    }

    /// <summary>Authenticates the request (401 when it cannot), for the node's own JSON API.</summary>
    public Task<Caller> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _authenticator.AuthenticateAsync(context.Request, context.RequestAborted);
    }

    /// <summary>The API root, or 404.</summary>
    public async Task<ApiRoot> RootAsync(string name, CancellationToken ct) =>
        (await Store.ListApiRootsAsync(ct).ConfigureAwait(false)).FirstOrDefault(r => r.Name == name)
        ?? throw TaxiiException.NotFound(TaxiiMessages.NoApiRoot);

    /// <summary>
    /// A collection of the API root that the caller may see, by id or by its alias (TAXII 2.1 §5.2.1: an alias may
    /// stand in for the id), or 404 (existence is not revealed).
    /// </summary>
    public async Task<TaxiiCollection> CollectionAsync(string root, string id, Caller caller, CancellationToken ct)
    {
        await RootAsync(root, ct).ConfigureAwait(false);
        var c = await Store.GetCollectionAsync(id, ct).ConfigureAwait(false);
        if (c is null || c.ApiRoot != root || !caller.CanSee(c.Id))
        {
            throw TaxiiException.NotFound(TaxiiMessages.NoCollection);
        }
        return c;
    }
}
