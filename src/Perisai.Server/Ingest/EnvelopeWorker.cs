using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Perisai.Storage;

namespace Perisai.Server.Ingest;

/// <summary>
/// Applies acknowledged envelopes in the background, one at a time, oldest first; at start it resumes any that a
/// previous process acknowledged but did not finish.
/// </summary>
public sealed class EnvelopeWorker(IStixStore store, EnvelopeIngestor ingestor, ILogger<EnvelopeWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var pending in await store.ListPendingEnvelopesAsync(stoppingToken).ConfigureAwait(false))
        {
            Log.EnvelopeResumed(logger, pending.StatusId);
            await ingestor.ResumeAsync(pending, stoppingToken).ConfigureAwait(false);
        }
        await foreach (var envelope in ingestor.Queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await ingestor.ApplyAsync(envelope, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // The envelope stays pending in the store and is resumed at the next start.
                return;
            }
#pragma warning disable CA1031 // One failed envelope must not stop the worker; it stays pending and is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.EnvelopeFailed(logger, envelope.Envelope.StatusId, ex);
            }
        }
    }
}
