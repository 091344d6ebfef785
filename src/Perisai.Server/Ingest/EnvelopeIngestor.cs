using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Perisai.Server.Taxii;
using Perisai.Stix;
using Perisai.Stix.Json;
using Perisai.Stix.Validation;
using Perisai.Storage;

namespace Perisai.Server.Ingest;

/// <summary>One object's line in a status resource (TAXII 2.1 §4.3.1 status-details).</summary>
public sealed record StatusDetail(string Id, string Version, string? Message = null);

/// <summary>
/// Takes TAXII envelopes in: validates every object, stores the valid ones, and reports each object's fate in a status
/// resource. Small envelopes are applied before the response; large ones are stored whole first, acknowledged as
/// pending, and applied by <see cref="EnvelopeWorker"/> in one transaction.
/// </summary>
public sealed class EnvelopeIngestor(IStixStore store, NodeOptions options, TimeProvider time, Application.Intake intake, ILogger<EnvelopeIngestor> logger)
{
    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>An envelope to apply, with its objects already validated when it was accepted by this process.</summary>
    internal sealed record Queued(PendingEnvelope Envelope, CheckedEnvelope? Checked);

    internal ChannelReader<Queued> Queue => _queue.Reader;

    /// <summary>
    /// Validates and stores a small envelope, or stores a large one whole and queues it; returns its status. A body that
    /// is not an envelope at all is refused at once (400/422) and nothing is stored.
    /// </summary>
    public async Task<StatusRecord> SubmitAsync(string apiRoot, string collectionId, string accountId, string producer, byte[] body, CancellationToken ct)
    {
        using var doc = Parse(body);
        string statusId = Guid.NewGuid().ToString();
        long now = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        var status = new StatusRecord(statusId, apiRoot, collectionId, accountId, "pending", now, doc.Objects.Count, 0, 0, doc.Objects.Count, "");

        if (doc.Objects.Count <= options.SynchronousIngestLimit)
        {
            var checkedObjects = Check(doc);
            var results = await intake.AddAsync(collectionId, producer, checkedObjects.Valid, ct).ConfigureAwait(false);
            status = Final(status, checkedObjects.Failures, results);
            await store.SaveStatusAsync(status, ct).ConfigureAwait(false);
            Log.EnvelopeApplied(logger, statusId, collectionId, status.SuccessCount, status.FailureCount);
            return status;
        }

        // Large: validate here, on the request's thread, so that the single writer only writes; acknowledge as soon as
        // the envelope is durably stored whole. Failures are known now and reported at once.
        var checkedEnvelope = Check(doc);
        var pendings = checkedEnvelope.Valid.Select(o => new StatusDetail(o.Id, o.Version?.Text ?? "")).ToList();
        status = status with
        {
            FailureCount = checkedEnvelope.Failures.Count,
            PendingCount = pendings.Count,
            Details = Details([], checkedEnvelope.Failures, pendings, options.StatusListLimit),
        };
        var envelope = new PendingEnvelope(statusId, collectionId, Encoding.UTF8.GetString(body), producer);
        await store.AcceptEnvelopeAsync(status, envelope, ct).ConfigureAwait(false);
        Log.EnvelopeQueued(logger, statusId, collectionId, doc.Objects.Count);
        await _queue.Writer.WriteAsync(new Queued(envelope, checkedEnvelope), ct).ConfigureAwait(false);
        return status;
    }

    /// <summary>Queues an envelope found pending at start (accepted before a restart).</summary>
    /// <summary>
    /// Applies an envelope a peer node pushed (issue 17), before answering: a peer sends pages of at most a thousand
    /// objects, and its cursor moves on the status this returns. The envelope's <c>x_perisai_producers</c> (TAXII 2.1
    /// §7.1 custom property; one organization id per object, in order) says who produced each object; the intake takes
    /// the claim only for organizations the peer speaks for.
    /// </summary>
    public async Task<StatusRecord> SubmitFromPeerAsync(string apiRoot, string collectionId, string accountId, Perisai.Stix.Sharing.TrustedPeer peer, byte[] body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(peer);
        using var doc = Parse(body);
        string statusId = Guid.NewGuid().ToString();
        long now = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        var status = new StatusRecord(statusId, apiRoot, collectionId, accountId, "pending", now, doc.Objects.Count, 0, 0, doc.Objects.Count, "");
        var result = Application.Intake.Check(doc);
        var results = await intake.AddFromPeerAsync(collectionId, peer, result, Federation.PeerWire.Producers(body), null, ct).ConfigureAwait(false);
        status = Final(status, [.. result.Failures.Select(f => new StatusDetail(f.Id, f.Version, f.Summary()))], results);
        await store.SaveStatusAsync(status, ct).ConfigureAwait(false);
        if (store is IPeerStore peers)
        {
            var reasons = LinkReasons.Of(results);
            if (result.Failures.Count > 0)
            {
                reasons[LinkReasons.Invalid] = result.Failures.Count;
            }
            await peers.RecordReceivedAsync(peer.Id, collectionId, results.Count(r => r.Outcome == AddOutcome.Added), reasons, ct).ConfigureAwait(false);
        }
        Log.EnvelopeApplied(logger, statusId, collectionId, status.SuccessCount, status.FailureCount);
        return status;
    }

    internal ValueTask ResumeAsync(PendingEnvelope envelope, CancellationToken ct) => _queue.Writer.WriteAsync(new Queued(envelope, null), ct);

    /// <summary>Validates and applies a pending envelope in one transaction with its final status.</summary>
    internal async Task ApplyAsync(Queued queued, CancellationToken ct)
    {
        var envelope = queued.Envelope;
        var status = await store.GetStatusAsync(envelope.StatusId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Status {envelope.StatusId} of a pending envelope is missing.");
        // Resumed after a restart: the envelope is validated again from its stored body (validation is deterministic).
        var intake = queued.Checked ?? Check(Encoding.UTF8.GetBytes(envelope.Body));
        await store.CompleteEnvelopeAsync(envelope, intake.Valid, results => Final(status, intake.Failures, results), ct).ConfigureAwait(false);
        Log.EnvelopeApplied(logger, envelope.StatusId, envelope.CollectionId, intake.Valid.Count, intake.Failures.Count);
    }

    internal sealed record CheckedEnvelope(List<StixObject> Valid, List<StatusDetail> Failures);

    private static CheckedEnvelope Check(byte[] body)
    {
        using var doc = Parse(body);
        return Check(doc);
    }

    /// <summary>Parses the body; a document that is not an envelope (or bundle) is a 400/422 for the whole request.</summary>
    private static ParsedDocument Parse(byte[] body)
    {
        var doc = StixDocument.Parse(body, ContainerKind.Envelope, ContainerKind.Bundle);
        if (doc.Error is { } e)
        {
            doc.Dispose();
            int status = e.Code is ErrorCodes.MalformedJson or ErrorCodes.TooDeep ? 400 : 422;
            throw new TaxiiException(status, status == 400 ? TaxiiMessages.BadRequest : TaxiiMessages.Unprocessable, TaxiiMessages.NotJson(e.Message),
                new Dictionary<string, object?> { ["code"] = e.Code, ["path"] = e.Path });
        }
        return doc;
    }

    private static CheckedEnvelope Check(ParsedDocument doc)
    {
        var intake = Application.Intake.Check(doc);
        return new CheckedEnvelope([.. intake.Valid], [.. intake.Failures.Select(f => new StatusDetail(f.Id, f.Version, f.Summary()))]);
    }

    private StatusRecord Final(StatusRecord status, List<StatusDetail> failures, IReadOnlyList<AddResult> results)
    {
        var successes = new List<StatusDetail>();
        var allFailures = new List<StatusDetail>(failures);
        foreach (var r in results)
        {
            if (r.Outcome == AddOutcome.Rejected)
            {
                allFailures.Add(new StatusDetail(r.Id, r.Version, r.Message));
            }
            else
            {
                successes.Add(new StatusDetail(r.Id, r.Version, r.Outcome == AddOutcome.Duplicate ? "Already present; unchanged." : null));
            }
        }
        return status with
        {
            Status = "complete",
            SuccessCount = successes.Count,
            FailureCount = allFailures.Count,
            PendingCount = 0,
            Details = Details(successes, allFailures, [], options.StatusListLimit),
        };
    }

    /// <summary>
    /// The status-details lists. Failures are always listed; successes and pendings only up to <paramref name="listLimit"/>
    /// entries, since TAXII 2.1 §4.3.1 makes the lists optional and a 100,000-entry list polled every second would cost
    /// more than the ingest itself. The counts are always exact.
    /// </summary>
    private static string Details(List<StatusDetail> successes, List<StatusDetail> failures, List<StatusDetail> pendings, int listLimit)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            foreach (var (name, list) in new[] { ("successes", successes), ("failures", failures), ("pendings", pendings) })
            {
                if (name != "failures" && list.Count > listLimit)
                {
                    continue;
                }
                w.WriteStartArray(name);
                foreach (var d in list)
                {
                    w.WriteStartObject();
                    w.WriteString("id", d.Id);
                    w.WriteString("version", d.Version);
                    if (d.Message is not null)
                    {
                        w.WriteString("message", d.Message);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
