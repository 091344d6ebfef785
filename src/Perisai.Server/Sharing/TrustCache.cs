using Perisai.Stix.Sharing;
using Perisai.Storage;

namespace Perisai.Server.Sharing;

/// <summary>
/// The node's trust model, reloaded whenever the store's trust version moves (a change made by this process, by the
/// command line, or by another process on the same database), so a change of trust applies to the next request.
/// </summary>
public sealed class TrustCache(IStixStore store) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
    private volatile Snapshot? _current;

    /// <summary>The current model.</summary>
    public async Task<TrustModel> GetAsync(CancellationToken ct)
    {
        long version = await store.TrustVersionAsync(ct).ConfigureAwait(false);
        if (_current is { } c && c.Version == version)
        {
            return c.Model;
        }
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_current is not { } again || again.Version != version)
            {
                var (v, model) = await store.LoadTrustAsync(ct).ConfigureAwait(false);
                _current = again = new Snapshot(v, model);
            }
            return again.Model;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record Snapshot(long Version, TrustModel Model);
}
