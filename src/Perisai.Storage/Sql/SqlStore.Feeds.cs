namespace Perisai.Storage.Sql;

/// <summary>Scheduled feeds (issue 6).</summary>
public abstract partial class SqlStore
{
    private const string FeedColumns = "SELECT id AS Id, name AS Name, source AS Source, format AS Format, preset AS Preset, collection_id AS CollectionId, " +
        "producer AS Producer, every_seconds AS EverySeconds, state AS State, last_run AS LastRun, last_duration_ms AS LastDurationMs, last_added AS LastAdded, " +
        "last_unchanged AS LastUnchanged, last_rejected AS LastRejected, last_error AS LastError, runs AS Runs, failures AS Failures FROM feeds";

    /// <inheritdoc />
    public Task AddFeedAsync(FeedRecord feed, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return ExecuteAsync("INSERT INTO feeds (id, name, source, format, preset, collection_id, producer, every_seconds, state, created) " +
            "VALUES (@Id, @Name, @Source, @Format, @Preset, @CollectionId, @Producer, @EverySeconds, @State, @created)",
            new { feed.Id, feed.Name, feed.Source, feed.Format, feed.Preset, feed.CollectionId, feed.Producer, feed.EverySeconds, feed.State, created = NowMicros() }, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FeedRecord>> ListFeedsAsync(CancellationToken ct = default) =>
        [.. await QueryAsync<FeedRecord>($"{FeedColumns} ORDER BY name", null, ct).ConfigureAwait(false)];

    /// <inheritdoc />
    public async Task<bool> RemoveFeedAsync(string idOrName, CancellationToken ct = default) =>
        await ExecuteAsync("DELETE FROM feeds WHERE id = @v OR name = @v", new { v = idOrName }, ct).ConfigureAwait(false) > 0;

    /// <inheritdoc />
    public Task RecordFeedRunAsync(FeedRun run, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return ExecuteAsync("UPDATE feeds SET last_run = @Started, last_duration_ms = @DurationMs, last_added = @Added, last_unchanged = @Unchanged, " +
            "last_rejected = @Rejected, last_error = @Error, state = @State, runs = runs + 1, failures = failures + @failed WHERE id = @FeedId",
            new { run.Started, run.DurationMs, run.Added, run.Unchanged, run.Rejected, run.Error, run.State, run.FeedId, failed = run.Error is null ? 0 : 1 }, ct);
    }
}
