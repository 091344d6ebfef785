using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Perisai.Storage;

namespace Perisai.Server.Federation;

/// <summary>
/// Runs every peer's links when they are due (issue 17). Each peer runs on its own: a peer that is down or slow holds
/// up none of the others, and a failing link is tried again after <see cref="RetryAfterFailure"/> (or its interval,
/// when longer), its error recorded on the link.
/// </summary>
public sealed class PeerScheduler(IStixStore store, PeerSync sync, NodeOptions options, TimeProvider time, ILogger<PeerScheduler> logger) : BackgroundService
{
    /// <summary>Wait after a failed run: long enough not to hammer a peer that is down, short enough to catch up soon after it is back.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not IPeerStore peers)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.PeerTick, time);
        try
        {
            do
            {
                foreach (var done in _running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList())
                {
                    _running.Remove(done);
                }
                IReadOnlyList<Peer> list;
                try
                {
                    list = await peers.ListPeersAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.PeerFailed(logger, "(list)", ex.Message);
                    continue;
                }
                foreach (var peer in list.Where(p => !_running.ContainsKey(p.Id)))
                {
                    _running[peer.Id] = Task.Run(() => RunDueAsync(peers, peer, stoppingToken), stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        finally
        {
            try
            {
                await Task.WhenAll(_running.Values).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: a run cut short resumes from its last stored cursor.
            }
        }
    }

    private async Task RunDueAsync(IPeerStore peers, Peer peer, CancellationToken ct)
    {
        try
        {
            long now = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
            foreach (var link in await peers.ListLinksAsync(peer.Id, ct).ConfigureAwait(false))
            {
                long wait = Math.Max(link.EverySeconds * 1_000_000, link.LastError is null ? 0 : (long)RetryAfterFailure.TotalMicroseconds);
                if (link.LastRun is { } last && now - last < wait)
                {
                    continue;
                }
                var run = await sync.RunAsync(peer, link, ct).ConfigureAwait(false);
                if (run.Error is not null)
                {
                    Log.PeerFailed(logger, peer.Name, run.Error);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
#pragma warning disable CA1031 // One peer's failure is logged and must not stop the scheduler or the other peers.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.PeerFailed(logger, peer.Name, ex.Message);
        }
    }
}
