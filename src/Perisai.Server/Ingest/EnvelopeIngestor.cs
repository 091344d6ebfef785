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
public sealed class EnvelopeIngestor(IStixStore store, NodeOptions options, TimeProvider time, ILogger<EnvelopeIngestor> logger)
{
    private readonly Channel<PendingEnvelope> _queue = Channel.CreateUnbounded<PendingEnvelope>(new UnboundedChannelOptions { SingleReader = true });

    internal ChannelReader<PendingEnvelope> Queue => _queue.Reader;

    /// <summary>Validates and stores (or queues) an envelope; returns its status.</summary>
    public async Task<StatusRecord> SubmitAsync(string apiRoot, string collectionId, string accountId, byte[] body, CancellationToken ct)
    {
        var checkedEnvelope = Check(body);
        string statusId = Guid.NewGuid().ToString();
        long now = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        var status = new StatusRecord(statusId, apiRoot, collectionId, accountId, "pending", now, checkedEnvelope.Total, 0,
            checkedEnvelope.Failures.Count, checkedEnvelope.Valid.Count, "");

        if (checkedEnvelope.Valid.Count <= options.SynchronousIngestLimit)
        {
            var results = await store.AddObjectsAsync(collectionId, checkedEnvelope.Valid, ct).ConfigureAwait(false);
            status = Final(status, checkedEnvelope.Failures, results);
            await store.SaveStatusAsync(status, ct).ConfigureAwait(false);
            Log.EnvelopeApplied(logger, statusId, collectionId, status.SuccessCount, status.FailureCount);
            return status;
        }

        var pendings = checkedEnvelope.Valid.Select(o => new StatusDetail(o.Id, o.Version?.Text ?? "")).ToList();
        status = status with { Details = Details([], checkedEnvelope.Failures, pendings) };
        var envelope = new PendingEnvelope(statusId, collectionId, Encoding.UTF8.GetString(body));
        await store.AcceptEnvelopeAsync(status, envelope, ct).ConfigureAwait(false);
        Log.EnvelopeQueued(logger, statusId, collectionId, checkedEnvelope.Valid.Count);
        await _queue.Writer.WriteAsync(envelope, ct).ConfigureAwait(false);
        return status;
    }

    /// <summary>Queues an envelope found pending at start (accepted before a restart).</summary>
    internal ValueTask ResumeAsync(PendingEnvelope envelope, CancellationToken ct) => _queue.Writer.WriteAsync(envelope, ct);

    /// <summary>Applies a pending envelope in one transaction with its final status.</summary>
    internal async Task ApplyAsync(PendingEnvelope envelope, CancellationToken ct)
    {
        var status = await store.GetStatusAsync(envelope.StatusId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Status {envelope.StatusId} of a pending envelope is missing.");
        var checkedEnvelope = Check(Encoding.UTF8.GetBytes(envelope.Body));
        await store.CompleteEnvelopeAsync(envelope, checkedEnvelope.Valid, results => Final(status, checkedEnvelope.Failures, results), ct).ConfigureAwait(false);
        Log.EnvelopeApplied(logger, envelope.StatusId, envelope.CollectionId, checkedEnvelope.Valid.Count, checkedEnvelope.Failures.Count);
    }

    private sealed record CheckedEnvelope(int Total, List<StixObject> Valid, List<StatusDetail> Failures);

    /// <summary>Parses and validates; a document that is not an envelope at all is a 400/422 for the whole request.</summary>
    private static CheckedEnvelope Check(byte[] body)
    {
        using var doc = StixDocument.Parse(body, ContainerKind.Envelope, ContainerKind.Bundle);
        if (doc.Error is { } e)
        {
            int status = e.Code is ErrorCodes.MalformedJson or ErrorCodes.TooDeep ? 400 : 422;
            throw new TaxiiException(status, status == 400 ? TaxiiMessages.BadRequest : TaxiiMessages.Unprocessable, TaxiiMessages.NotJson(e.Message),
                new Dictionary<string, object?> { ["code"] = e.Code, ["path"] = e.Path });
        }
        var intake = StixIntake.Check(doc, Guid.NewGuid);
        var failures = intake.Failures.Select(f => new StatusDetail(f.Id, f.Version, f.Summary())).ToList();
        return new CheckedEnvelope(intake.Total, [.. intake.Valid], failures);
    }

    private static StatusRecord Final(StatusRecord status, List<StatusDetail> failures, IReadOnlyList<AddResult> results)
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
            Details = Details(successes, allFailures, []),
        };
    }

    private static string Details(List<StatusDetail> successes, List<StatusDetail> failures, List<StatusDetail> pendings)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            foreach (var (name, list) in new[] { ("successes", successes), ("failures", failures), ("pendings", pendings) })
            {
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
