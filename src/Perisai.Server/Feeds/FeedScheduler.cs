using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Perisai.Interop.Lists;
using Perisai.Storage;

namespace Perisai.Server.Feeds;

/// <summary>
/// Runs the node's feeds (<c>perisai feed add</c>) when they are due, one at a time. A feed that fails (unreachable,
/// malformed, timed out) is recorded with its error and the next one runs; what it imported before failing stays,
/// and so does the pull state of the events it finished, so the next run does not fetch them again.
/// </summary>
public sealed class FeedScheduler(IStixStore store, NodeOptions options, TimeProvider time, ILogger<FeedScheduler> logger) : BackgroundService
{
    /// <summary>Longest a single run may take before it is stopped and recorded as failed.</summary>
    public static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var timer = new PeriodicTimer(options.FeedTick, time);
        do
        {
            IReadOnlyList<FeedRecord> feeds;
            try
            {
                feeds = await store.ListFeedsAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.FeedFailed(logger, "(list)", ex.Message);
                continue;
            }
            long now = Micros(time.GetUtcNow());
            foreach (var feed in feeds.Where(f => f.LastRun is null || now - f.LastRun >= f.EverySeconds * 1_000_000))
            {
                await RunAsync(store, feed, http, time, logger, stoppingToken).ConfigureAwait(false);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private static long Micros(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks / 10;

    /// <summary>Runs one feed now and records the outcome (also <c>perisai feed run</c>).</summary>
    public static async Task<FeedRun> RunAsync(IStixStore store, FeedRecord feed, HttpClient http, TimeProvider time, ILogger? logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(feed);
        long started = Micros(time.GetUtcNow());
        var watch = Stopwatch.StartNew();
        var state = Parse(feed.State);
        var request = new ImportRequest(feed.Source, Format(feed.Format), feed.CollectionId, feed.Producer) { Preset = feed.Preset, FeedState = state };
        ImportReport? report = null;
        string? error = null;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(RunLimit);
        try
        {
            report = await new Application.Intake(store, time).ImportAsync(request, http, null, limit.Token).ConfigureAwait(false);
            if (report.Total == 0 && report.Problems.Count > 0)
            {
                // Nothing came through at all: the run failed, whatever the cause (the first problem says which).
                error = report.Problems[0];
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            error = $"stopped after {RunLimit.TotalMinutes:0} minutes";
        }
#pragma warning disable CA1031 // Any failure of one feed is recorded and must not stop the scheduler.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            error = ex.Message;
        }
        var run = new FeedRun(feed.Id, started, watch.ElapsedMilliseconds, report?.Added ?? 0, report?.Duplicates ?? 0,
            (report?.Rejected.Count ?? 0) + (report?.Problems.Count ?? 0), error, JsonSerializer.Serialize(state));
        await store.RecordFeedRunAsync(run, CancellationToken.None).ConfigureAwait(false);
        if (logger is not null)
        {
            if (error is null)
            {
                Log.FeedRan(logger, feed.Name, run.Added, run.Unchanged, run.Rejected, run.DurationMs);
            }
            else
            {
                Log.FeedFailed(logger, feed.Name, error);
            }
        }
        return run;
    }

    private static Dictionary<string, long> Parse(string state)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, long>>(state) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The import format of a feed's format name.</summary>
    public static ImportFormat Format(string name) => ImportFormats.TryParse(name, out var format) ? format : ImportFormat.Auto;

    /// <summary>Whether a format name is one a feed may have (any but auto); <paramref name="preset"/> must name a CSV preset when given.</summary>
    public static string? Check(string format, string? preset) =>
        !ImportFormats.TryParse(format, out var f) || f == ImportFormat.Auto ? $"unknown feed format '{format}': misp-feed, misp, csv or stix"
        : preset is not null && !CsvLayout.Presets.ContainsKey(preset) ? FeedMessages.UnknownPreset(preset, CsvLayout.Presets.Keys)
        : null;
}
