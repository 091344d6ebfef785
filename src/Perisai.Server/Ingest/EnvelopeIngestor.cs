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

    /// <summary>
    /// Validates and stores a small envelope, or stores a large one whole and queues it; returns its status. A body that
    /// is not an envelope at all is refused at once (400/422) and nothing is stored.
    /// </summary>
    public async Task<StatusRecord> SubmitAsync(string apiRoot, string collectionId, string accountId, byte[] body, CancellationToken ct)
    {
        using var doc = Parse(body);
        string statusId = Guid.NewGuid().ToString();
        long now = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        var status = new StatusRecord(statusId, apiRoot, collectionId, accountId, "pending", now, doc.Objects.Count, 0, 0, doc.Objects.Count, "");

        if (doc.Objects.Count <= options.SynchronousIngestLimit)
        {
            var intake = Check(doc);
            var results = await store.AddObjectsAsync(collectionId, intake.Valid, ct).ConfigureAwait(false);
            status = Final(status, intake.Failures, results);
            await store.SaveStatusAsync(status, ct).ConfigureAwait(false);
            Log.EnvelopeApplied(logger, statusId, collectionId, status.SuccessCount, status.FailureCount);
            return status;
        }

        // Large: acknowledge as soon as the envelope is durably stored. Validation runs once, in the background, and
        // its failures are reported in the final status.
        var pendings = doc.Objects.Select((o, i) => new StatusDetail(Str(o, "id") ?? $"(objects[{i}] without id)", Str(o, "modified") ?? Str(o, "created") ?? "")).ToList();
        status = status with { Details = Details([], [], pendings) };
        var envelope = new PendingEnvelope(statusId, collectionId, Encoding.UTF8.GetString(body));
        await store.AcceptEnvelopeAsync(status, envelope, ct).ConfigureAwait(false);
        Log.EnvelopeQueued(logger, statusId, collectionId, doc.Objects.Count);
        await _queue.Writer.WriteAsync(envelope, ct).ConfigureAwait(false);
        return status;
    }

    /// <summary>Queues an envelope found pending at start (accepted before a restart).</summary>
    internal ValueTask ResumeAsync(PendingEnvelope envelope, CancellationToken ct) => _queue.Writer.WriteAsync(envelope, ct);

    /// <summary>Validates and applies a pending envelope in one transaction with its final status.</summary>
    internal async Task ApplyAsync(PendingEnvelope envelope, CancellationToken ct)
    {
        var status = await store.GetStatusAsync(envelope.StatusId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Status {envelope.StatusId} of a pending envelope is missing.");
        using var doc = Parse(Encoding.UTF8.GetBytes(envelope.Body));
        var intake = Check(doc);
        await store.CompleteEnvelopeAsync(envelope, intake.Valid, results => Final(status, intake.Failures, results), ct).ConfigureAwait(false);
        Log.EnvelopeApplied(logger, envelope.StatusId, envelope.CollectionId, intake.Valid.Count, intake.Failures.Count);
    }

    private sealed record CheckedEnvelope(List<StixObject> Valid, List<StatusDetail> Failures);

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
        var intake = StixIntake.Check(doc, Guid.NewGuid);
        return new CheckedEnvelope([.. intake.Valid], [.. intake.Failures.Select(f => new StatusDetail(f.Id, f.Version, f.Summary()))]);
    }

    private static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

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
