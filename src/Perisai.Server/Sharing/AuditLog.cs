using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Perisai.Server.Auth;
using Perisai.Storage;

namespace Perisai.Server.Sharing;

/// <summary>
/// The node's audit log: reads, writes, exports and administrative changes, who, what, when and from where. Entries
/// name collections, keys and organizations and carry counts; they never carry object content or object ids, so
/// nothing marked TLP:RED can reach the log. Reads are frequent, so entries are queued and written in batches a few
/// times a second (and before every read of the log); a crash loses at most that fraction of a second of entries.
/// </summary>
public sealed class AuditLog(IStixStore store, TimeProvider time) : IDisposable
{
    private readonly ConcurrentQueue<AuditEntry> _queue = new();
    private readonly SemaphoreSlim _flush = new(1, 1);

    /// <inheritdoc />
    public void Dispose() => _flush.Dispose();

    /// <summary>Records an action of a caller.</summary>
    public void Record(Caller caller, string action, string? target, string? detail)
    {
        ArgumentNullException.ThrowIfNull(caller);
        Record(caller.Account.Id, caller.OrgId, action, target, detail, caller.Source);
    }

    /// <summary>Records an action.</summary>
    public void Record(string? accountId, string? orgId, string action, string? target, string? detail, string? source) =>
        _queue.Enqueue(new AuditEntry(Guid.NewGuid().ToString(), (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10, accountId, orgId, action, target, detail, source));

    /// <summary>Writes every queued entry.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _flush.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var batch = new List<AuditEntry>();
            while (_queue.TryDequeue(out var e))
            {
                batch.Add(e);
            }
            try
            {
                await store.AppendAuditAsync(batch, ct).ConfigureAwait(false);
            }
            catch
            {
                // Not written: put them back to be written by the next flush (behind anything queued since; each carries its time).
                foreach (var e in batch)
                {
                    _queue.Enqueue(e);
                }
                throw;
            }
        }
        finally
        {
            _flush.Release();
        }
    }
}

/// <summary>Writes the audit log's queue in the background, and what is left at shutdown.</summary>
public sealed class AuditWriter(AuditLog log, TimeProvider time) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // 1 s: frequent enough that an admin's view is current, rare enough that a busy node writes its entries in one
        // transaction a second instead of one per request. Each commit is a write that SQLite readers must notice (they
        // drop their page caches); flushing every 200 ms cost about 7% of read throughput on the TAXII benchmark.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await log.FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await log.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
